# Terraform 1.12 or newer: the app's resource identity, its ID in Writer.
import {
  to = writer_confluence_oauth_app.engineering
  identity = {
    id = "3f2b0c8e-0000-4000-8000-000000000000"
  }
}
