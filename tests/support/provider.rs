//! The provider in this process, as Terraform would have configured it:
//! for tests that call the resource directly (stop, create outcomes).

use terraform_provider_writer::provider::WriterProvider;
use terraform_provider_writer::tfplugin::value::Value;
use terraform_provider_writer::tfplugin::{CancellationToken, ConfigureRequest, Provider};

use super::ADMIN;

/// The Terraform version tests tell the provider they are.
pub const TERRAFORM_VERSION: &str = "1.11.4";

/// A provider configured with the admin key, `base_url`, and `settings`
/// (other provider attributes: `max_retries`, `request_timeout`, ...);
/// configuring must succeed. `stop` stands for the server's token: its
/// children are the calls' handles, and cancelling it is what StopProvider does.
pub async fn configured(
    base_url: &str,
    settings: &[(&str, Value)],
    stop: &CancellationToken,
) -> WriterProvider {
    let provider = WriterProvider::new();
    let config = Value::object(
        [
            ("api_key", Value::string(ADMIN)),
            ("base_url", Value::string(base_url)),
        ]
        .into_iter()
        .chain(settings.iter().cloned()),
    );
    let d = provider
        .configure(ConfigureRequest {
            config,
            terraform_version: TERRAFORM_VERSION.into(),
            cancel: stop.child_token(),
        })
        .await;
    assert!(!d.has_errors(), "{d:?}");
    provider
}
