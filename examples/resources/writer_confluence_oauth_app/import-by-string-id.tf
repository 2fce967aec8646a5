# Terraform 1.5 or newer. The ID, or "name=<the app's name>".
import {
  to = writer_confluence_oauth_app.engineering
  id = "3f2b0c8e-0000-4000-8000-000000000000"
}
