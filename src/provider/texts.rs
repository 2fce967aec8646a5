//! The provider-wide messages, written once: a summary, a detail that says
//! what is wrong, and what to do next. The provider block's words, and the
//! one place where domain findings and Writer API errors become Terraform
//! diagnostics (the client's errors say what happened; [`describe`] adds
//! what it means for Terraform), for any family: the kind of object a call
//! was about comes in as an [`Object`]. Each family's own words live in its
//! folder (`oauth_apps::lifecycle::texts`).

use crate::client;
use crate::domain::{quote, Finding, Severity};
use crate::tfplugin::diag::Diagnostic;
use crate::tfplugin::path::AttributePath;

use super::duration::DurationProblem;
use super::env::{ENV_ALLOW_INSECURE_HTTP, ENV_API_KEY, ENV_APP_URL, ENV_BASE_URL};

/// The words for the kind of Writer object a call was about, which the
/// provider-wide messages use; each family gives its own.
pub(crate) struct Object {
    /// The object, as in "The OAuth app changed outside Terraform".
    pub name: &'static str,
    /// The object in short, as in "someone changed the app in Writer".
    pub short: &'static str,
    /// Why a valid key may still be refused a change, and the fix, up to
    /// where the key is set: "The key is valid but lacks the org-admin
    /// role, ... Use an org admin's key".
    pub key_refused: &'static str,
    /// What a request about it carries besides the key, which a redirect
    /// must not reach: "client secret".
    pub carried: &'static str,
}

/// A domain finding about the value at `path`.
pub(crate) fn finding(f: Finding, path: AttributePath) -> Diagnostic {
    let d = match f.severity {
        Severity::Error => Diagnostic::error(f.summary, f.detail),
        Severity::Warning => Diagnostic::warning(f.summary, f.detail),
    };
    d.at(path)
}

pub(crate) fn bad_base_url(value: &str) -> Diagnostic {
    Diagnostic::error(
        "Invalid base_url",
        format!(
            "`{}` is not an absolute http(s) URL. Set base_url (or {ENV_BASE_URL}) to the Writer \
             API's address, e.g. \"https://api.writer.com\", or \"http://127.0.0.1:8787\" for the local \
             writer-emulator.",
            quote::url(value)
        ),
    )
    .at(AttributePath::attribute("base_url"))
}

pub(crate) fn insecure_base_url(host: &str) -> Diagnostic {
    Diagnostic::error(
        "base_url uses plain http",
        format!(
            "base_url points at {host:?} over plain http, which is not a loopback address: the API key \
             and the secrets resources send would cross the network unencrypted. Use https. If this is a \
             writer-emulator on another machine or container and you accept that, set \
             allow_insecure_http = true in the provider block (or {ENV_ALLOW_INSECURE_HTTP}=true)."
        ),
    )
    .at(AttributePath::attribute("base_url"))
}

pub(crate) fn bad_allow_insecure_http_env(value: &str) -> Diagnostic {
    let shown: String = value.chars().take(20).filter(|c| !c.is_control()).collect();
    Diagnostic::error(
        format!("Invalid {ENV_ALLOW_INSECURE_HTTP}"),
        format!("{ENV_ALLOW_INSECURE_HTTP} is {shown:?}; set it to \"true\" or \"false\"."),
    )
    .at(AttributePath::attribute("allow_insecure_http"))
}

/// A duration setting this provider does not take, named for what it is:
/// `1ns` is a duration, shorter than the provider allows.
pub(crate) fn bad_duration(attribute: &str, value: &str, problem: DurationProblem) -> Diagnostic {
    use DurationProblem as P;
    let shown = quote::text(value);
    let what = match problem {
        P::NotADuration => format!("`{shown}` is not a duration"),
        P::Negative => format!("`{shown}` is a duration, but a negative one"),
        P::Zero => format!("`{shown}` is a duration, but zero"),
        P::BelowMinimum => format!("`{shown}` is a duration, but shorter than 1ms"),
        P::NotWhole { millis } => format!(
            "`{shown}` is a duration, but not a whole number of ms, s, m or h{}",
            millis
                .map(|ms| format!(": write \"{ms}ms\""))
                .unwrap_or_default()
        ),
        P::TooLong => format!("`{shown}` is longer than any duration can be"),
    };
    Diagnostic::error(
        format!("Invalid {attribute}"),
        format!(
            "{what}. {attribute} is at least 1ms, written as a whole number with a unit (ms, s, m \
             or h): \"500ms\", \"30s\", \"2m\" or \"1h30m\"."
        ),
    )
    .at(AttributePath::attribute(attribute))
}

