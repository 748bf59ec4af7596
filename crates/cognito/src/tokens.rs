//! Tokens: the set a login returns, its verification, renewal, sign-out and revocation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::types::AuthenticationResultType;
use cognito_jwt::{AccessTokenClaims, CognitoClaims, IdTokenClaims, VerifyError};
use serde::{Deserialize, Serialize};

use crate::{Cognito, Error, Result};

/// The verified claims of a token set.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedClaims {
    /// The id token's claims.
    pub id: IdTokenClaims,
    /// The access token's claims.
    pub access: AccessTokenClaims,
}

/// The device Cognito assigned at this login (`NewDeviceMetadata`), to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDevice {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
}

/// The tokens of one signed-in user.
///
/// Built only from a login or a renewal whose tokens verified, or loaded from a
/// [`TokenStore`](crate::TokenStore); [`Cognito::verify_tokens`] checks them again.
/// `Debug` shows no token.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenSet {
    username: String,
    id_token: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_device: Option<NewDevice>,
    #[serde(skip)]
    claims: Option<Arc<VerifiedClaims>>,
}

impl TokenSet {
    /// The user's name in the pool (`username` of the access token, never an alias).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The id token.
    pub fn id_token(&self) -> &str {
        &self.id_token
    }

    /// The access token.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The refresh token, if the login returned one.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// When the access token expires, from its verified `exp`.
    pub fn expires_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.expires_at.max(0) as u64)
    }

    /// The remembered device this session signed in with, if any.
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// The device Cognito assigned at this login, when it was not confirmed automatically.
    pub fn new_device(&self) -> Option<&NewDevice> {
        self.new_device.as_ref()
    }

    /// The claims, once verified in this process (after a login, a renewal or
    /// [`Cognito::verify_tokens`]); `None` for a set just loaded from a store.
    pub fn claims(&self) -> Option<&VerifiedClaims> {
        self.claims.as_deref()
    }

    pub(crate) fn set_device_key(&mut self, key: Option<String>) {
        self.device_key = key;
        self.new_device = None;
    }
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("username", &self.username)
            .field("id_token", &"<redacted>")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .field("device_key", &self.device_key)
            .finish_non_exhaustive()
    }
}

