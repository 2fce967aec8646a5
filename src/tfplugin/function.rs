//! Provider functions (protocol 6.5): `provider::NAME::FUNCTION(...)` in
//! Terraform >= 1.8 and OpenTofu >= 1.7. A provider lists its functions; each
//! has a signature (what `GetFunctions`, `GetProviderSchema` and `GetMetadata`
//! describe) and a call from argument values to a result or a
//! [`FunctionError`]. Terraform calls functions on a provider that may never
//! be configured, so a function sees only its arguments: it is pure, and
//! synchronous, on purpose.
//!
//! [`Functions`] is what the server uses (`server::functions` speaks the
//! protocol): functions by name, and a call that refuses what the signature
//! rules out (null, unknown, a wrong count) before the function runs and
//! contains panics.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use super::value::{Type, Value};

/// One provider function.
pub trait Function: Send + Sync + 'static {
    /// The name after `provider::NAME::`: lower case, digits and underscores.
    fn name(&self) -> &'static str;
    fn signature(&self) -> Signature;
    /// Called with exactly the parameters of the signature, each of its
    /// type, never unknown, and null only where the parameter allows it.
    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError>;
}

/// What a function takes and returns, and its documentation (Markdown).
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    /// One line.
    pub summary: String,
    pub description: String,
    pub parameters: Vec<Parameter>,
    pub returns: Type,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub ty: Type,
    pub description: String,
    /// Whether null may be passed (Terraform refuses it otherwise).
    pub allow_null: bool,
}

impl Parameter {
    /// A parameter that must be known and not null.
    pub fn new(name: impl Into<String>, ty: Type, description: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ty,
            description: description.into(),
            allow_null: false,
        }
    }
}

/// Why a call failed, in the user's words: what is wrong and how to fix it.
/// Terraform shows `text` under the argument's name when `argument` is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionError {
    pub text: String,
    /// The 0-based index of the argument at fault, if one is.
    pub argument: Option<usize>,
}

impl FunctionError {
    /// A problem with the argument at `index`.
    pub fn argument(index: usize, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            argument: Some(index),
        }
    }

    /// A problem with the call as a whole.
    pub fn call(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            argument: None,
        }
    }
}

/// A provider's functions by name, with their signatures computed once.
pub(crate) struct Functions {
    by_name: BTreeMap<String, (Arc<dyn Function>, Signature)>,
}

impl Functions {
    pub(crate) fn new(functions: Vec<Arc<dyn Function>>) -> Self {
        let by_name = functions
            .into_iter()
            .map(|f| (f.name().to_string(), (f.clone(), f.signature())))
            .collect();
        Self { by_name }
    }

    /// Every function's name and signature, in name order.
    pub(crate) fn signatures(&self) -> impl Iterator<Item = (&str, &Signature)> {
        self.by_name.iter().map(|(n, (_, s))| (n.as_str(), s))
    }

    pub(crate) fn signature(&self, name: &str) -> Option<&Signature> {
        self.by_name.get(name).map(|(_, s)| s)
    }

    /// Calls `name` with arguments already decoded against its signature;
    /// `None` when there is no such function.
    pub(crate) fn call(
        &self,
        name: &str,
        arguments: &[Value],
    ) -> Option<Result<Value, FunctionError>> {
        let (function, signature) = self.by_name.get(name)?;
        Some(check_arguments(name, signature, arguments).and_then(|()| {
            std::panic::catch_unwind(AssertUnwindSafe(|| function.call(arguments))).unwrap_or_else(
                |_| {
                    tracing::error!(function = name, "provider function panicked");
                    Err(FunctionError::call(format!(
                        "The provider failed unexpectedly in function {name}. This is a bug in \
                         the provider, not in your configuration; please report it."
                    )))
                },
            )
        }))
    }
}

/// What Terraform should already have refused, refused again: a function
/// relies on its signature.
fn check_arguments(
    name: &str,
    signature: &Signature,
    arguments: &[Value],
) -> Result<(), FunctionError> {
    let expected = signature.parameters.len();
    if arguments.len() != expected {
        return Err(FunctionError::call(format!(
            "Function {name} takes {expected} argument(s), but {} were given.",
            arguments.len()
        )));
    }
    for (i, (p, a)) in signature.parameters.iter().zip(arguments).enumerate() {
        if a.is_null() && !p.allow_null {
            return Err(FunctionError::argument(
                i,
                format!("{} must not be null: give it a value.", p.name),
            ));
        }
        if !a.is_wholly_known() {
            return Err(FunctionError::argument(
                i,
                format!(
                    "{} is not known yet; call the function with a known value.",
                    p.name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Upper;

    impl Function for Upper {
        fn name(&self) -> &'static str {
            "upper"
        }

        fn signature(&self) -> Signature {
            Signature {
                summary: "Upper case".into(),
                description: "Upper-cases its argument.".into(),
                parameters: vec![Parameter::new("text", Type::String, "Any text.")],
                returns: Type::String,
            }
        }

        fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
            match arguments[0].as_str() {
                Some("panic") => panic!("asked to"),
                Some("") => Err(FunctionError::argument(0, "text is empty: give some.")),
                Some(s) => Ok(Value::string(s.to_uppercase())),
                None => Err(FunctionError::argument(0, "text is not a string")),
            }
        }
    }

    fn functions() -> Functions {
        Functions::new(vec![Arc::new(Upper)])
    }

    #[test]
    fn calls_by_name_and_lists_signatures() {
        let f = functions();
        assert_eq!(
            f.call("upper", &[Value::string("abc")]),
            Some(Ok(Value::string("ABC")))
        );
        assert_eq!(f.call("lower", &[Value::string("abc")]), None);
        let names: Vec<&str> = f.signatures().map(|(n, _)| n).collect();
        assert_eq!(names, ["upper"]);
        assert_eq!(
            f.signature("upper").map(|s| s.returns.clone()),
            Some(Type::String)
        );
    }

    #[test]
    fn refuses_what_the_signature_rules_out_before_calling() {
        let f = functions();
        let err = |args: &[Value]| f.call("upper", args).and_then(Result::err);
        let wrong_count = err(&[]).expect("an error");
        assert_eq!(wrong_count.argument, None);
        assert!(
            wrong_count.text.contains("takes 1 argument(s), but 0"),
            "{wrong_count:?}"
        );
        let null = err(&[Value::Null]).expect("an error");
        assert_eq!(null.argument, Some(0));
        assert!(null.text.contains("text must not be null"), "{null:?}");
        let unknown = err(&[Value::Unknown]).expect("an error");
        assert_eq!(unknown.argument, Some(0));
    }

    #[test]
    fn passes_on_the_functions_own_errors_and_contains_panics() {
        let f = functions();
        assert_eq!(
            f.call("upper", &[Value::string("")]),
            Some(Err(FunctionError::argument(0, "text is empty: give some.")))
        );
        let panicked = f
            .call("upper", &[Value::string("panic")])
            .and_then(Result::err)
            .expect("an error, not a panic");
        assert!(
            panicked.text.contains("bug in the provider"),
            "{panicked:?}"
        );
        assert_eq!(panicked.argument, None);
    }
}
