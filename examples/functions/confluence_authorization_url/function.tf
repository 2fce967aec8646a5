# The Atlassian consent URL of an app, before anything is applied: open it to
# check the Atlassian side by hand (add your own `state` parameter).
output "authorization_url" {
  value = provider::writer::confluence_authorization_url(
    "atlassian-client-id-example",
    provider::writer::confluence_callback_url("https://app.writer.com"),
    ["search:confluence", "read:space:confluence", "read:page:confluence"],
  )
}
