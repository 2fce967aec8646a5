//! Terraform's plugin protocol, version 6: knows nothing about Writer.

pub mod path;
pub mod proto;
pub mod value;
