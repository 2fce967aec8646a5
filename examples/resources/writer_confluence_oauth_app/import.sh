# By the app's ID in Writer (Admin > OAuth apps):
terraform import writer_confluence_oauth_app.engineering 3f2b0c8e-0000-4000-8000-000000000000

# By its name, matched ignoring case:
terraform import writer_confluence_oauth_app.engineering "name=Engineering Confluence"
