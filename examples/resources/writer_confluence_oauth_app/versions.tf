# Not shown in the docs: what `terraform validate` needs to run this folder.
terraform {
  required_version = ">= 1.11"
  required_providers {
    writer = {
      source = "writer/writer"
    }
  }
}

provider "writer" {}
