# The one callback URL Writer accepts, for the Writer web app at this origin:
# set it on the Atlassian app (developer console > Authorization).
output "callback_url" {
  value = provider::writer::confluence_callback_url("https://app.writer.com")
  # "https://app.writer.com/connector/confluence"
}
