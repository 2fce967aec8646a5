# The Confluence OAuth app Writer's Knowledge Graph uses, managed as code.
# Credentials come from the environment: WRITER_API_KEY (and WRITER_BASE_URL
# for the local emulator); the Atlassian app's from TF_VAR_atlassian_client_id
# and TF_VAR_atlassian_client_secret. See docs/guides/getting-started.md.

terraform {
  required_version = ">= 1.11"
  required_providers {
    writer = {
      source = "writer/writer"
    }
  }
}

provider "writer" {}

variable "atlassian_client_id" {
  description = "Client ID of the OAuth 2.0 (3LO) app in Atlassian's developer console."
  type        = string
}

variable "atlassian_client_secret" {
  description = "Its secret: needed to create the app and to rotate the secret, not to plan an app that exists (a CI drift job runs without it). Ephemeral and write-only below: never stored in a plan file or state."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = null # no secret: not a default secret
}

resource "writer_confluence_oauth_app" "engineering" {
  name                     = "Engineering Confluence"
  client_id                = var.atlassian_client_id
  client_secret_wo         = var.atlassian_client_secret
  client_secret_wo_version = 1 # increase to send a new secret
  callback_url             = "https://app.writer.com/connector/confluence"
  scopes                   = ["search:confluence", "read:space:confluence", "read:page:confluence"]
}

output "authorization_url" {
  description = "Open it to test the Atlassian side of the app by hand."
  value       = writer_confluence_oauth_app.engineering.authorization_url
}

output "app_id" {
  description = "The app's ID in Writer."
  value       = writer_confluence_oauth_app.engineering.id
}
