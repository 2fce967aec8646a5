# The chat agent is made in AI Studio; its ID is in the agent's URL.
variable "support_agent_id" {
  type = string
}

resource "writer_knowledge_graph" "handbook" {
  name = "Employee handbook"
}

data "writer_knowledge_graph" "product_docs" {
  name = "Product docs"
}

# The whole list: a graph added in AI Studio shows as drift, and destroy
# empties the list.
resource "writer_application_knowledge_graphs" "support" {
  application_id = var.support_agent_id
  graph_ids = [
    writer_knowledge_graph.handbook.id,
    data.writer_knowledge_graph.product_docs.id,
  ]
}
