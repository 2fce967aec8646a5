terraform {
  required_version = ">= 1.11"
  required_providers {
    writer = {
      source  = "writer/writer"
      version = "~> 0.1"
    }
  }
}

# WRITER_API_KEY: the key of an AI Studio API agent whose capabilities include
# Knowledge Graphs and files (and the Applications API, for the chat agent).
provider "writer" {
  # How long an apply waits for Writer to process each uploaded file.
  processing_timeout = "10m"
}

variable "support_agent_id" {
  description = "The ID of the no-code chat agent that answers from the graphs (AI Studio shows it in the agent's URL)."
  type        = string
}

# ---- A folder of documents, in git, as a graph ----

resource "writer_knowledge_graph" "handbook" {
  name        = "Employee handbook"
  description = "Policies and how-tos: leave, expenses, onboarding."
}

locals {
  # Every document under handbook/, by its path in the folder.
  handbook_files = fileset("${path.module}/handbook", "**/*.{md,txt,pdf,docx}")

  # Writer tells most types from the extension; Markdown it takes as text.
  content_types = {
    md = "text/plain"
  }
}

resource "writer_file" "handbook" {
  for_each = local.handbook_files

  source       = "${path.module}/handbook/${each.value}"
  content_type = lookup(local.content_types, lower(reverse(split(".", each.value))[0]), null)
  graph_ids    = [writer_knowledge_graph.handbook.id]

  # A changed document is uploaded again: the new file first, then the old
  # one deleted, so the graph is never without it.
  lifecycle {
    create_before_destroy = true
  }
}

# ---- A web graph made in AI Studio ("Add Website"), adopted ----

import {
  to = writer_knowledge_graph.docs_site
  id = "name=Docs site"
}

resource "writer_knowledge_graph" "docs_site" {
  name = "Docs site"
  web_urls = [
    {
      url          = "https://docs.example.com/"
      type         = "sub_pages"
      exclude_urls = ["https://docs.example.com/archive/"]
    },
    {
      url  = "https://status.example.com/"
      type = "single_page"
    },
  ]
}

# ---- The chat agent answers from both graphs ----

resource "writer_application_knowledge_graphs" "support_agent" {
  application_id = var.support_agent_id
  graph_ids = [
    writer_knowledge_graph.handbook.id,
    writer_knowledge_graph.docs_site.id,
  ]
}

output "handbook_files" {
  description = "Each document's path in the folder, and its file ID in Writer."
  value       = { for path, file in writer_file.handbook : path => file.id }
}
