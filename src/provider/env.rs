//! The environment variables the provider block reads, named once: the
//! settings read them, and the messages tell users to set them.

pub(crate) const ENV_API_KEY: &str = "WRITER_API_KEY";
pub(crate) const ENV_BASE_URL: &str = "WRITER_BASE_URL";
pub(crate) const ENV_APP_URL: &str = "WRITER_APP_URL";
pub(crate) const ENV_ALLOW_INSECURE_HTTP: &str = "WRITER_ALLOW_INSECURE_HTTP";
