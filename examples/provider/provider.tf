terraform {
  required_version = ">= 1.11"
  required_providers {
    writer = {
      source  = "writer/writer"
      version = "~> 0.1"
    }
  }
}

# Every argument is optional: `provider "writer" {}` with WRITER_API_KEY in the
# environment is the usual form. All of them are shown here with their defaults.
provider "writer" {
  # The key's role decides what Terraform may do: none for `terraform validate`,
  # a read-only key for `terraform plan` (a CI drift job), an org admin's key
  # for `terraform apply`. Default: the WRITER_API_KEY environment variable.
  api_key = var.writer_api_key

  base_url            = "https://api.writer.com" # or WRITER_BASE_URL; the local writer-emulator: "http://127.0.0.1:8787"
  app_url             = "https://app.writer.com" # or WRITER_APP_URL; the callback URL is "<app_url>/connector/confluence"
  allow_insecure_http = false                    # or WRITER_ALLOW_INSECURE_HTTP; plain http to a host other than loopback
  max_retries         = 4
  request_timeout     = "20s"
  retry_timeout       = "50s"
}

variable "writer_api_key" {
  description = "A Writer API key. Ephemeral: never stored in a plan file or in the state."
  type        = string
  sensitive   = true
  ephemeral   = true
}
