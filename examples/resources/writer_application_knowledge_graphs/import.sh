# By the chat agent's application ID (AI Studio shows it in the agent's URL):
terraform import writer_application_knowledge_graphs.support 0b1c2d3e-0000-4000-8000-000000000000
