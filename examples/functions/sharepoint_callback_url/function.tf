# The one redirect URI Writer accepts, for the Writer web app at this origin:
# register it on the Entra app registration (Authentication > Web).
output "redirect_uri" {
  value = provider::writer::sharepoint_callback_url("https://app.writer.com")
  # "https://app.writer.com/connector/sharepoint"
}
