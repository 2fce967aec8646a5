# Look an app up by its name (matched ignoring case) or by `id`.
data "writer_confluence_oauth_app" "engineering" {
  name = "Engineering Confluence"
}

output "engineering_app_id" {
  value = data.writer_confluence_oauth_app.engineering.id
}

# Which secret Writer holds: compare with the Atlassian console.
output "engineering_secret_hint" {
  value = data.writer_confluence_oauth_app.engineering.client_secret_hint
}
