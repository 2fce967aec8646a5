//! What the OAuth-app resource and data source need to know about one Writer
//! connector: its name in Writer and in Terraform, its callback rule, its
//! scope rules and consent URL (from `domain`), and its product's words. The
//! lifecycle itself is the same for every connector; a connector only fills
//! in this struct (see `provider::connectors`).

use crate::domain::{CallbackRule, Finding};

use super::model::{App, AppData};

pub(crate) struct Connector {
    /// Writer's name for the connector (an app's `connector`).
    pub name: &'static str,
    /// The Terraform type of the resource and of the data source.
    pub type_name: &'static str,
    /// The one callback Writer accepts, and the product's console step.
    pub callback: CallbackRule,
    /// The scopes Writer needs: the default of `scopes`.
    pub required_scopes: &'static [&'static str],
    /// How many scopes an app may have, in configuration and from Writer.
    pub max_scopes: usize,
    pub check_scopes: fn(&[&str]) -> Vec<Finding>,
    /// The product's consent URL from a client ID, scopes and callback URL.
    pub authorization_url: fn(&str, &[&str], &str) -> Result<String, Finding>,
    pub words: Words,
    /// The schema's descriptions (and so the docs).
    pub docs: fn() -> Docs,
}

impl Connector {
    /// The product, as its users name it (`Confluence`).
    pub fn product(&self) -> &'static str {
        self.callback.product
    }
}

/// The product's console and secrets, in the words messages use.
pub(crate) struct Words {
    /// What a client ID is, after "is not": "an Atlassian client ID".
    pub client_id_kind: &'static str,
    /// Where the client ID comes from and what it looks like (a sentence).
    pub client_id_fix: &'static str,
    /// Where to copy the secret from (a sentence).
    pub secret_fix: &'static str,
    /// The same, with the console's exact path (a sentence).
    pub secret_where: &'static str,
    /// What the value of a secret is (a sentence).
    pub secret_source: &'static str,
    /// Why a short secret is not the product's: "… secrets are far longer …".
    pub secret_length: &'static str,
    /// Why no real app has more than `max_scopes` scopes.
    pub scope_catalogue_size: &'static str,
    /// Where the callback URL is changed on the product's side.
    pub callback_console: &'static str,
}

/// The Markdown descriptions of the resource and the data source.
pub(crate) struct Docs {
    pub resource: String,
    pub attributes: App<String>,
    pub data_source: String,
    pub data_attributes: AppData<String>,
}
