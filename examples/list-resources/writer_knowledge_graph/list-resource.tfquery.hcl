# Every Knowledge Graph the API key may see.
list "writer_knowledge_graph" "all" {
  provider = writer
}

# Only the graphs with exactly this name.
list "writer_knowledge_graph" "product_docs" {
  provider = writer
  config {
    name = "Product docs"
  }
}
