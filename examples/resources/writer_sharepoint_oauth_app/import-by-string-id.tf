# Terraform 1.5 or newer. The ID, or "name=<the app's name>".
import {
  to = writer_sharepoint_oauth_app.contoso
  id = "7c1d0e9a-0000-4000-8000-000000000000"
}
