//! What a verifier accepts from one user pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::claims::{CognitoClaims, TokenUse};
use crate::jwk::KeySet;
use crate::{ConfigError, VerifyError};

/// The environment variable pycognito reads a static JWKS from.
pub const COGNITO_JWKS_ENV: &str = "COGNITO_JWKS";

/// The app clients a pool accepts tokens for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIds {
    /// Any app client of the pool, said explicitly.
    Any,
    /// Only these.
    Only(Vec<String>),
}

impl ClientIds {
    /// One app client.
    pub fn one(client_id: impl Into<String>) -> Self {
        Self::Only(vec![client_id.into()])
    }

    fn allows(&self, client_id: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Only(ids) => ids.iter().any(|id| id == client_id),
        }
    }
}

/// A check of the application's own, run after every other check passed.
pub type CustomCheck = Arc<dyn Fn(&CognitoClaims) -> Result<(), String> + Send + Sync>;

/// What the verifier accepts from one user pool.
///
/// ```
/// use std::time::Duration;
/// use cognito_jwt::{ClientIds, PoolConfig, TokenUse};
///
/// let pool = PoolConfig::new("eu-west-1_Example1", TokenUse::Access, ClientIds::one("app-client-id"))?
///     .require_groups(["admin", "editor"]) // at least one of them
///     .grace(Duration::from_secs(30));
/// assert_eq!(pool.issuer_url(), "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1");
/// # Ok::<(), cognito_jwt::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct PoolConfig {
    pub(crate) pool_id: String,
    pub(crate) token_use: TokenUse,
    pub(crate) clients: ClientIds,
    pub(crate) groups: Vec<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) grace_seconds: i64,
    pub(crate) issuer: String,
    pub(crate) jwks_uri: Url,
    pub(crate) static_jwks: Option<Arc<Vec<u8>>>,
    pub(crate) custom_check: Option<CustomCheck>,
}

/// The region of a valid pool id (the workspace's one rule, `cognito_srp::PoolId`).
fn valid_pool_id(id: &str) -> Option<String> {
    cognito_srp::PoolId::parse(id)
        .ok()
        .map(|pool| pool.region().to_owned())
}

/// An absolute URL the verifier may fetch from: https, or http on a loopback host.
fn fetchable_url(text: &str) -> Result<Url, ConfigError> {
    let invalid = || ConfigError::InvalidUrl(text.to_owned());
    let url = Url::parse(text).map_err(|_| invalid())?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(invalid()),
    }
}