impl Cognito {
    /// Verifies both tokens (signature, issuer, audience, expiry, token use) and that
    /// they belong to the same user; keeps the claims in the set.
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, mut tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// let claims = cognito.verify_tokens(&mut tokens).await?;
    /// println!("{} ({})", claims.id.username, claims.id.email.as_deref().unwrap_or("-"));
    /// # Ok(()) }
    /// ```
    pub async fn verify_tokens<'t>(&self, tokens: &'t mut TokenSet) -> Result<&'t VerifiedClaims> {
        let claims = self
            .verify_pair(&tokens.id_token, &tokens.access_token)
            .await?;
        tokens.expires_at = claims.access.exp;
        tokens.username = claims.id.username.clone();
        Ok(tokens.claims.insert(Arc::new(claims)))
    }

    async fn verify_pair(&self, id_token: &str, access_token: &str) -> Result<VerifiedClaims> {
        let verifier = self.verifier();
        let id = match verifier.verify(id_token).await?.claims {
            CognitoClaims::Id(claims) => claims,
            CognitoClaims::Access(_) => return Err(wrong_use("id", "access")),
        };
        let access = match verifier.verify(access_token).await?.claims {
            CognitoClaims::Access(claims) => claims,
            CognitoClaims::Id(_) => return Err(wrong_use("access", "id")),
        };
        if id.sub != access.sub {
            return Err(Error::UnexpectedResponse(
                "the id and access tokens are for different users".into(),
            ));
        }
        Ok(VerifiedClaims { id, access })
    }

    /// The token set of an `AuthenticationResult`, verified. `refresh_token` is the one
    /// to keep when the result has none (a renewal).
    pub(crate) async fn token_set(
        &self,
        result: &AuthenticationResultType,
        refresh_token: Option<String>,
        device_key: Option<String>,
    ) -> Result<TokenSet> {
        let missing = |what: &str| Error::UnexpectedResponse(format!("no {what} in the result"));
        let id_token = result.id_token().ok_or_else(|| missing("IdToken"))?;
        let access_token = result
            .access_token()
            .ok_or_else(|| missing("AccessToken"))?;
        let claims = self.verify_pair(id_token, access_token).await?;
        let new_device = result.new_device_metadata().and_then(|meta| {
            Some(NewDevice {
                device_key: meta.device_key()?.to_owned(),
                device_group_key: meta.device_group_key()?.to_owned(),
            })
        });
        Ok(TokenSet {
            username: claims.id.username.clone(),
            id_token: id_token.to_owned(),
            access_token: access_token.to_owned(),
            refresh_token: result.refresh_token().map(str::to_owned).or(refresh_token),
            expires_at: claims.access.exp,
            device_key: claims.access.device_key.clone().or(device_key),
            new_device,
            claims: Some(Arc::new(claims)),
        })
    }

    /// Renews the id and access tokens with the refresh token
    /// (`GetTokensFromRefreshToken`, with the client secret and the device key when
    /// there are). Rotation aware: an app client with refresh token rotation returns a
    /// new refresh token, which replaces the old one; otherwise the old one is kept.
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, mut tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.renew(&mut tokens).await?;
    /// # Ok(()) }
    /// ```
    pub async fn renew(&self, tokens: &mut TokenSet) -> Result<()> {
        let refresh_token = tokens.refresh_token.clone().ok_or(Error::NoRefreshToken)?;
        let output = self
            .sdk()
            .get_tokens_from_refresh_token()
            .client_id(self.client_id())
            .refresh_token(&refresh_token)
            .set_client_secret(self.client_secret().map(str::to_owned))
            .set_device_key(tokens.device_key.clone())
            .send()
            .await?;
        let result = output.authentication_result().ok_or_else(|| {
            Error::UnexpectedResponse("GetTokensFromRefreshToken returned no tokens".into())
        })?;
        let kept = result.refresh_token().map_or(refresh_token, str::to_owned);
        let renewed = self
            .token_set(result, Some(kept), tokens.device_key.clone())
            .await?;
        *tokens = renewed;
        self.store_tokens(tokens)?;
        Ok(())
    }

    /// Renews the tokens when the access token's *verified* expiry is within the
    /// leeway (or past); returns whether it renewed. A token that fails verification
    /// for any other reason is an error, never a reason to trust its `exp`.
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, mut tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// if cognito.check_token(&mut tokens).await? {
    ///     println!("renewed");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn check_token(&self, tokens: &mut TokenSet) -> Result<bool> {
        let due = match self.verifier().verify(&tokens.access_token).await {
            Ok(verified) => {
                let exp = verified.claims.exp();
                tokens.expires_at = exp;
                exp - self.inner.now_unix() <= self.inner.leeway.as_secs() as i64
            }
            Err(VerifyError::Expired { .. }) => true,
            Err(other) => return Err(other.into()),
        };
        if due {
            self.renew(tokens).await?;
        }
        Ok(due)
    }

    /// Signs the user out everywhere (`GlobalSignOut`): every refresh token of the
    /// user is revoked, and the access tokens stop working. Forgets the stored tokens.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.sign_out(&tokens).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_out(&self, tokens: &TokenSet) -> Result<()> {
        self.sdk()
            .global_sign_out()
            .access_token(&tokens.access_token)
            .send()
            .await?;
        self.forget_tokens(&tokens.username)
    }

    /// Revokes this session's refresh token (`RevokeToken`) and the access tokens
    /// issued with it. Forgets the stored tokens.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.revoke(&tokens).await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, tokens: &TokenSet) -> Result<()> {
        let refresh_token = tokens
            .refresh_token
            .as_deref()
            .ok_or(Error::NoRefreshToken)?;
        self.sdk()
            .revoke_token()
            .token(refresh_token)
            .client_id(self.client_id())
            .set_client_secret(self.client_secret().map(str::to_owned))
            .send()
            .await?;
        self.forget_tokens(&tokens.username)
    }

    /// The tokens kept in the token store for `username` (the pool's user name, as
    /// [`TokenSet::username`] gives it), if any.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// if let Some(mut tokens) = cognito.stored_tokens("ada")? {
    ///     cognito.check_token(&mut tokens).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stored_tokens(&self, username: &str) -> Result<Option<TokenSet>> {
        Ok(self.stored(username)?.and_then(|record| record.tokens))
    }

    pub(crate) fn store_tokens(&self, tokens: &TokenSet) -> Result<()> {
        self.update_stored(&tokens.username, |record| {
            record.tokens = Some(tokens.clone())
        })
    }

    fn forget_tokens(&self, username: &str) -> Result<()> {
        self.update_stored(username, |record| record.tokens = None)
    }
}

fn wrong_use(expected: &str, actual: &str) -> Error {
    Error::UnexpectedResponse(format!("the {expected} token is an {actual} token"))
}
