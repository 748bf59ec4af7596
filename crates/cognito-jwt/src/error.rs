//! Why a token was refused, and why a verifier could not be configured.

use std::time::Duration;

use crate::claims::TokenUse;

/// Why a token was refused. Each kind of failure has its own variant.
///
/// The messages name what was wrong, never the token itself; still, send them
/// to logs rather than to the caller of an API (the axum extractor does so).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a well-formed JWT: not three base64url parts, bad JSON, wrong claim types, duplicate keys.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// Longer than the verifier accepts.
    #[error("token of {len} bytes is larger than the {max}-byte limit")]
    TooLarge {
        /// The token's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An algorithm other than RS256 (`none` and the HMAC ones included).
    #[error("algorithm {0:?} is not accepted; Cognito signs with RS256")]
    UnsupportedAlgorithm(String),
    /// The token's `alg` differs from the one its JWK declares.
    #[error("token algorithm {token:?} does not match the key's {jwk:?}")]
    AlgorithmMismatch {
        /// The token header's `alg`.
        token: String,
        /// The JWK's `alg`.
        jwk: String,
    },
    /// No key with this `kid` in the issuer's JWKS, even after fetching it again.
    #[error("no key with kid {0:?} in the issuer's JWKS")]
    UnknownKid(String),
    /// The signature does not verify.
    #[error("invalid signature")]
    InvalidSignature,
    /// The JWKS could not be fetched or parsed.
    #[error("JWKS unavailable: {0}")]
    JwksUnavailable(String),
    /// An unknown `kid` was looked up too recently; the JWKS is not fetched again yet.
    #[error("unknown kid {kid:?}: JWKS refetch refused for another {retry_in:?}")]
    PenaltyPeriod {
        /// The `kid` that was not found.
        kid: String,
        /// How long until a refetch is allowed.
        retry_in: Duration,
    },
    /// Only verifying with cached keys was asked for, and the issuer's JWKS is not loaded.
    #[error("the JWKS of {0} is not loaded")]
    JwksNotLoaded(String),
    /// `exp` has passed (beyond the grace).
    #[error("token expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// `nbf` is still ahead (beyond the grace).
    #[error("token not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The verifier's clock.
        now: i64,
    },
    /// `iss` is not one of the configured user pools.
    #[error("issuer {0:?} is not a configured user pool")]
    WrongIssuer(String),
    /// An id token where an access token is required, or the reverse.
    #[error("token_use {actual:?} where {expected:?} is required")]
    WrongTokenUse {
        /// What the pool's configuration asks.
        expected: TokenUse,
        /// What the token says (`token_use` as sent).
        actual: String,
    },
    /// `aud` (id token) or `client_id` (access token) is not an allowed app client.
    #[error("app client {0:?} is not allowed")]
    ClientMismatch(String),
    /// The token is in none of the required groups.
    #[error("token is in none of the required groups")]
    MissingGroup,
    /// The token has none of the required scopes.
    #[error("token has none of the required scopes")]
    MissingScope,
    /// The configured custom check refused the token.
    #[error("custom check failed: {0}")]
    CustomCheck(String),
}

/// A verifier configuration that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A user pool id is not of the form `<region>_<name>`.
    #[error("invalid user pool id {0:?}")]
    InvalidPoolId(String),
    /// An issuer or JWKS URL that is not an absolute http(s) URL.
    #[error("invalid URL {0:?}")]
    InvalidUrl(String),
    /// Two pools with the same issuer.
    #[error("two user pools share the issuer {0}")]
    DuplicateIssuer(String),
    /// A verifier with no user pool.
    #[error("a verifier needs at least one user pool")]
    NoPool,
    /// A static JWKS that cannot be parsed.
    #[error("invalid JWKS: {0}")]
    InvalidJwks(String),
    /// An HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
}
