//! Machine-to-machine tokens: the client_credentials grant, cached and renewed, and a
//! `reqwest-middleware` layer that puts them on a service's requests.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use zeroize::Zeroizing;

use super::{OAuthClient, OAuthError};

/// How long before expiry a cached token is renewed.
const RENEW_BEFORE: Duration = Duration::from_secs(60);

/// Access tokens of the client_credentials grant for one set of scopes, fetched on
/// first use and again shortly before they expire. Concurrent callers share one fetch.
/// Cheap to clone: the clones share the cache.
///
/// ```no_run
/// use cognito::oauth::OAuthClient;
///
/// # async fn run() -> Result<(), cognito::oauth::OAuthError> {
/// let oauth = OAuthClient::builder()
///     .domain("https://example.auth.eu-west-1.amazoncognito.com")
///     .client_id("1example23456789abcdefghij")
///     .client_secret("the-client-secret")
///     .build()?;
/// let tokens = oauth.client_credentials(&["orders/read"]);
/// let bearer = tokens.token().await?; // fetched once, then cached until near expiry
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    client: OAuthClient,
    scope: String,
    resource: Option<String>,
    cached: Arc<Mutex<Option<Cached>>>,
}

struct Cached {
    token: Zeroizing<String>,
    renew_at: Instant,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client", &self.client)
            .field("scope", &self.scope)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

impl OAuthClient {
    /// A token source for the client_credentials grant with `scopes` (resource
    /// servers' scopes; none asks for every scope the client may have).
    pub fn client_credentials(&self, scopes: &[&str]) -> ClientCredentials {
        ClientCredentials {
            client: self.clone(),
            scope: scopes.join(" "),
            resource: None,
            cached: Arc::new(Mutex::new(None)),
        }
    }
}

impl ClientCredentials {
    /// Binds the tokens to one resource server (RFC 8707 `resource`, an absolute URI
    /// that is a resource server's identifier): their `aud` is it, and their scopes
    /// are narrowed to its own.
    ///
    /// ```
    /// # fn main() -> Result<(), cognito::oauth::OAuthError> {
    /// let oauth = cognito::oauth::OAuthClient::builder()
    ///     .local("http://127.0.0.1:9229", "us-east-1_example")
    ///     .client_id("m2m")
    ///     .client_secret("the-client-secret")
    ///     .build()?;
    /// let tokens = oauth
    ///     .client_credentials(&["https://api.example.com/read"])
    ///     .resource("https://api.example.com");
    /// # let _ = tokens;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self.cached = Arc::new(Mutex::new(None));
        self
    }

    /// A valid access token: the cached one, or a new one when it is near expiry.
    pub async fn token(&self) -> Result<String, OAuthError> {
        let mut cached = self.cached.lock().await;
        if let Some(held) = cached.as_ref()
            && Instant::now() < held.renew_at
        {
            return Ok(held.token.to_string());
        }
        let fetched_at = Instant::now();
        let answer = self.fetch().await?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(3600));
        let token = answer.access_token;
        *cached = Some(Cached {
            token: Zeroizing::new(token.clone()),
            renew_at: fetched_at + lifetime.saturating_sub(RENEW_BEFORE),
        });
        Ok(token)
    }

    /// Drops the cached token: the next [`token`](Self::token) fetches a new one.
    pub async fn forget(&self) {
        *self.cached.lock().await = None;
    }

    /// Drops the cached token if it is still `token` (not one renewed since).
    async fn forget_if(&self, token: &str) {
        let mut cached = self.cached.lock().await;
        if cached
            .as_ref()
            .is_some_and(|held| held.token.as_str() == token)
        {
            *cached = None;
        }
    }

    async fn fetch(&self) -> Result<super::tokens::TokenAnswer, OAuthError> {
        if self.client.client_secret.is_none() {
            return Err(OAuthError::Config(
                "the client_credentials grant needs the client's secret".into(),
            ));
        }
        let mut form = vec![("grant_type", "client_credentials")];
        if !self.scope.is_empty() {
            form.push(("scope", self.scope.as_str()));
        }
        if let Some(resource) = &self.resource {
            form.push(("resource", resource.as_str()));
        }
        self.client.token_request(&form).await
    }
}

#[cfg(feature = "reqwest-middleware")]
#[async_trait::async_trait]
impl reqwest_middleware::Middleware for ClientCredentials {
    /// Puts `Authorization: Bearer <token>` on the request; on a 401 the token is
    /// dropped (unless renewed meanwhile), so that the next request fetches a new one.
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let token = self
            .token()
            .await
            .map_err(|e| reqwest_middleware::Error::Middleware(e.into()))?;
        let value = http::HeaderValue::try_from(format!("Bearer {token}"))
            .map_err(|e| reqwest_middleware::Error::Middleware(e.into()))?;
        request
            .headers_mut()
            .insert(http::header::AUTHORIZATION, value);
        let response = next.run(request, extensions).await?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            self.forget_if(&token).await;
        }
        Ok(response)
    }
}
