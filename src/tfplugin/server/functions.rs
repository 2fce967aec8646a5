//! Provider functions on the wire: GetFunctions, GetProviderSchema and
//! GetMetadata describe the same functions, and CallFunction decodes the
//! arguments against the signature, calls, and encodes the result or a
//! function error naming the argument.

use std::collections::HashMap;

use tonic::Status;

use super::super::convert;
use super::super::function::{FunctionError, Functions};
use super::super::proto::tfplugin6 as pb;
use super::super::value::Type;

/// The protocol's side of [`Functions`].
pub(super) trait Wire {
    fn described(&self) -> HashMap<String, pb::Function>;
    fn metadata(&self) -> Vec<pb::get_metadata::FunctionMetadata>;
    fn answer(
        &self,
        request: pb::call_function::Request,
    ) -> Result<pb::call_function::Response, Status>;
}

impl Wire for Functions {
    /// Every function's signature, for GetFunctions and GetProviderSchema.
    fn described(&self) -> HashMap<String, pb::Function> {
        self.signatures()
            .map(|(name, s)| (name.to_string(), convert::function(s)))
            .collect()
    }

    /// Every function's name, for GetMetadata.
    fn metadata(&self) -> Vec<pb::get_metadata::FunctionMetadata> {
        self.signatures()
            .map(|(name, _)| pb::get_metadata::FunctionMetadata { name: name.into() })
            .collect()
    }

    /// CallFunction: a result or a function error; a gRPC error only for a
    /// function this provider does not have.
    fn answer(
        &self,
        request: pb::call_function::Request,
    ) -> Result<pb::call_function::Response, Status> {
        let not_found =
            || Status::not_found(format!("this provider has no function {:?}", request.name));
        let signature = self.signature(&request.name).ok_or_else(not_found)?;
        let failed = |e: FunctionError| pb::call_function::Response {
            result: None,
            error: Some(convert::function_error(e)),
        };
        let mut arguments = Vec::with_capacity(request.arguments.len());
        for (i, dv) in request.arguments.iter().enumerate() {
            let ty = signature
                .parameters
                .get(i)
                .map_or(Type::Dynamic, |p| p.ty.clone());
            match convert::decode(Some(dv), &ty) {
                Ok(v) => arguments.push(v),
                Err(d) => {
                    let text = format!("{}: {}", d.summary, d.detail);
                    return Ok(failed(FunctionError::argument(i, text)));
                }
            }
        }
        let result = match self.call(&request.name, &arguments).ok_or_else(not_found)? {
            Ok(v) => v,
            Err(e) => return Ok(failed(e)),
        };
        Ok(match convert::encode(&result, &signature.returns) {
            Ok(v) => pb::call_function::Response {
                result: Some(v),
                error: None,
            },
            Err(d) => failed(FunctionError::call(format!("{}: {}", d.summary, d.detail))),
        })
    }
}