pub(crate) fn bad_max_retries(value: &str, limit: u32) -> Diagnostic {
    Diagnostic::error(
        "Invalid max_retries",
        format!(
            "max_retries is {}; it must be a whole number from 0 to {limit}.",
            quote::text(value)
        ),
    )
    .at(AttributePath::attribute("max_retries"))
}

pub(crate) fn missing_api_key() -> Diagnostic {
    Diagnostic::error(
        "No Writer API key",
        format!(
            "This operation calls the Writer API, which needs an API key. Set the \
             {ENV_API_KEY} environment variable, or api_key in the provider block (from a variable \
             marked sensitive, never a literal in code)."
        ),
    )
}

pub(crate) fn unknown_base_url() -> Diagnostic {
    Diagnostic::error(
        "base_url is not known yet",
        "The provider's base_url depends on a value known only after apply, so the provider cannot \
         call Writer now. Set base_url from a variable or the environment instead.",
    )
}

pub(crate) fn unknown_app_url() -> Diagnostic {
    Diagnostic::error(
        "app_url is not known yet",
        format!(
            "The provider's app_url depends on a value known only after apply. Set it from a variable or \
             {ENV_APP_URL}, or leave it unset for https://app.writer.com."
        ),
    )
}

pub(crate) fn provider_not_configured() -> Diagnostic {
    Diagnostic::error(
        "The Writer provider is not configured",
        "Terraform called the provider before configuring it. This is a bug; please report it with \
         the output of TF_LOG=debug (it never contains your secrets).",
    )
}

pub(crate) fn client_setup_failed(e: &client::Error) -> Diagnostic {
    Diagnostic::error(
        "Cannot set up the Writer API client",
        format!("{e}. Check base_url and the provider settings."),
    )
}

/// A Writer API error about an `object` in the user's words: the client's
/// own text, with what it means here (Terraform's next refresh, the
/// provider's stop).
pub(crate) fn describe(e: &client::Error, object: &Object) -> String {
    use client::Error as E;
    match e {
        E::NotFound { .. } => format!(
            "Writer has no {} with this ID{}",
            object.name,
            e.answer_text()
        ),
        E::NameTaken { .. } => format!(
            "Writer already has another {} with this name{}",
            object.name,
            e.answer_text()
        ),
        E::PreconditionFailed { .. } => format!(
            "the {} was changed outside Terraform since it was last read; refresh and plan \
             again{}",
            object.short,
            e.answer_text()
        ),
        E::Redirected {
            status,
            to,
            request_id,
        } => format!(
            "Writer's address answered with a redirect (HTTP {status}) to {}; the provider \
             follows no redirects, so nothing was sent there{}",
            to.as_deref().unwrap_or("no location"),
            request_id
                .as_deref()
                .map(|id| format!("; request id {id}"))
                .unwrap_or_default()
        ),
        E::Cancelled => "the call to Writer was cancelled: the provider is stopping".to_string(),
        E::OutOfTime { limit } => format!(
            "the operation did not finish within retry_timeout ({}), the provider's limit for one \
             operation on a resource, its retries, waits and lookups included",
            seconds(*limit)
        ),
        E::Transport {
            kind: client::TransportKind::Timeout,
            ..
        } => format!("{e}; request_timeout in the provider block bounds each request"),
        _ => e.to_string(),
    }
}

