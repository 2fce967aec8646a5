# WRONG ON PURPOSE: do not copy. Two mistakes people make in Atlassian's
# developer console, which `terraform validate` catches before anything is
# applied (the demo and the test suite check that it does):
#   - callback_url: `http` instead of `https`, and a trailing slash;
#   - scopes: `read:pages:confluence`, a near miss of `read:page:confluence`.

terraform {
  required_providers {
    writer = {
      source = "writer/writer"
    }
  }
}

provider "writer" {}

variable "atlassian_client_id" {
  type = string
}

variable "atlassian_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "writer_confluence_oauth_app" "engineering" {
  name                     = "Engineering Confluence"
  client_id                = var.atlassian_client_id
  client_secret_wo         = var.atlassian_client_secret
  client_secret_wo_version = 1
  callback_url             = "http://app.writer.com/connector/confluence/"
  scopes                   = ["search:confluence", "read:space:confluence", "read:pages:confluence"]
}
