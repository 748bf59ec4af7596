//! AWS JSON 1.1 as the SDKs speak it: `POST /` with `X-Amz-Target`, JSON in and out,
//! Cognito's exceptions as `__type` and `message` with `x-amzn-ErrorType`.

mod constraints;
#[cfg(feature = "fuzzing")]
pub(crate) use constraints::check;
pub(crate) mod model;
mod overrides;
pub(crate) mod sigv4;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::domain::Caller;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::ops::{Auth, Operation, Service};

/// The service prefix of `X-Amz-Target`.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
/// Requests larger than this are refused: AWS's documented request size limit of
/// CreateManagedLoginBranding (2 MB), the largest of the API's (one asset of 1,000,000
/// bytes is 1.33 MB in base64).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// The content type of requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Handles one request of the AWS protocol: decode, authenticate, run, encode.
pub(crate) fn handle(service: &Service, request: &sigv4::Request<'_>, caller: Caller) -> Response {
    encode(run(service, request, caller))
}

/// The HTTP response for an operation's result.
pub(crate) fn encode(result: OpResult<Value>) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let mut response = match result {
        Ok(value) => (StatusCode::OK, value.to_string()).into_response(),
        Err(error) => {
            // The kind only: a message may quote what the request held (serde quotes
            // the value it could not read).
            tracing::debug!(kind = error.kind.name(), "request refused");
            let status =
                StatusCode::from_u16(error.kind.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let body = json!({ "__type": error.kind.name(), "message": error.message });
            let mut response = (status, body.to_string()).into_response();
            response.headers_mut().insert(
                "x-amzn-ErrorType",
                HeaderValue::from_static(error.kind.name()),
            );
            response
        }
    };
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        headers.insert("x-amzn-RequestId", id);
    }
    response
}

pub(crate) fn run(
    service: &Service,
    request: &sigv4::Request<'_>,
    mut caller: Caller,
) -> OpResult<Value> {
    let (headers, body) = (request.headers, request.body);
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let op = target
        .strip_prefix(TARGET_PREFIX)
        .and_then(Operation::from_name)
        .ok_or_else(|| {
            CognitoError::new(
                ErrorKind::UnknownOperationException,
                format!("Unknown operation {target:?}."),
            )
        })?;
    let signed_region = sigv4::credential_region(headers);
    if op.auth() == Auth::SigV4 && signed_region.is_none() {
        return Err(CognitoError::new(
            ErrorKind::MissingAuthenticationTokenException,
            "Missing Authentication Token",
        ));
    }
    // With credentials configured, a signed operation's signature is verified.
    if op.auth() == Auth::SigV4 && !service.credentials().is_empty() {
        sigv4::verify(service.credentials(), request, service.now())?;
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(too_large());
    }
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| {
            CognitoError::new(
                ErrorKind::SerializationException,
                format!("Malformed JSON: {e}"),
            )
        })?
    };
    if !body.is_object() {
        return Err(CognitoError::new(
            ErrorKind::SerializationException,
            "Start of structure or map expected.",
        ));
    }
    // The model's constraints, before any lookup: a malformed pool id is a
    // validation error, never ResourceNotFoundException.
    constraints::check(op.name(), &body)?;
    // An admin operation's ContextData says where the user is: threat protection
    // evaluates its IpAddress (API reference, ContextDataType), and so does this server.
    if let Some(ip) = body
        .pointer("/ContextData/IpAddress")
        .and_then(Value::as_str)
    {
        caller.ip = Some(ip.chars().take(64).collect());
    }
    // ClientMetadata is for the Lambda triggers the operation runs (a map of strings,
    // as the model has checked).
    if let Some(metadata) = body.get("ClientMetadata").and_then(Value::as_object) {
        caller.client_metadata = Some(
            metadata
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect(),
        );
    }
    let region = signed_region.as_deref().unwrap_or(service.default_region());
    caller.signed_region = signed_region.clone();
    tracing::debug!(operation = op.name(), "request");
    service.execute(region, caller, op, body)
}

/// Runs one of the API's unsigned operations for the hosted pages, which are a client of
/// the API as any other: the body checked against the model, then the operation.
pub(crate) fn call(
    service: &Service,
    op: Operation,
    body: Value,
    caller: Caller,
) -> OpResult<Value> {
    debug_assert_eq!(op.auth(), Auth::None);
    constraints::check(op.name(), &body)?;
    service.execute(service.default_region(), caller, op, body)
}

/// The error for a request body over [`MAX_BODY_BYTES`].
pub(crate) fn too_large() -> CognitoError {
    CognitoError::new(
        ErrorKind::SerializationException,
        format!("The request body exceeds the {MAX_BODY_BYTES}-byte limit."),
    )
}
