# Every SharePoint OAuth app in Writer.
list "writer_sharepoint_oauth_app" "all" {
  provider = writer
}

# Only the app with this name (ignoring case).
list "writer_sharepoint_oauth_app" "contoso" {
  provider = writer
  config {
    name = "Contoso SharePoint"
  }
}