/// `50s`, `1.5s`.
fn seconds(d: std::time::Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

/// What a failed call changed in Writer, for the last paragraph of its
/// diagnostic: a read, or a write Writer did not carry out.
#[derive(Clone, Copy)]
pub(crate) enum Changed {
    /// A read: nothing is changed by it.
    Read,
    /// A write Writer refused or never received ([`client::Outcome::NotDone`]).
    Nothing,
}

/// An API error during a read of a resource or data source. The resource
/// adds what only it knows (its attribute paths, its import).
pub(crate) fn api_error(object: &Object, action: &str, error: &client::Error) -> Diagnostic {
    failed(object, action, error, Changed::Read)
}

/// A write that Writer did not carry out (it refused it, or it never got
/// there): nothing was changed. A write whose outcome is unknown has its own
/// words, by the resource (e.g. `oauth_apps::lifecycle::texts`).
pub(crate) fn write_not_done(object: &Object, action: &str, error: &client::Error) -> Diagnostic {
    failed(object, action, error, Changed::Nothing)
}

fn failed(object: &Object, action: &str, error: &client::Error, changed: Changed) -> Diagnostic {
    use client::Error as E;
    let e = describe(error, object);
    let nothing = match changed {
        Changed::Read => "A read changes nothing in Writer, and the state was not changed.",
        Changed::Nothing => {
            "Writer did not carry out the request (it refused it, or the request never reached \
             it), so nothing was changed in Writer, and the state is as it was."
        }
    };
    match error {
        E::Unauthorized { .. } => Diagnostic::error(
            format!("Writer rejected the API key while trying to {action}"),
            format!(
                "{e}\n\nThe key is missing, mistyped, revoked or for another Writer organization. Set a \
                 valid org-admin key in {ENV_API_KEY} (or the provider's api_key)."
            ),
        ),
        E::Forbidden { .. } => Diagnostic::error(
            format!("The API key may not {action}"),
            format!(
                "{e}\n\n{} in {ENV_API_KEY} (or the provider's api_key).",
                object.key_refused
            ),
        ),
        E::PreconditionFailed { .. } => Diagnostic::error(
            format!("The {} changed outside Terraform", object.name),
            format!(
                "{e}\n\nSomeone changed the {} in Writer after Terraform last read it, so the \
                 update was not applied (nothing was overwritten). Run terraform plan again to see \
                 the change, then apply.",
                object.short
            ),
        ),
        E::Redirected { .. } => Diagnostic::error(
            format!("Writer's address redirected the request to {action}"),
            format!(
                "{e}\n\nThe Writer API never redirects: base_url may point at a proxy, a login page or \
                 the wrong host. Set base_url (or {ENV_BASE_URL}) to the API's own address; the API key \
                 and {} were not sent to the other host.",
                object.carried
            ),
        )
        .at(AttributePath::attribute("base_url")),
        E::Validation { .. } => Diagnostic::error(format!("Writer refused to {action}"), e),
        _ => Diagnostic::error(
            format!("Could not {action}"),
            format!(
                "{e}\n\n{nothing} If Writer is unreachable or slow, check base_url and retry; \
                 {KEEPS_TRYING}"
            ),
        ),
    }
}

/// How a resource's object is found again for an import: the object's
/// words, the resource's type, its ID attribute, what an import block's
/// `id` may be, and where the user finds it.
pub(crate) struct Refind<'a> {
    pub object: &'a Object,
    pub type_name: &'a str,
    /// The attribute that holds the ID in state (`id`, `application_id`).
    pub attribute: &'a str,
    /// The import block's `id`, as a placeholder: `<its ID, or name=<its name>>`.
    pub import_id: &'a str,
    /// How the import names it, and where Writer shows that: "by the app's
    /// ID or name, both shown in Writer's Admin > OAuth apps".
    pub how: &'a str,
}

/// A state whose ID attribute names nothing (empty, `.` or `..`, see
/// [`client::can_name`]): Writer was not asked, so the provider cannot say
/// whether the object exists, and never says it was read, changed or
/// deleted. The one wording for every resource.
pub(crate) fn state_without_id(r: &Refind<'_>, id: &str) -> Diagnostic {
    let (type_name, attribute, short) = (r.type_name, r.attribute, r.object.short);
    let what = if id.is_empty() {
        format!("has no ID (`{attribute}` is empty)")
    } else {
        format!(
            "has the ID `{}`, which no {short} can have",
            quote::text(id)
        )
    };
    Diagnostic::error(
        format!("The state has no ID for this {}", r.object.name),
        format!(
            "The state of this {type_name} {what}, so the provider cannot look the {short} up in \
             Writer, and did not ask it: whether the {short} exists is not known. The state keeps \
             it as it is.\n\nTo fix the state, remove the resource from it and import the {short} \
             again:\n\n  terraform state rm {type_name}.<name>\n\nthen an import block, {}:\n\n  \
             import {{\n    to = {type_name}.<name>\n    id = \"{}\"\n  }}",
            r.how, r.import_id
        ),
    )
    .at(AttributePath::attribute(attribute))
}

/// The settings that bound how long the provider keeps trying.
pub(crate) const KEEPS_TRYING: &str = "max_retries, request_timeout and retry_timeout in the \
     provider block control how long the provider keeps trying.";

/// A provider function's error: one text, which Terraform shows under the
/// argument's name.
pub(crate) fn function_finding(f: Finding) -> String {
    format!("{}. {}", f.summary, f.detail)
}

pub(crate) fn function_diagnostic(d: Diagnostic) -> String {
    format!("{}. {}", d.summary, d.detail)
}

