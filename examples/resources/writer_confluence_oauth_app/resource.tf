variable "atlassian_client_id" {
  description = "Client ID of the OAuth 2.0 (3LO) app in Atlassian's developer console."
  type        = string
}

variable "atlassian_client_secret" {
  description = "Its secret. Ephemeral: never stored in a plan file or in the state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# Recommended: the secret is write-only (Terraform 1.11 or newer), sent to
# Writer but never stored in the plan or the state.
resource "writer_confluence_oauth_app" "engineering" {
  name                     = "Engineering Confluence"
  client_id                = var.atlassian_client_id
  client_secret_wo         = var.atlassian_client_secret
  client_secret_wo_version = 1 # increase to send a new secret (rotation)
  callback_url             = "https://app.writer.com/connector/confluence"
  scopes                   = ["search:confluence", "read:space:confluence", "read:page:confluence"]
}

# For older workflows: the secret stored in the state, marked sensitive. Its
# variable cannot be ephemeral, since the value is kept.
variable "atlassian_marketing_client_secret" {
  description = "The secret of a second Atlassian app, kept in the state (sensitive)."
  type        = string
  sensitive   = true
}

resource "writer_confluence_oauth_app" "marketing" {
  name          = "Marketing Confluence"
  client_id     = "marketing-client-id-example"
  client_secret = var.atlassian_marketing_client_secret
  # callback_url and scopes default to what Writer needs.
}
