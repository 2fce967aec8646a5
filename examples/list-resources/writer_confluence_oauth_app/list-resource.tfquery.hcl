# Terraform 1.14 or newer: every Confluence OAuth app in Writer, with its
# attributes, ready for `terraform query -generate-config-out=adopted.tf`.
list "writer_confluence_oauth_app" "all" {
  provider         = writer
  include_resource = true
}
