//! The OAuth 2.0 operations behind the hosted endpoints: the token endpoint's grants,
//! and what the API's GetClientToken shares with them. Like every operation they see
//! typed requests, never HTTP; unlike the others they answer with OAuth's error codes.

pub(crate) mod authorize;
pub(crate) mod client_credentials;
pub(crate) mod code;
pub(crate) mod resource;
pub(crate) mod revoke;
pub(crate) mod userinfo;

use serde::Serialize;

use crate::domain::client_documents::{self, Unusable};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::{Ctx, client_oauth, clients, sign_ins};
use crate::error::{CognitoError, ErrorKind, OAuthError, OAuthErrorCode, OpResult};
use crate::model::auth::AuthenticationResult;
use crate::ops::auth::{self, HostedGrant};
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

/// The client an OAuth request's `client_id` names: an app client of the pool, or the
/// registration of a client ID metadata document (an https URL a CIMD policy takes);
/// `None` when there is no such client.
pub(crate) fn oauth_client(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
) -> OpResult<Option<Result<ClientRecord, Unusable>>> {
    if client_documents::is_document_url(client_id) {
        return client_documents::client(ctx, pool, client_id);
    }
    Ok(clients::find(ctx, pool, client_id)?.map(Ok))
}

/// The pool's client the caller authenticated as: an unknown client, a wrong secret, or
/// none where the client has one is `invalid_client` (RFC 6749 §5.2). The secret is
/// compared in constant time. A metadata document's client is public: a secret sent
/// for it is refused too ("Amazon Cognito doesn't support confidential CIMD clients").
pub fn authenticate(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    auth: &ClientAuth,
) -> Result<ClientRecord, OAuthError> {
    let invalid = || OAuthError::new(OAuthErrorCode::InvalidClient);
    let client = match oauth_client(ctx, pool, &auth.client_id)? {
        Some(Ok(client)) => client,
        Some(Err(Unusable(why))) => {
            return Err(OAuthError::described(OAuthErrorCode::InvalidClient, why));
        }
        None => return Err(invalid()),
    };
    if client.metadata.is_some() && auth.secret.is_some() {
        return Err(invalid());
    }
    clients::check_secret(&client, auth.secret.as_deref()).map_err(|_| invalid())?;
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
    /// Whether the ID token gets `at_hash`, the access token's hash (OpenID Connect
    /// Core §3.1.3.6), once the access token is signed.
    #[serde(skip)]
    pub bind_at_hash: bool,
}

impl TokenReply {
    /// Signs the tokens (after the commit: RSA needs no lock).
    pub fn sign(mut self) -> OpResult<Self> {
        self.access_token.sign()?;
        if let Some(id) = &mut self.id_token {
            if self.bind_at_hash
                && let (Jwt::Signed(access), Jwt::Unsigned { claims, .. }) =
                    (&self.access_token, &mut *id)
            {
                claims["at_hash"] = at_hash(access).into();
            }
            id.sign()?;
        }
        Ok(self)
    }

    /// The answer of a sign-in's tokens: the ID token only with `openid` ("An ID token
    /// is returned only if openid is in the scopes").
    fn of(result: AuthenticationResult, openid: bool) -> Self {
        Self {
            id_token: openid.then_some(result.id_token),
            access_token: result.access_token,
            refresh_token: result.refresh_token,
            expires_in: result.expires_in,
            token_type: "Bearer",
            bind_at_hash: openid,
        }
    }
}

/// `at_hash`: the left half of the access token's SHA-256, base64url.
fn at_hash(access_token: &str) -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16])
}

/// The tokens of a hosted authorization for `user` (its scopes, nonce, sign-in time
/// and resource).
pub(crate) fn user_tokens(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    grant: &HostedGrant<'_>,
) -> Result<TokenReply, OAuthError> {
    let result = auth::hosted_tokens(ctx, pool, client, user, grant)?;
    Ok(TokenReply::of(
        result,
        grant.scopes.iter().any(|s| s == "openid"),
    ))
}

/// The refresh_token grant: new ID and access tokens for a live sign-in of this client
/// (the ID token as its scopes allow; no new refresh token). A refresh token that is
/// unknown, revoked, expired or another client's is `invalid_grant`.
fn refresh(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    token: &str,
    resource: Option<&str>,
) -> Result<TokenReply, OAuthError> {
    let sign_in = sign_ins::by_refresh_token(ctx, pool, token)?;
    self::resource::repeated(
        resource,
        sign_in.as_ref().and_then(|s| s.resource.as_deref()),
    )?;
    let openid = sign_in
        .map(|sign_in| {
            sign_in
                .scopes
                .is_none_or(|scopes| scopes.iter().any(|s| s == "openid"))
        })
        .unwrap_or(false);
    let reply = auth::oauth_refresh(ctx, pool, client, token).map_err(|e| match e.kind {
        ErrorKind::NotAuthorizedException | ErrorKind::RefreshTokenReuseException => {
            OAuthError::new(OAuthErrorCode::InvalidGrant)
        }
        _ => e.into(),
    })?;
    let result = reply
        .into_result()
        .ok_or_else(|| CognitoError::internal("a refresh without tokens"))?;
    let mut reply = TokenReply::of(result, openid);
    reply.bind_at_hash = false;
    Ok(reply)
}

/// A token request's grant (RFC 6749 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// `client_credentials`, with the scopes asked for (`None`: all the client's).
    ClientCredentials {
        /// `scope`, split.
        scopes: Option<Vec<String>>,
        /// `resource` (RFC 8707): the resource server the token is for.
        resource: Option<String>,
    },
    /// `authorization_code`.
    AuthorizationCode {
        /// `code`.
        code: String,
        /// `redirect_uri`, which must be the authorize request's.
        redirect_uri: Option<String>,
        /// PKCE's `code_verifier`.
        verifier: Option<String>,
        /// `resource`, which may repeat the authorize request's.
        resource: Option<String>,
    },
    /// `refresh_token`.
    RefreshToken {
        /// `refresh_token`.
        token: String,
        /// `resource`, which may repeat the one the sign-in was bound to.
        resource: Option<String>,
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
        Grant::ClientCredentials { scopes, resource } => {
            client_credentials::grant(ctx, pool, &client, scopes.as_deref(), resource.as_deref())
        }
        Grant::AuthorizationCode {
            code,
            redirect_uri,
            verifier,
            resource,
        } => code::exchange(
            ctx,
            pool,
            &client,
            code,
            redirect_uri.as_deref(),
            verifier.as_deref(),
            resource.as_deref(),
        ),
        Grant::RefreshToken { token, resource } => {
            let document_refuses = client.metadata.as_ref().is_some_and(|m| !m.refresh);
            if !client_oauth::OAuthSettings::of(&client).enabled || document_refuses {
                return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
            }
            refresh(ctx, pool, &client, token, resource.as_deref())
        }
    }
}
