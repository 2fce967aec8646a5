//! The typed model of an OAuth-app resource and its data source: one field
//! per attribute, so a misspelled attribute fails to compile. Each struct is
//! generic over what it holds per attribute: [`App<&str>`](App) is the
//! attribute names (written once, in [`APP`], and used by the schema),
//! [`App<Value>`](App) a configuration, plan or state, and the connector's
//! descriptions are an `App<String>`. Values stay [`Value`]s: null and
//! unknown mean something at plan time. A connector's own attributes (its
//! settings, such as a tenant) are `settings`, by name: the lifecycle
//! handles them all alike.

use std::collections::BTreeMap;

use crate::tfplugin::value::Value;

/// One thing per attribute of the resource.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct App<T> {
    pub id: T,
    pub name: T,
    pub client_id: T,
    pub client_secret: T,
    pub client_secret_wo: T,
    pub client_secret_wo_version: T,
    pub callback_url: T,
    pub scopes: T,
    pub client_secret_hint: T,
    pub client_secret_updated_at: T,
    pub created_at: T,
    pub updated_at: T,
    pub authorization_url: T,
    /// The connector's own attributes, by name (none for most connectors).
    pub settings: BTreeMap<String, T>,
}

/// The resource's attribute names, in schema order.
pub(crate) const APP: App<&str> = App {
    id: "id",
    name: "name",
    client_id: "client_id",
    client_secret: "client_secret",
    client_secret_wo: "client_secret_wo",
    client_secret_wo_version: "client_secret_wo_version",
    callback_url: "callback_url",
    scopes: "scopes",
    client_secret_hint: "client_secret_hint",
    client_secret_updated_at: "client_secret_updated_at",
    created_at: "created_at",
    updated_at: "updated_at",
    authorization_url: "authorization_url",
    settings: BTreeMap::new(),
};

impl<T: Clone> App<T> {
    /// `value` for every attribute (and no settings).
    pub fn filled(value: T) -> App<T> {
        App {
            id: value.clone(),
            name: value.clone(),
            client_id: value.clone(),
            client_secret: value.clone(),
            client_secret_wo: value.clone(),
            client_secret_wo_version: value.clone(),
            callback_url: value.clone(),
            scopes: value.clone(),
            client_secret_hint: value.clone(),
            client_secret_updated_at: value.clone(),
            created_at: value.clone(),
            updated_at: value.clone(),
            authorization_url: value,
            settings: BTreeMap::new(),
        }
    }
}

impl<T> App<T> {
    /// Every attribute's entry but the settings, in schema order.
    pub fn into_array(self) -> [T; 13] {
        [
            self.id,
            self.name,
            self.client_id,
            self.client_secret,
            self.client_secret_wo,
            self.client_secret_wo_version,
            self.callback_url,
            self.scopes,
            self.client_secret_hint,
            self.client_secret_updated_at,
            self.created_at,
            self.updated_at,
            self.authorization_url,
        ]
    }

    /// Every attribute's entry but the settings, to change in place.
    pub fn as_mut(&mut self) -> App<&mut T> {
        App {
            id: &mut self.id,
            name: &mut self.name,
            client_id: &mut self.client_id,
            client_secret: &mut self.client_secret,
            client_secret_wo: &mut self.client_secret_wo,
            client_secret_wo_version: &mut self.client_secret_wo_version,
            callback_url: &mut self.callback_url,
            scopes: &mut self.scopes,
            client_secret_hint: &mut self.client_secret_hint,
            client_secret_updated_at: &mut self.client_secret_updated_at,
            created_at: &mut self.created_at,
            updated_at: &mut self.updated_at,
            authorization_url: &mut self.authorization_url,
            settings: self
                .settings
                .iter_mut()
                .map(|(k, v)| (k.clone(), v))
                .collect(),
        }
    }
}

impl App<Value> {
    /// Reads every attribute of `value` (a missing one, or a null object,
    /// reads as null). The schema has the model's attributes and the
    /// connector's settings, so every other attribute is a setting.
    pub fn from_value(value: &Value) -> App<Value> {
        let mut app = App::filled(Value::Null);
        for (name, slot) in APP.into_array().into_iter().zip(app.as_mut().into_array()) {
            *slot = value.get(name).clone();
        }
        app.settings = other_attributes(value, &APP.into_array());
        app
    }

    pub fn to_value(&self) -> Value {
        object(APP.into_array(), self.clone().into_array(), &self.settings)
    }

    /// The settings that are set (known, not null), as Writer stores them.
    pub fn settings_set(&self) -> BTreeMap<String, String> {
        self.settings
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect()
    }
}

/// The object of `values` under `names`, and the settings.
fn object<const N: usize>(
    names: [&str; N],
    values: [Value; N],
    settings: &BTreeMap<String, Value>,
) -> Value {
    let settings = settings.iter().map(|(k, v)| (k.as_str(), v.clone()));
    Value::object(names.into_iter().zip(values).chain(settings))
}

