# A graph of uploaded files (see writer_file): Terraform creates it.
resource "writer_knowledge_graph" "handbook" {
  name        = "Employee handbook"
  description = "Policies, benefits and how-tos"
}

# A web graph is made in AI Studio (Add Website) and imported; its URLs are
# then managed here, the whole list.
import {
  to = writer_knowledge_graph.product_docs
  id = "name=Product docs"
}

resource "writer_knowledge_graph" "product_docs" {
  name = "Product docs"
  web_urls = [
    {
      url          = "https://docs.example.com/"
      type         = "sub_pages"
      exclude_urls = ["https://docs.example.com/archive/"]
    },
    {
      url  = "https://www.example.com/pricing"
      type = "single_page"
    },
  ]
}