impl PoolConfig {
    /// A pool by id, the token it accepts, and for which app clients.
    /// The issuer is Cognito's, `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    pub fn new(
        pool_id: &str,
        token_use: TokenUse,
        clients: ClientIds,
    ) -> Result<Self, ConfigError> {
        let region =
            valid_pool_id(pool_id).ok_or_else(|| ConfigError::InvalidPoolId(pool_id.to_owned()))?;
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}");
        let jwks_uri = fetchable_url(&format!("{issuer}/.well-known/jwks.json"))?;
        Ok(Self {
            pool_id: pool_id.to_owned(),
            token_use,
            clients,
            groups: Vec::new(),
            scopes: Vec::new(),
            grace_seconds: 0,
            issuer,
            jwks_uri,
            static_jwks: None,
            custom_check: None,
        })
    }

    /// Another issuer base, such as a `cognito-local` server's URL: the issuer
    /// becomes `<base>/<pool id>` and the JWKS `<issuer>/.well-known/jwks.json`.
    pub fn issuer_base(self, base: &str) -> Result<Self, ConfigError> {
        let issuer = format!("{}/{}", base.trim_end_matches('/'), self.pool_id);
        self.issuer(&issuer)
    }

    /// Another issuer, exactly as tokens carry it in `iss`; the JWKS is fetched from
    /// `<issuer>/.well-known/jwks.json` unless [`jwks_uri`](Self::jwks_uri) says otherwise.
    pub fn issuer(mut self, issuer: &str) -> Result<Self, ConfigError> {
        let issuer = issuer.trim_end_matches('/');
        self.jwks_uri = fetchable_url(&format!("{issuer}/.well-known/jwks.json"))?;
        self.issuer = issuer.to_owned();
        Ok(self)
    }

    /// Where to fetch the JWKS from (https, or http on loopback).
    pub fn jwks_uri(mut self, uri: &str) -> Result<Self, ConfigError> {
        self.jwks_uri = fetchable_url(uri)?;
        Ok(self)
    }

    /// Use this JWKS document and never fetch one (offline use).
    pub fn static_jwks(mut self, jwks_json: &str) -> Result<Self, ConfigError> {
        KeySet::parse(jwks_json.as_bytes()).map_err(ConfigError::InvalidJwks)?;
        self.static_jwks = Some(Arc::new(jwks_json.as_bytes().to_vec()));
        Ok(self)
    }

    /// If `COGNITO_JWKS` is set (as for pycognito), use it as a static JWKS.
    pub fn static_jwks_from_env(self) -> Result<Self, ConfigError> {
        match std::env::var(COGNITO_JWKS_ENV) {
            Ok(json) if !json.trim().is_empty() => self.static_jwks(&json),
            _ => Ok(self),
        }
    }

    /// Accept only tokens in at least one of these groups (`cognito:groups`).
    pub fn require_groups<I: IntoIterator<Item = S>, S: Into<String>>(mut self, groups: I) -> Self {
        self.groups = groups.into_iter().map(Into::into).collect();
        self
    }

    /// Accept only tokens with at least one of these scopes (`scope`; id tokens have none).
    pub fn require_scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Tolerance for clock skew on `exp` and `nbf` (whole seconds).
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace_seconds = i64::try_from(grace.as_secs()).unwrap_or(i64::MAX);
        self
    }

    /// A check of the application's own; its `Err` message becomes [`VerifyError::CustomCheck`].
    pub fn custom_check(
        mut self,
        check: impl Fn(&CognitoClaims) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        self.custom_check = Some(Arc::new(check));
        self
    }

    /// The pool id.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The issuer tokens must carry.
    pub fn issuer_url(&self) -> &str {
        &self.issuer
    }

    /// Checks the claims of a token whose signature and issuer are already verified.
    pub(crate) fn check(&self, claims: &CognitoClaims, now: i64) -> Result<(), VerifyError> {
        let actual = claims.token_use();
        if self.token_use != TokenUse::Any && self.token_use != actual {
            return Err(VerifyError::WrongTokenUse {
                expected: self.token_use,
                actual: actual.to_string(),
            });
        }
        if !self.clients.allows(claims.client_id()) {
            return Err(VerifyError::ClientMismatch(claims.client_id().to_owned()));
        }
        let exp = claims.exp();
        if now > exp.saturating_add(self.grace_seconds) {
            return Err(VerifyError::Expired { exp, now });
        }
        if let Some(nbf) = claims.nbf()
            && now.saturating_add(self.grace_seconds) < nbf
        {
            return Err(VerifyError::NotYetValid { nbf, now });
        }
        if !self.groups.is_empty() && !claims.groups().iter().any(|g| self.groups.contains(g)) {
            return Err(VerifyError::MissingGroup);
        }
        if !self.scopes.is_empty() {
            let has = claims
                .as_access()
                .is_some_and(|c| c.scopes().any(|s| self.scopes.iter().any(|r| r == s)));
            if !has {
                return Err(VerifyError::MissingScope);
            }
        }
        if let Some(check) = &self.custom_check {
            check(claims).map_err(VerifyError::CustomCheck)?;
        }
        Ok(())
    }
}

impl fmt::Debug for PoolConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolConfig")
            .field("pool_id", &self.pool_id)
            .field("token_use", &self.token_use)
            .field("clients", &self.clients)
            .field("groups", &self.groups)
            .field("scopes", &self.scopes)
            .field("grace_seconds", &self.grace_seconds)
            .field("issuer", &self.issuer)
            .field("jwks_uri", &self.jwks_uri.as_str())
            .field("static_jwks", &self.static_jwks.is_some())
            .field("custom_check", &self.custom_check.is_some())
            .finish()
    }
}
