# By name (matched exactly; an error lists the IDs if several graphs have it):
data "writer_knowledge_graph" "product_docs" {
  name = "Product docs"
}

# Or by ID:
data "writer_knowledge_graph" "by_id" {
  id = "6a3f0c1e-0000-4000-8000-000000000000"
}

output "product_docs_urls" {
  value = [for u in data.writer_knowledge_graph.product_docs.web_urls : u.url]
}
