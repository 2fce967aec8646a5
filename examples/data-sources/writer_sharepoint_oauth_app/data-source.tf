# Look an app up by its name (matched ignoring case) or by `id`.
data "writer_sharepoint_oauth_app" "contoso" {
  name = "Contoso SharePoint"
}

# null for a multitenant app.
output "contoso_tenant_id" {
  value = data.writer_sharepoint_oauth_app.contoso.tenant_id
}

# Which secret Writer holds: compare with the Value you saved.
output "contoso_secret_hint" {
  value = data.writer_sharepoint_oauth_app.contoso.client_secret_hint
}
