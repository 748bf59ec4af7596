//! The OAuth 2.0 operations behind the hosted endpoints: the token endpoint's grants,
//! and what the API's GetClientToken shares with them. Like every operation they see
//! typed requests, never HTTP; unlike the others they answer with OAuth's error codes.

pub(crate) mod client_credentials;

use serde::Serialize;

use crate::domain::Ctx;
use crate::domain::clients;
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::error::{OAuthError, OAuthErrorCode, OpResult};
use crate::tokens::Jwt;

/// How the caller of the token endpoint authenticated its client: `client_secret_basic`
/// or `client_secret_post`, or only its id (a public client).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientAuth {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`, if sent.
    pub secret: Option<String>,
}

impl std::fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientAuth")
            .field("client_id", &self.client_id)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The pool's client the caller authenticated as: an unknown client, a wrong secret, or
/// none where the client has one is `invalid_client` (RFC 6749 §5.2). The secret is
/// compared in constant time.
pub fn authenticate(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    auth: &ClientAuth,
) -> Result<ClientRecord, OAuthError> {
    let invalid = || OAuthError::new(OAuthErrorCode::InvalidClient);
    let client = clients::find(ctx, pool, &auth.client_id)?.ok_or_else(invalid)?;
    if client.secret.is_some() {
        let given = auth.secret.as_deref().ok_or_else(invalid)?;
        let right =
            crate::domain::client_secrets::any(&client, |secret| clients::same(secret, given));
        if !right {
            return Err(invalid());
        }
    }
    Ok(client)
}

/// What the token endpoint answers: the tokens, signed once the transaction has
/// committed.
#[derive(Debug, Serialize)]
pub struct TokenReply {
    /// `id_token`: with the `openid` scope only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Jwt>,
    /// `access_token`.
    pub access_token: Jwt,
    /// `refresh_token`: from the authorization code grant only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// `expires_in`, seconds.
    pub expires_in: u64,
    /// `token_type`: `Bearer`.
    pub token_type: &'static str,
}

impl TokenReply {
    /// Signs the tokens (after the commit: RSA needs no lock).
    pub fn sign(mut self) -> OpResult<Self> {
        self.access_token.sign()?;
        if let Some(id) = &mut self.id_token {
            id.sign()?;
        }
        Ok(self)
    }
}

/// A token request's grant (RFC 6749 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// `client_credentials`, with the scopes asked for (`None`: all the client's).
    ClientCredentials {
        /// `scope`, split.
        scopes: Option<Vec<String>>,
    },
}

/// The token endpoint: the client authenticated, then its grant.
pub fn token(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    auth: &ClientAuth,
    grant: &Grant,
) -> Result<TokenReply, OAuthError> {
    let client = authenticate(ctx, pool, auth)?;
    match grant {
        Grant::ClientCredentials { scopes } => {
            client_credentials::grant(ctx, pool, &client, scopes.as_deref())
        }
    }
}
