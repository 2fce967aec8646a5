# Every Confluence OAuth app in Writer.
list "writer_confluence_oauth_app" "all" {
  provider = writer
}

# Only the app with this name (ignoring case).
list "writer_confluence_oauth_app" "engineering" {
  provider = writer
  config {
    name = "Engineering Confluence"
  }
}