/// The attributes of the object `value` not named in `known`.
fn other_attributes(value: &Value, known: &[&str]) -> BTreeMap<String, Value> {
    value
        .as_map()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Scopes as Terraform's set: sorted, without duplicates.
pub(crate) fn scope_set(scopes: &[String]) -> Value {
    let mut sorted = scopes.to_vec();
    sorted.sort();
    sorted.dedup();
    Value::Set(sorted.into_iter().map(Value::String).collect())
}

/// One thing per attribute of the data source.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AppData<T> {
    pub id: T,
    pub name: T,
    pub client_id: T,
    pub scopes: T,
    pub callback_url: T,
    pub client_secret_hint: T,
    pub client_secret_updated_at: T,
    pub status: T,
    pub created_at: T,
    pub updated_at: T,
    /// The connector's own attributes, by name.
    pub settings: BTreeMap<String, T>,
}

/// The data source's attribute names, in schema order (the resource's
/// names, written again: a constant cannot read fields of [`APP`], which
/// holds a map; a test checks that both name the same).
pub(crate) const APP_DATA: AppData<&str> = AppData {
    id: "id",
    name: "name",
    client_id: "client_id",
    scopes: "scopes",
    callback_url: "callback_url",
    client_secret_hint: "client_secret_hint",
    client_secret_updated_at: "client_secret_updated_at",
    status: "status",
    created_at: "created_at",
    updated_at: "updated_at",
    settings: BTreeMap::new(),
};

impl<T> AppData<T> {
    pub fn into_array(self) -> [T; 10] {
        [
            self.id,
            self.name,
            self.client_id,
            self.scopes,
            self.callback_url,
            self.client_secret_hint,
            self.client_secret_updated_at,
            self.status,
            self.created_at,
            self.updated_at,
        ]
    }
}

impl AppData<Value> {
    pub fn to_value(&self) -> Value {
        object(
            APP_DATA.into_array(),
            self.clone().into_array(),
            &self.settings,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_round_trips_under_its_own_name() {
        // Each attribute holds its own name: a field read or written under
        // another field's name would show here.
        let value = Value::object(APP.into_array().map(|n| (n, Value::string(n))));
        let app = App::from_value(&value);
        assert_eq!(
            app.client_secret_wo_version,
            Value::string("client_secret_wo_version")
        );
        assert_eq!(app.authorization_url, Value::string("authorization_url"));
        for (name, v) in APP.into_array().into_iter().zip(app.clone().into_array()) {
            assert_eq!(v, Value::string(name));
        }
        assert_eq!(app.to_value(), value);
        let names: std::collections::BTreeSet<&str> = APP.into_array().into_iter().collect();
        assert_eq!(names.len(), 13, "names are distinct");
    }

    #[test]
    fn every_other_attribute_is_a_setting_and_round_trips() {
        let mut app = App::filled(Value::Null);
        app.name = Value::string("x");
        app.settings
            .insert("region".into(), Value::string("fake-region"));
        app.settings.insert("unset".into(), Value::Null);
        let back = App::from_value(&app.to_value());
        assert_eq!(back, app);
        assert_eq!(
            back.settings_set(),
            BTreeMap::from([("region".to_string(), "fake-region".to_string())])
        );
        assert!(App::from_value(&App::filled(Value::Null).to_value())
            .settings
            .is_empty());
    }

    #[test]
    fn a_null_object_reads_as_all_null() {
        assert_eq!(App::from_value(&Value::Null), App::filled(Value::Null));
    }

    #[test]
    fn data_names_are_distinct_and_written_under_their_own_name() {
        let n = APP_DATA;
        let s = Value::string;
        let data = AppData {
            id: s(n.id),
            name: s(n.name),
            client_id: s(n.client_id),
            scopes: s(n.scopes),
            callback_url: s(n.callback_url),
            client_secret_hint: s(n.client_secret_hint),
            client_secret_updated_at: s(n.client_secret_updated_at),
            status: s(n.status),
            created_at: s(n.created_at),
            updated_at: s(n.updated_at),
            settings: BTreeMap::from([("tenant".to_string(), s("tenant"))]),
        };
        let v = data.to_value();
        assert_eq!(v.get("tenant"), &Value::string("tenant"));
        for name in APP_DATA.into_array() {
            assert_eq!(v.get(name), &Value::string(name));
        }
        let names: std::collections::BTreeSet<&str> = APP_DATA.into_array().into_iter().collect();
        assert_eq!(names.len(), 10);
        for name in APP_DATA.into_array() {
            assert!(
                name == "status" || APP.into_array().contains(&name),
                "{name}"
            );
        }
    }
}
