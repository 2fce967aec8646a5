# The page where a tenant's admin grants the app its Microsoft Graph
# permissions for the whole organization, before anything is applied.
output "admin_consent_url" {
  value = provider::writer::sharepoint_admin_consent_url(
    "aaaabbbb-0000-cccc-1111-dddd2222eeee", # the Directory (tenant) ID
    "00001111-aaaa-2222-bbbb-3333cccc4444", # the Application (client) ID
  )
}

# A multitenant app: null as the tenant gives `organizations`.
output "multitenant_admin_consent_url" {
  value = provider::writer::sharepoint_admin_consent_url(null, "00001111-aaaa-2222-bbbb-3333cccc4444")
}
