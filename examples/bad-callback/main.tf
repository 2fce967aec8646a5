# Two mistakes people make in Atlassian's developer console, caught by
# `terraform validate` before anything is applied.

terraform {
  required_providers {
    writer = {
      source = "writer/writer"
    }
  }
}

provider "writer" {}

resource "writer_confluence_oauth_app" "engineering" {
  name                     = "Engineering Confluence"
  client_id                = "demo-client-id-not-real"
  client_secret_wo         = "demo-secret-not-real-0001"
  client_secret_wo_version = 1
  callback_url             = "http://app.writer.com/connector/confluence/"
  scopes                   = ["search:confluence", "read:space:confluence", "read:pages:confluence"]
}
