# SharePoint end to end: the Entra app registration (azuread provider) and
# Writer's SharePoint OAuth app (writer provider) in one apply. Not run by
# the tests: the azuread provider cannot be installed where they run; they
# check its formatting (terraform fmt).
terraform {
  required_providers {
    azuread = {
      source  = "hashicorp/azuread"
      version = "~> 3.0"
    }
    writer = {
      source = "writer/writer"
    }
  }
}

provider "azuread" {}
provider "writer" {}

variable "rotation" {
  description = "Increase to rotate: a new Entra secret, sent to Writer in the same apply."
  type        = number
  default     = 1
}

locals {
  # Every site, read-only. For chosen sites only: ["User.Read", "Sites.Selected"].
  graph_permissions = ["User.Read", "Sites.Read.All", "Files.Read.All"]
}

data "azuread_client_config" "current" {}

data "azuread_application_published_app_ids" "well_known" {}

data "azuread_service_principal" "msgraph" {
  client_id = data.azuread_application_published_app_ids.well_known.result["MicrosoftGraph"]
}

resource "azuread_application" "writer_sharepoint" {
  display_name     = "Writer SharePoint connector"
  sign_in_audience = "AzureADMyOrg" # single tenant; "AzureADMultipleOrgs" for multitenant

  web {
    redirect_uris = [provider::writer::sharepoint_callback_url("https://app.writer.com")]

    # Writer's file picker needs both tokens from the authorization endpoint.
    implicit_grant {
      access_token_issuance_enabled = true
      id_token_issuance_enabled     = true
    }
  }

  required_resource_access {
    resource_app_id = data.azuread_application_published_app_ids.well_known.result["MicrosoftGraph"]

    dynamic "resource_access" {
      for_each = local.graph_permissions
      content {
        id   = data.azuread_service_principal.msgraph.oauth2_permission_scope_ids[resource_access.value]
        type = "Scope" # delegated
      }
    }
  }
}

resource "azuread_application_password" "writer" {
  application_id = azuread_application.writer_sharepoint.id
  display_name   = "Writer SharePoint connector"
  end_date       = timeadd(plantimestamp(), "4320h") # 180 days; Entra allows 24 months at most

  # A new version makes a new secret...
  rotate_when_changed = {
    version = var.rotation
  }

  lifecycle {
    create_before_destroy = true # the new secret reaches Writer before the old one goes
    ignore_changes        = [end_date]
  }
}

resource "writer_sharepoint_oauth_app" "sharepoint" {
  name             = "SharePoint"
  client_id        = azuread_application.writer_sharepoint.client_id
  tenant_id        = data.azuread_client_config.current.tenant_id # leave out when multitenant
  client_secret_wo = azuread_application_password.writer.value
  # ...and the same version sends it to Writer in the same apply.
  client_secret_wo_version = var.rotation
  scopes                   = local.graph_permissions
}

# Where the tenant's admin grants the permissions for everyone, once.
output "admin_consent_url" {
  value = provider::writer::sharepoint_admin_consent_url(
    data.azuread_client_config.current.tenant_id,
    azuread_application.writer_sharepoint.client_id,
  )
}
