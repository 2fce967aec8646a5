# Terraform 1.12 or newer: the app's resource identity, its ID in Writer.
import {
  to = writer_sharepoint_oauth_app.contoso
  identity = {
    id = "7c1d0e9a-0000-4000-8000-000000000000"
  }
}
