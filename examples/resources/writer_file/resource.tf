resource "writer_knowledge_graph" "handbook" {
  name = "Employee handbook"
}

# Every PDF of a folder, each in the handbook graph. A changed file is
# uploaded again (its SHA-256 is computed at plan time); with
# create_before_destroy the new upload is made before the old one is deleted.
resource "writer_file" "handbook" {
  for_each  = fileset("${path.module}/handbook", "*.pdf")
  source    = "${path.module}/handbook/${each.value}"
  graph_ids = [writer_knowledge_graph.handbook.id]

  lifecycle {
    create_before_destroy = true
  }
}

# Markdown is not among the types Writer takes by extension: upload it as text.
resource "writer_file" "faq" {
  source       = "${path.module}/faq.md"
  content_type = "text/plain"
  graph_ids    = [writer_knowledge_graph.handbook.id]
}
