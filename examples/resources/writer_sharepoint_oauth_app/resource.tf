variable "entra_client_secret" {
  description = "The client secret's Value (not its Secret ID). Ephemeral: never stored in a plan file or in the state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# A single-tenant app registration: every site, read-only (the default
# permissions: User.Read, Sites.Read.All, Files.Read.All).
resource "writer_sharepoint_oauth_app" "contoso" {
  name                     = "Contoso SharePoint"
  client_id                = "00001111-aaaa-2222-bbbb-3333cccc4444" # Application (client) ID
  tenant_id                = "aaaabbbb-0000-cccc-1111-dddd2222eeee" # Directory (tenant) ID
  client_secret_wo         = var.entra_client_secret
  client_secret_wo_version = 1 # increase to send a new secret (rotation)
  callback_url             = "https://app.writer.com/connector/sharepoint"
}

# A multitenant app registration (no tenant_id) limited to chosen sites: a
# SharePoint admin grants it each site through Microsoft Graph.
resource "writer_sharepoint_oauth_app" "chosen_sites" {
  name                     = "Chosen sites"
  client_id                = "00001111-aaaa-2222-bbbb-3333cccc5555"
  client_secret_wo         = var.entra_client_secret
  client_secret_wo_version = 1
  scopes                   = ["User.Read", "Sites.Selected"]
}
