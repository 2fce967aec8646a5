//! What the OAuth-app resource and data source need to know about one Writer
//! connector: its name in Writer and in Terraform, its callback rule, its
//! scope rules and consent URL (from `domain`), its own attributes (a
//! [`Setting`] each), and its product's words. The lifecycle itself is the
//! same for every connector; a connector only fills in this struct (see
//! `provider::connectors`).

use std::collections::BTreeMap;

use crate::client::OAuthApp;
use crate::domain::{CallbackRule, Finding};
use crate::tfplugin::value::Value;

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
    /// The product's own rule for a client ID, judged after the one every
    /// connector shares (1 to 256 characters, no spaces).
    pub check_client_id: fn(&str) -> Option<Finding>,
    /// The product's own rule for a secret that passed the shared ones (its
    /// length, no surrounding spaces). Its finding never quotes the secret.
    pub check_secret: fn(&str) -> Option<Finding>,
    /// The attributes only this connector's apps have: each an optional
    /// string, kept in Writer's `settings` object under the same name.
    pub settings: &'static [Setting],
    /// The product's consent URL from a client ID, scopes, callback URL and
    /// the app's settings (those set, by name).
    pub authorization_url: fn(&str, &[&str], &str, &Settings) -> Result<String, Finding>,
    pub words: Words,
    /// The schema's descriptions (and so the docs).
    pub docs: fn() -> Docs,
}

impl Connector {
    /// The product, as its users name it (`Confluence`).
    pub fn product(&self) -> &'static str {
        self.callback.product
    }

    /// Every setting of this connector as `app` has it (null when not set).
    pub fn settings_of(&self, app: &OAuthApp) -> BTreeMap<String, Value> {
        self.settings
            .iter()
            .map(|s| {
                let value = app.settings.get(s.name).cloned();
                (s.name.to_string(), value.map_or(Value::Null, Value::String))
            })
            .collect()
    }
}

/// Names as Markdown code, comma-separated: "`a`, `b`" (for descriptions).
pub(crate) fn code_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// For a connector whose product adds no rule (of a client ID or secret).
pub(crate) fn no_rule(_: &str) -> Option<Finding> {
    None
}

/// The settings of one app: a [`Setting`]'s name and its value, for those set.
pub(crate) type Settings = BTreeMap<String, String>;

/// An attribute of one connector's apps only (an optional string), stored in
/// Writer's `settings` object under its own name; null means not set.
pub(crate) struct Setting {
    /// The attribute's name, and its key in Writer's `settings`.
    pub name: &'static str,
    /// The resource's description of it (Markdown).
    pub description: &'static str,
    /// The data source's description of it.
    pub data_description: &'static str,
    /// Its rules, judged when the value is known.
    pub check: fn(&str) -> Vec<Finding>,
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