pub(crate) fn function_not_a_string() -> String {
    "This argument must be a string.".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Problem;

    const THING: Object = Object {
        name: "made-up thing",
        short: "thing",
        key_refused: "The key may not change things. Use another key",
        carried: "the thing's secret",
    };

    fn describe_thing(e: &client::Error) -> String {
        describe(e, &THING)
    }

    #[test]
    fn a_limit_that_ended_an_operation_is_named_by_its_setting() {
        let out_of_time = client::Error::OutOfTime {
            limit: std::time::Duration::from_secs(50),
        };
        assert!(
            describe_thing(&out_of_time).starts_with(
                "the operation did not finish within retry_timeout (50s), the provider's limit"
            ),
            "{}",
            describe_thing(&out_of_time)
        );
        let timed_out = client::Error::Transport {
            kind: client::TransportKind::Timeout,
            url: "https://api.writer.com/v1/oauth-apps".into(),
            attempts: 1,
            reason: "still incomplete after 20s".into(),
        };
        assert!(
            describe_thing(&timed_out)
                .ends_with("request_timeout in the provider block bounds each request"),
            "{}",
            describe_thing(&timed_out)
        );
    }

    #[test]
    fn a_write_not_done_says_nothing_was_changed_and_a_read_that_the_state_was_not() {
        let e = client::Error::RateLimited {
            attempts: 5,
            retry_after: None,
            problem: Box::new(Problem {
                status: 429,
                ..Problem::default()
            }),
        };
        let write = write_not_done(&THING, "create the thing", &e);
        assert!(
            write.detail.contains("nothing was changed"),
            "{}",
            write.detail
        );
        assert!(!write.detail.contains("may have"), "{}", write.detail);
        let read = api_error(&THING, "read the thing", &e);
        assert!(
            read.detail.contains("the state was not changed"),
            "{}",
            read.detail
        );
        // Neither claims to know what Writer has: it was not asked.
        for d in [&write, &read] {
            assert!(
                !d.detail.contains("matches what Writer has"),
                "{}",
                d.detail
            );
        }
        for d in [&write, &read] {
            assert!(d.detail.contains(KEEPS_TRYING), "{}", d.detail);
        }
    }

    #[test]
    fn a_state_without_an_id_says_writer_was_not_asked() {
        let r = Refind {
            object: &THING,
            type_name: "writer_thing",
            attribute: "thing_id",
            import_id: "<its ID>",
            how: "by the thing's ID, which the console shows",
        };
        let d = state_without_id(&r, "");
        assert!(d.is_error());
        assert_eq!(d.summary, "The state has no ID for this made-up thing");
        assert_eq!(d.attribute, Some(AttributePath::attribute("thing_id")));
        for says in [
            "The state of this writer_thing has no ID (`thing_id` is empty)",
            "did not ask it: whether the thing exists is not known",
            "terraform state rm writer_thing.<name>",
            "then an import block, by the thing's ID, which the console shows:",
            "import {\n    to = writer_thing.<name>\n    id = \"<its ID>\"",
        ] {
            assert!(d.detail.contains(says), "{says}: {}", d.detail);
        }
        for never in ["deleted", "removed", "gone"] {
            assert!(!d.detail.contains(never), "{never}: {}", d.detail);
        }
        let dots = state_without_id(&r, "..");
        assert!(
            dots.detail
                .contains("has the ID `..`, which no thing can have"),
            "{}",
            dots.detail
        );
    }

    #[test]
    fn adds_what_an_error_means_for_terraform() {
        let stale = client::Error::PreconditionFailed {
            problem: Box::new(Problem {
                status: 412,
                description: Some("stale".into()),
                request_id: Some("req_42".into()),
                ..Problem::default()
            }),
        };
        assert_eq!(
            describe_thing(&stale),
            "the thing was changed outside Terraform since it was last read; refresh and plan again \
             (HTTP 412): stale; request id req_42"
        );
        let d = api_error(&THING, "update the thing", &stale);
        assert!(
            d.detail.starts_with(&describe_thing(&stale)),
            "{}",
            d.detail
        );
        let problem = |status| {
            Box::new(Problem {
                status,
                description: Some("said Writer".into()),
                ..Problem::default()
            })
        };
        assert_eq!(
            describe_thing(&client::Error::NotFound {
                problem: problem(404)
            }),
            "Writer has no made-up thing with this ID (HTTP 404): said Writer"
        );
        assert_eq!(
            describe_thing(&client::Error::NameTaken {
                problem: problem(409)
            }),
            "Writer already has another made-up thing with this name (HTTP 409): said Writer"
        );
        assert_eq!(
            describe_thing(&client::Error::Cancelled),
            "the call to Writer was cancelled: the provider is stopping"
        );
        let redirected = client::Error::Redirected {
            status: 302,
            to: Some("https://login.example".into()),
            request_id: Some("req_1".into()),
        };
        assert_eq!(
            describe_thing(&redirected),
            "Writer's address answered with a redirect (HTTP 302) to https://login.example; the \
             provider follows no redirects, so nothing was sent there; request id req_1"
        );
        for e in [&stale, &client::Error::Cancelled, &redirected] {
            let client_words = e.to_string();
            assert!(
                !client_words.contains("Terraform") && !client_words.contains("provider"),
                "{client_words}"
            );
        }
    }
}
