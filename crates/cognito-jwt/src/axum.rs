//! An axum extractor: the request's bearer token, verified.
//!
//! ```no_run
//! use std::sync::Arc;
//! use axum::{Router, routing::get};
//! use cognito_jwt::axum::CognitoUser;
//! use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
//!
//! async fn hello(CognitoUser(token): CognitoUser) -> String {
//!     format!("hello, {}", token.claims.username().unwrap_or("machine"))
//! }
//!
//! # fn app() -> Result<Router, Box<dyn std::error::Error>> {
//! let verifier = CognitoJwtVerifier::new(
//!     PoolConfig::new("us-east-1_AbCdEfGhI", TokenUse::Access, ClientIds::Any)?)?;
//! let app = Router::new().route("/hello", get(hello)).with_state(Arc::new(verifier));
//! # Ok(app) }
//! ```

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::{CognitoJwtVerifier, VerifiedToken};

/// The verified token of the request's `Authorization: Bearer` header.
///
/// The app state must give an `Arc<CognitoJwtVerifier>` (directly or through `FromRef`).
#[derive(Debug, Clone)]
pub struct CognitoUser(pub VerifiedToken);

/// Why a request was refused: always a 401 with a `WWW-Authenticate` header, no detail
/// in the body (the reason is logged at debug level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthRejection {
    /// No bearer token.
    MissingToken,
    /// A token that did not verify.
    InvalidToken,
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let challenge = match self {
            Self::MissingToken => r#"Bearer realm="cognito""#,
            Self::InvalidToken => r#"Bearer realm="cognito", error="invalid_token""#,
        };
        let mut response = StatusCode::UNAUTHORIZED.into_response();
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        response
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl<S> FromRequestParts<S> for CognitoUser
where
    S: Send + Sync,
    Arc<CognitoJwtVerifier>: FromRef<S>,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(AuthRejection::MissingToken)?;
        let verifier = Arc::<CognitoJwtVerifier>::from_ref(state);
        match verifier.verify(token).await {
            Ok(verified) => Ok(Self(verified)),
            Err(reason) => {
                tracing::debug!(%reason, "bearer token refused");
                Err(AuthRejection::InvalidToken)
            }
        }
    }
}
