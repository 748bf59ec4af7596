//! The server's request path without HTTP, for fuzz targets (feature `fuzzing`): a
//! target name and a body go through decoding, authentication, validation, dispatch
//! and the operation against an in-memory store, exactly as a request would.
//!
//! ```
//! let harness = cognito_local::fuzzing::Harness::new();
//! let answer = harness.handle("ListUserPools", br#"{"MaxResults": 1}"#, true);
//! assert!(answer.is_ok());
//! let refused = harness.handle("DescribeUserPool", b"{}", true);
//! assert_eq!(refused.unwrap_err().0, "InvalidParameterException");
//! ```

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use serde_json::Value;

use crate::clock::ManualClock;
use crate::ops::Service;
use crate::protocol::sigv4::{Credentials, Request};
use crate::protocol::{self, TARGET_PREFIX};
use crate::store::Store;

/// A service over an in-memory store, on a fixed clock.
pub struct Harness {
    service: Service,
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

impl Harness {
    /// A fresh service with nothing in it.
    pub fn new() -> Self {
        let store = Store::in_memory().expect("an in-memory store opens");
        let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(1_764_000_000));
        let service = Service::new(
            store,
            Arc::new(clock),
            "us-east-1".to_owned(),
            "http://127.0.0.1:9229".to_owned(),
            Credentials::default(),
            Default::default(),
            Default::default(),
        )
        .expect("the service starts");
        Self { service }
    }

    /// Runs operation `target` (without the service prefix) on `body`, signed (with
    /// any key) or not: the operation's answer, or the exception's name and message.
    pub fn handle(
        &self,
        target: &str,
        body: &[u8],
        signed: bool,
    ) -> Result<Value, (String, String)> {
        let mut headers = HeaderMap::new();
        let target = HeaderValue::from_str(&format!("{TARGET_PREFIX}{target}"))
            .map_err(|_| ("InvalidHeader".to_owned(), String::new()))?;
        headers.insert("x-amz-target", target);
        if signed {
            headers.insert(
                "authorization",
                HeaderValue::from_static("AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20251124/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00"),
            );
        }
        let uri = Uri::from_static("/");
        let request = Request {
            method: &Method::POST,
            uri: &uri,
            headers: &headers,
            body,
        };
        protocol::run(&self.service, &request, crate::domain::Caller::default())
            .map_err(|e| (e.kind.name().to_owned(), e.message))
    }
}

/// Checks a request body against the service model alone, as the request path does
/// before any handler: `Err` with the exception's name and message when it breaks a
/// constraint (for benches of the validation and for fuzzing it).
pub fn validate(operation: &str, body: &Value) -> Result<(), (String, String)> {
    protocol::check(operation, body).map_err(|e| (e.kind.name().to_owned(), e.message))
}
