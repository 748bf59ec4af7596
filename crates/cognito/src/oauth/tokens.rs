//! The token endpoint's answers, and the checks an id token must pass before its
//! claims are believed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_jwt::{CognitoClaims, TokenUse, VerifiedToken};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{OAuthClient, OAuthError};

/// Tokens from the token endpoint, the id token verified.
#[derive(Clone)]
pub struct OAuthTokens {
    /// The id token (with the `openid` scope).
    pub id_token: Option<String>,
    /// The access token.
    pub access_token: String,
    /// The refresh token (the code grant's; refreshing gives none).
    pub refresh_token: Option<String>,
    /// The access token's lifetime, in seconds from issue.
    pub expires_in: u64,
    /// The scopes granted, when the endpoint said.
    pub scope: Option<String>,
    id: Option<VerifiedToken>,
}

impl std::fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field("claims", &self.claims())
            .finish_non_exhaustive()
    }
}

impl OAuthTokens {
    /// The verified id token's claims.
    pub fn claims(&self) -> Option<&CognitoClaims> {
        self.id.as_ref().map(|v| &v.claims)
    }

    /// The verified id token, with every claim it carries.
    pub fn id(&self) -> Option<&VerifiedToken> {
        self.id.as_ref()
    }
}

/// A successful token endpoint answer (RFC 6749 §5.1).
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub(crate) access_token: String,
    pub(crate) id_token: Option<String>,
    pub(crate) refresh_token: Option<String>,
    pub(crate) expires_in: Option<u64>,
    pub(crate) token_type: Option<String>,
    pub(crate) scope: Option<String>,
}

/// An error answer (RFC 6749 §5.2).
#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    error_description: Option<String>,
}

/// The JSON of a 2xx answer, or the endpoint's OAuth error.
pub(crate) async fn read_json<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, OAuthError> {
    let status = response.status();
    // A protected resource (userInfo) names its error in WWW-Authenticate (RFC 6750 §3).
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_error);
    let body = response.bytes().await?;
    if status.is_success() {
        return serde_json::from_slice(&body)
            .map_err(|e| OAuthError::UnexpectedResponse(format!("{status}: {e}")));
    }
    match serde_json::from_slice::<ErrorAnswer>(&body) {
        Ok(answer) => Err(OAuthError::Endpoint {
            error: answer.error,
            description: answer.error_description,
        }),
        Err(_) => match challenge {
            Some((error, description)) => Err(OAuthError::Endpoint { error, description }),
            None => Err(OAuthError::UnexpectedResponse(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(200)
                    .collect::<String>()
            ))),
        },
    }
}

/// The `error` and `error_description` of a `Bearer` challenge:
/// `Bearer error="invalid_token", error_description="..."` (Cognito's documentation
/// shows the parameters without the scheme; both are read).
fn bearer_error(challenge: &str) -> Option<(String, Option<String>)> {
    let params = challenge.strip_prefix("Bearer").unwrap_or(challenge);
    let value = |name: &str| {
        let start = params.find(&format!("{name}=\""))? + name.len() + 2;
        let end = params[start..].find('"')?;
        Some(params[start..start + end].to_owned())
    };
    Some((value("error")?, value("error_description")))
}

impl OAuthClient {
    /// Posts a grant to the token endpoint.
    pub(crate) async fn token_request(
        &self,
        form: &[(&str, &str)],
    ) -> Result<TokenAnswer, OAuthError> {
        let response = self
            .authenticated(self.http.post(self.endpoint("oauth2/token")), form)
            .send()
            .await?;
        let answer: TokenAnswer = read_json(response).await?;
        match answer.token_type.as_deref() {
            Some(kind) if kind.eq_ignore_ascii_case("bearer") => Ok(answer),
            other => Err(OAuthError::UnexpectedResponse(format!(
                "token_type {other:?}, not Bearer"
            ))),
        }
    }

    /// The tokens of an answer, its id token verified: signature, issuer, audience
    /// (this client), expiry, `at_hash` against the access token, and `nonce` when the
    /// request sent one (OpenID Connect Core §3.1.3.7).
    pub(crate) async fn verified(
        &self,
        answer: TokenAnswer,
        nonce: Option<&str>,
    ) -> Result<OAuthTokens, OAuthError> {
        let id = match &answer.id_token {
            Some(token) => {
                let verifier = self.verifier.as_ref().ok_or_else(|| {
                    OAuthError::Config("a pool id is required to verify id tokens".into())
                })?;
                let verified = verifier.verify(token).await?;
                if verified.claims.token_use() != TokenUse::Id {
                    return Err(OAuthError::UnexpectedResponse(
                        "the id_token is not an id token".into(),
                    ));
                }
                let raw = verified.raw();
                if let Some(expected) = nonce {
                    let sent = raw.get("nonce").and_then(|v| v.as_str()).unwrap_or("");
                    if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
                        return Err(OAuthError::NonceMismatch);
                    }
                }
                if let Some(at_hash) = raw.get("at_hash").and_then(|v| v.as_str())
                    && at_hash != token_hash(&answer.access_token)
                {
                    return Err(OAuthError::AtHashMismatch);
                }
                Some(verified)
            }
            None => None,
        };
        Ok(OAuthTokens {
            id_token: answer.id_token,
            access_token: answer.access_token,
            refresh_token: answer.refresh_token,
            expires_in: answer.expires_in.unwrap_or(3600),
            scope: answer.scope,
            id,
        })
    }

    /// New tokens for a refresh token (the `refresh_token` grant); the id token
    /// verified. The answer has no refresh token unless the pool rotates them.
    pub async fn refresh(&self, refresh_token: &str) -> Result<OAuthTokens, OAuthError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        let answer = self.token_request(&form).await?;
        self.verified(answer, None).await
    }
}

/// `at_hash` of an access token signed with RS256: the left half of its SHA-256,
/// base64url (OpenID Connect Core §3.1.3.6).
pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}
