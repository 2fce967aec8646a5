//! List resources (protocol 6.10, Terraform >= 1.14): `terraform query`
//! streams every object of a managed resource type that matches a filter,
//! and `-generate-config-out` turns the results into `resource` and
//! `import` blocks.
//!
//! A list resource has the type name of a managed resource with an identity
//! (Terraform requires both). It pushes each object's whole state, as a read
//! would return it; the server derives the identity from it (see
//! `identity`), nulls write-only attributes, sends the state only when
//! Terraform asks for it, and stops the provider once `limit` results are out
//! or Terraform stops reading. Terraform wraps the list schema in a `config`
//! block: the provider sees the filter alone, and its diagnostics' paths are
//! given under `config` by the server.

use async_trait::async_trait;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// One list resource type.
#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    /// The managed resource type it lists (which must have an identity).
    fn type_name(&self) -> &'static str;
    /// The filter: the inside of `list "TYPE" "NAME" { config { ... } }`.
    fn schema(&self) -> Schema;

    /// Checks a filter; values may be unknown.
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Pushes every object that matches `request.config` to `results`, in a
    /// stable order, until there are no more or a push returns false. Returns
    /// what went wrong (an error ends the query) or is worth a warning.
    async fn list(&self, request: ListRequest, results: ListResults) -> Diagnostics;
}

pub struct ListRequest {
    /// The filter; an object of nulls when the user wrote no `config` block.
    pub config: Value,
    /// The most results Terraform reads; a provider may stop fetching there.
    pub limit: i64,
    /// Cancelled when Terraform asks the provider to stop.
    pub cancel: CancellationToken,
}

/// One object found: its state and the name a person knows it by.
pub(super) struct Found {
    pub(super) display_name: String,
    pub(super) state: Value,
}

/// Where a list resource sends what it finds.
pub struct ListResults {
    tx: mpsc::UnboundedSender<Found>,
    left: i64,
}

impl ListResults {
    pub(super) fn new(limit: i64) -> (Self, mpsc::UnboundedReceiver<Found>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Self {
                tx,
                left: limit.max(0),
            },
            rx,
        )
    }

    /// Sends one object (`state` as a read returns it). False once `limit`
    /// results are out or Terraform stopped reading: stop listing then.
    pub fn push(&mut self, display_name: impl Into<String>, state: Value) -> bool {
        if self.left == 0 {
            return false;
        }
        let found = Found {
            display_name: display_name.into(),
            state,
        };
        if self.tx.send(found).is_err() {
            self.left = 0;
            return false;
        }
        self.left -= 1;
        self.left > 0
    }

    /// Whether more results are wanted.
    pub fn wants_more(&self) -> bool {
        self.left > 0 && !self.tx.is_closed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_stops_at_the_limit() {
        let (mut results, mut rx) = ListResults::new(2);
        assert!(results.push("a", Value::Null));
        assert!(
            !results.push("b", Value::Null),
            "the second of two is the last"
        );
        assert!(!results.push("c", Value::Null));
        assert_eq!(rx.try_recv().unwrap().display_name, "a");
        assert_eq!(rx.try_recv().unwrap().display_name, "b");
        assert!(rx.try_recv().is_err(), "nothing past the limit");
    }

    #[test]
    fn push_stops_when_terraform_stops_reading() {
        let (mut results, rx) = ListResults::new(100);
        drop(rx);
        assert!(!results.wants_more());
        assert!(!results.push("a", Value::Null));
        let (mut none, _rx) = ListResults::new(0);
        assert!(!none.wants_more());
        assert!(!none.push("a", Value::Null));
    }
}
