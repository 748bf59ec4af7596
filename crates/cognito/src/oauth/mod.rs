//! Cognito's OAuth 2.0 and OpenID Connect endpoints (the hosted UI, managed login), for
//! web apps and services: the authorization code grant with PKCE, `state` and `nonce`
//! ([`OAuthClient::authorize`], [`OAuthClient::finish`]), with the id token verified and
//! bound to its request; refresh, userinfo, revocation and the logout URL; and
//! machine-to-machine tokens ([`ClientCredentials`]) that are cached and renewed.
//!
//! ```no_run
//! use cognito::oauth::OAuthClient;
//!
//! # async fn run(callback_query: &str) -> Result<(), cognito::oauth::OAuthError> {
//! let oauth = OAuthClient::builder()
//!     .domain("https://example.auth.eu-west-1.amazoncognito.com")
//!     .pool_id("eu-west-1_AbCdEfGhI")
//!     .client_id("1example23456789abcdefghij")
//!     .redirect_uri("https://app.example.com/callback")
//!     .build()?;
//! // Send the browser to `request.url`; keep `request` (it serialises) for the callback.
//! let request = oauth.authorize(&["openid", "email"]);
//! // ...the browser comes back to the redirect URI with `?code=...&state=...`:
//! let tokens = oauth.finish(&request, callback_query).await?;
//! println!("signed in as {:?}", tokens.claims().and_then(|c| c.username()));
//! # Ok(()) }
//! ```

mod authorize;
mod client_credentials;
mod error;
mod tokens;

use std::fmt;

use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use zeroize::Zeroizing;

pub use authorize::{AuthorizationRequest, Callback};
pub use client_credentials::ClientCredentials;
pub use error::OAuthError;
pub use tokens::OAuthTokens;

/// An app client of a user pool's hosted endpoints. Cheap to clone.
#[derive(Clone)]
pub struct OAuthClient {
    http: reqwest::Client,
    domain: String,
    client_id: String,
    client_secret: Option<std::sync::Arc<Zeroizing<String>>>,
    redirect_uri: Option<String>,
    verifier: Option<std::sync::Arc<CognitoJwtVerifier>>,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("domain", &self.domain)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

impl OAuthClient {
    /// Starts an [`OAuthClientBuilder`].
    pub fn builder() -> OAuthClientBuilder {
        OAuthClientBuilder::default()
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The URL of one of the hosted endpoints (`oauth2/token`, `logout`...).
    pub(crate) fn endpoint(&self, path: &str) -> String {
        format!("{}/{path}", self.domain)
    }

    /// The sign-out URL: ends the hosted session, then sends the browser to
    /// `logout_uri`, which must be one of the client's LogoutURLs.
    pub fn logout_url(&self, logout_uri: &str) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("logout_uri", logout_uri)
            .finish();
        format!("{}?{query}", self.endpoint("logout"))
    }

    /// The user's claims from `/oauth2/userInfo`, for an access token with the `openid`
    /// scope.
    pub async fn userinfo(
        &self,
        access_token: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, OAuthError> {
        let response = self
            .http
            .get(self.endpoint("oauth2/userInfo"))
            .bearer_auth(access_token)
            .send()
            .await?;
        tokens::read_json(response).await
    }

    /// Revokes a refresh token and the tokens issued with it (`/oauth2/revoke`).
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), OAuthError> {
        let form = [("token", refresh_token)];
        let response = self
            .authenticated(self.http.post(self.endpoint("oauth2/revoke")), &form)
            .send()
            .await?;
        if response.status().is_success() {
            return Ok(());
        }
        tokens::read_json::<serde_json::Value>(response)
            .await
            .map(drop)
    }

    /// A form request to the token or revocation endpoint, with the client's
    /// authentication: HTTP Basic when it has a secret (client_secret_basic), else its
    /// `client_id` in the form (a public client).
    pub(crate) fn authenticated(
        &self,
        request: reqwest::RequestBuilder,
        form: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form {
            body.append_pair(k, v);
        }
        let request = match &self.client_secret {
            Some(secret) => request.basic_auth(
                form_urlencoded::byte_serialize(self.client_id.as_bytes()).collect::<String>(),
                Some(form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()),
            ),
            None => {
                body.append_pair("client_id", &self.client_id);
                request
            }
        };
        request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish())
    }
}

/// Builds an [`OAuthClient`].
#[derive(Default)]
pub struct OAuthClientBuilder {
    domain: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Zeroizing<String>>,
    redirect_uri: Option<String>,
    pool_id: Option<String>,
    issuer_base: Option<String>,
    http: Option<reqwest::Client>,
}

impl OAuthClientBuilder {
    /// The base URL of the pool's hosted endpoints: its domain
    /// (`https://PREFIX.auth.REGION.amazoncognito.com`, or a custom domain), or for a
    /// `cognito-local` server `{endpoint}/{pool_id}` (see [`local`](Self::local)).
    pub fn domain(mut self, url: impl Into<String>) -> Self {
        self.domain = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// A `cognito-local` server's pool: its endpoints under `{endpoint}/{pool_id}`,
    /// tokens issued by the same URL.
    pub fn local(self, endpoint: &str, pool_id: &str) -> Self {
        let endpoint = endpoint.trim_end_matches('/');
        self.domain(format!("{endpoint}/{pool_id}"))
            .pool_id(pool_id)
            .issuer_base(endpoint)
    }

    /// The app client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The app client's secret, for confidential clients (sent as HTTP Basic).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Zeroizing::new(secret.into()));
        self
    }

    /// The redirect URI of the code grant: one of the client's CallbackURLs.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The user pool, whose keys verify id tokens (needed for the code grant).
    pub fn pool_id(mut self, pool_id: impl Into<String>) -> Self {
        self.pool_id = Some(pool_id.into());
        self
    }

    /// The issuer base of the tokens, when it is not AWS's (a `cognito-local` URL).
    pub fn issuer_base(mut self, base: impl Into<String>) -> Self {
        self.issuer_base = Some(base.into());
        self
    }

    /// The HTTP client (default: rustls, 5 s connect, 10 s total).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client.
    pub fn build(self) -> Result<OAuthClient, OAuthError> {
        let config = |what: &str| OAuthError::Config(format!("{what} is required"));
        let domain = self.domain.ok_or_else(|| config("the domain"))?;
        let client_id = self.client_id.ok_or_else(|| config("the client id"))?;
        let verifier = match &self.pool_id {
            Some(pool_id) => {
                let mut policy =
                    PoolConfig::new(pool_id, TokenUse::Any, ClientIds::one(client_id.clone()))
                        .map_err(|e| OAuthError::Config(e.to_string()))?;
                if let Some(base) = &self.issuer_base {
                    policy = policy
                        .issuer_base(base)
                        .map_err(|e| OAuthError::Config(e.to_string()))?;
                }
                let verifier = CognitoJwtVerifier::new(policy)
                    .map_err(|e| OAuthError::Config(e.to_string()))?;
                Some(std::sync::Arc::new(verifier))
            }
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(std::time::Duration::from_secs(5))
                .timeout(std::time::Duration::from_secs(10))
                .build()?,
        };
        Ok(OAuthClient {
            http,
            domain,
            client_id,
            client_secret: self.client_secret.map(std::sync::Arc::new),
            redirect_uri: self.redirect_uri,
            verifier,
        })
    }
}
