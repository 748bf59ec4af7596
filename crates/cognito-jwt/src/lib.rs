//! Verify Amazon Cognito user pool tokens, as aws-jwt-verify does for Node, in Rust.
//!
//! * Configured per user pool ([`PoolConfig`]): the token use it accepts (id,
//!   access, or explicitly either), its app clients (or explicitly any), required
//!   groups or scopes, a grace for clock skew, and a check of your own. Several
//!   pools share one [`CognitoJwtVerifier`], routed by issuer.
//! * Strict: three base64url parts, JSON objects without duplicate keys, a size
//!   limit, RS256 only (`none` and HMAC never), `alg` matching the JWK.
//! * JWKS fetched over HTTPS (or plain HTTP to a loopback host, for a local
//!   server), cached per issuer as parsed keys; an unknown `kid` causes one
//!   refetch and then a penalty period; concurrent fetches share one request.
//!   A static JWKS (or pycognito's `COGNITO_JWKS` variable) works offline.
//! * Typed claims for id and access tokens ([`CognitoClaims`]) beside the raw map.
//! * With the `axum` feature, an extractor ([`axum::CognitoUser`](crate::axum::CognitoUser)).
//!
//! ```
//! use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse, VerifyError};
//!
//! let jwks = r#"{"keys": []}"#; // offline: the pool's JWKS document
//! let verifier = CognitoJwtVerifier::new(
//!     PoolConfig::new("us-east-1_AbCdEfGhI", TokenUse::Id, ClientIds::Any)?.static_jwks(jwks)?,
//! )?;
//! assert!(matches!(verifier.verify_cached("not.a.token"), Err(VerifyError::Malformed(_))));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum")]
pub mod axum;
mod claim_set;
mod claims;
mod config;
mod error;
mod jwk;
mod jwks;
mod token;
mod verifier;

pub use claims::{AccessTokenClaims, CognitoClaims, IdTokenClaims, TokenUse};
pub use config::{COGNITO_JWKS_ENV, ClientIds, CustomCheck, PoolConfig};
pub use error::{ConfigError, VerifyError};
pub use token::{DEFAULT_MAX_TOKEN_BYTES, Header};
pub use verifier::{CognitoJwtVerifier, DEFAULT_PENALTY, VerifiedToken, VerifierBuilder};
