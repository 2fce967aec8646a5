# By the app's ID in Writer (Admin > OAuth apps):
terraform import writer_sharepoint_oauth_app.contoso 7c1d0e9a-0000-4000-8000-000000000000

# By its name, matched ignoring case:
terraform import writer_sharepoint_oauth_app.contoso "name=Contoso SharePoint"
