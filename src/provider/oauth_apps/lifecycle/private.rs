//! What an OAuth-app resource remembers between calls that the user never sees:
//! Terraform's "private state", kept beside the resource in state. Secret drift
//! detection rests on it: the time Writer says the secret was last set, as of
//! our own last write of it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Private {
    /// `client_secret_updated_at` right after this provider last set the
    /// secret (or first saw the app, after an import). A newer value on read
    /// means someone set the secret outside Terraform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_updated_at: Option<String>,
    /// The ETag of the app as last read or written, sent as `If-Match` so an
    /// update never overwrites a change Terraform has not seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// When this provider created the app (seconds since 1970 by this
    /// machine's clock), until a read first finds it: a read of an app this
    /// young is patient with a Writer that does not show it yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_unix: Option<u64>,
}

impl Private {
    /// What is remembered of an app this provider has just created.
    pub fn just_created() -> Private {
        Private {
            created_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs()),
            ..Private::default()
        }
    }

    /// How long ago this provider created the app, if it did and the
    /// clock has not gone back since.
    pub fn created_ago(&self) -> Option<std::time::Duration> {
        let created = std::time::UNIX_EPOCH + std::time::Duration::from_secs(self.created_unix?);
        std::time::SystemTime::now().duration_since(created).ok()
    }

    /// Anything unreadable (an older or newer provider's format) counts as
    /// nothing remembered: the next read records afresh.
    pub fn decode(bytes: &[u8]) -> Private {
        if bytes.is_empty() {
            return Private::default();
        }
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_garbage() {
        let p = Private {
            secret_updated_at: Some("2026-11-28T12:00:00Z".into()),
            etag: Some("\"3\"".into()),
            created_unix: Some(1_800_000_000),
        };
        assert_eq!(Private::decode(&p.encode()), p);
        assert_eq!(Private::decode(b""), Private::default());
        assert_eq!(Private::decode(b"not json"), Private::default());
    }
}
