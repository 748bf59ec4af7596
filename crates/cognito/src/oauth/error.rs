//! What can go wrong in an OAuth exchange.

/// An error from Cognito's OAuth endpoints or from this side's checks of their answers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// The endpoint refused the request with an OAuth error (RFC 6749 §5.2):
    /// `invalid_grant`, `invalid_client`, `unauthorized_client`, `invalid_scope`...
    #[error("{error}{}", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Endpoint {
        /// The OAuth error code.
        error: String,
        /// Its description, when the endpoint gave one.
        description: Option<String>,
    },
    /// The authorization server sent the browser back with an error instead of a code.
    #[error("the sign-in was refused: {error}{}", description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused {
        /// The OAuth error code (`access_denied`, `invalid_request`...).
        error: String,
        /// Its description.
        description: Option<String>,
    },
    /// The callback's `state` is not the one this request sent: a forged or stale callback.
    #[error("the callback's state does not match the authorization request's")]
    StateMismatch,
    /// The callback has neither a code nor an error.
    #[error("the callback carries no authorization code")]
    NoCode,
    /// The id token failed verification (signature, issuer, audience, expiry).
    #[error("id token: {0}")]
    Verify(#[from] cognito_jwt::VerifyError),
    /// The id token's `nonce` is not the authorization request's.
    #[error("the id token's nonce does not match the authorization request's")]
    NonceMismatch,
    /// The id token's `at_hash` does not match the access token it came with.
    #[error("the id token's at_hash does not match the access token")]
    AtHashMismatch,
    /// The request never got an answer (connection, timeout).
    #[error("transport: {0}")]
    Transport(String),
    /// The endpoint answered in a way Cognito never does.
    #[error("unexpected response: {0}")]
    UnexpectedResponse(String),
    /// The client is missing a setting it needs.
    #[error("configuration: {0}")]
    Config(String),
}

impl OAuthError {
    /// The OAuth error code, for endpoint errors and refused sign-ins.
    pub fn code(&self) -> Option<&str> {
        match self {
            OAuthError::Endpoint { error, .. } | OAuthError::Refused { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for OAuthError {
    fn from(e: reqwest::Error) -> Self {
        OAuthError::Transport(e.to_string())
    }
}
