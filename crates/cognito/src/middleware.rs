//! A `reqwest-middleware` layer that puts a Cognito token on each request:
//! pycognito's `RequestsSrpAuth`, for reqwest.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::{Extensions, HeaderName, HeaderValue};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};
use tokio::sync::Mutex;
use zeroize::Zeroizing;

use crate::tokens::TokenSet;
use crate::{Cognito, Error};

/// Which token goes on the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The id token (what API Gateway's Cognito authorizer expects by default; pycognito's default).
    Id,
    /// The access token (for APIs that check scopes).
    Access,
}

/// Logs in with SRP on first use, renews before expiry, logs in again when the
/// refresh token is refused, and puts `Authorization: Bearer <token>` on each request.
/// Concurrent requests share one login or renewal: the others wait for it. Keep it in
/// an `Arc` and add it with `with_arc` to read its counters while it works.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use cognito::{Cognito, middleware::CognitoAuth};
///
/// let cognito = Cognito::builder()
///     .pool_id("us-east-1_AbCdEfGhI")
///     .client_id("1example23456789abcdefghij")
///     .build()?;
/// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///     .with(CognitoAuth::new(cognito, "ada", "Correct-Horse-1!"))
///     .build();
/// let answer = client.get("https://api.example.com/me").send().await?;
/// # Ok(()) }
/// ```
pub struct CognitoAuth {
    cognito: Cognito,
    username: String,
    password: Zeroizing<String>,
    header: HeaderName,
    prefix: String,
    kind: TokenKind,
    leeway: Duration,
    tokens: Mutex<Option<TokenSet>>,
    logins: AtomicU64,
    renewals: AtomicU64,
}

impl std::fmt::Debug for CognitoAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CognitoAuth")
            .field("username", &self.username)
            .field("header", &self.header)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl CognitoAuth {
    /// A layer for one user; `Authorization: Bearer <id token>`, renewing a minute before expiry.
    pub fn new(cognito: Cognito, username: &str, password: &str) -> Self {
        CognitoAuth {
            cognito,
            username: username.to_owned(),
            password: Zeroizing::new(password.to_owned()),
            header: http::header::AUTHORIZATION,
            prefix: "Bearer ".to_owned(),
            kind: TokenKind::Id,
            leeway: Duration::from_secs(60),
            tokens: Mutex::new(None),
            logins: AtomicU64::new(0),
            renewals: AtomicU64::new(0),
        }
    }

    /// Another header than `Authorization`.
    pub fn header(mut self, header: HeaderName) -> Self {
        self.header = header;
        self
    }

    /// Another prefix than `"Bearer "` (`""` for none).
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.to_owned();
        self
    }

    /// Which token to send.
    pub fn token(mut self, kind: TokenKind) -> Self {
        self.kind = kind;
        self
    }

    /// How long before expiry the tokens are renewed.
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// How many logins this layer has made.
    pub fn logins(&self) -> u64 {
        self.logins.load(Ordering::Relaxed)
    }

    /// How many renewals this layer has made.
    pub fn renewals(&self) -> u64 {
        self.renewals.load(Ordering::Relaxed)
    }

    async fn login(&self) -> Result<TokenSet, Error> {
        self.logins.fetch_add(1, Ordering::Relaxed);
        self.cognito
            .login(&self.username, &self.password)
            .await?
            .into_tokens()
    }

    /// The header value to send, logging in or renewing first when needed.
    pub async fn header_value(&self) -> Result<HeaderValue, Error> {
        let mut slot = self.tokens.lock().await;
        let tokens = match slot.take() {
            None => self.login().await?,
            Some(mut tokens) => {
                let due = tokens
                    .expires_at()
                    .duration_since(self.cognito.inner.now())
                    .map_or(true, |left| left <= self.leeway);
                if !due {
                    tokens
                } else {
                    self.renewals.fetch_add(1, Ordering::Relaxed);
                    match self.cognito.renew(&mut tokens).await {
                        Ok(()) => tokens,
                        Err(Error::NotAuthorized(_) | Error::NoRefreshToken) => {
                            self.login().await?
                        }
                        Err(other) => return Err(other),
                    }
                }
            }
        };
        let token = match self.kind {
            TokenKind::Id => tokens.id_token(),
            TokenKind::Access => tokens.access_token(),
        };
        let mut value = HeaderValue::from_str(&format!("{}{token}", self.prefix))
            .map_err(|_| Error::UnexpectedResponse("a token that is not a header value".into()))?;
        value.set_sensitive(true);
        *slot = Some(tokens);
        Ok(value)
    }
}

#[async_trait::async_trait]
impl Middleware for CognitoAuth {
    async fn handle(
        &self,
        mut req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let value = self
            .header_value()
            .await
            .map_err(|e| reqwest_middleware::Error::Middleware(e.into()))?;
        req.headers_mut().insert(self.header.clone(), value);
        next.run(req, extensions).await
    }
}
