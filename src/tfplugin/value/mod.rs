//! Terraform values (cty) and their wire forms.
