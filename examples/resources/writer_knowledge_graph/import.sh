# By the graph's ID in Writer (AI Studio shows it in the graph's URL):
terraform import writer_knowledge_graph.product_docs 6a3f0c1e-0000-4000-8000-000000000000

# By its name, matched exactly (an error lists the IDs if several graphs have it):
terraform import writer_knowledge_graph.product_docs "name=Product docs"
