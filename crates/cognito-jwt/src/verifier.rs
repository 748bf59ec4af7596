//! The verifier: one or more user pools, routed by issuer.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::claim_set::ClaimSet;
use crate::claims::CognitoClaims;
use crate::config::PoolConfig;
use crate::jwk::{KeySet, RS256, VerifyingKey};
use crate::jwks::KeySource;
use crate::token::{DEFAULT_MAX_TOKEN_BYTES, Decomposed, Header, decompose};
use crate::{ConfigError, VerifyError};

/// How long refetches are refused after a JWKS fetch that did not yield the `kid`.
pub const DEFAULT_PENALTY: Duration = Duration::from_secs(10);

/// A token whose signature and claims passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedToken {
    /// The JWS header.
    pub header: Header,
    /// The typed claims.
    pub claims: CognitoClaims,
    payload: Vec<u8>,
}

impl VerifiedToken {
    /// Every claim, as sent (parsed on demand: the typed claims are the fast path).
    pub fn raw(&self) -> Map<String, Value> {
        serde_json::from_slice(&self.payload).unwrap_or_default()
    }

    /// The payload's JSON, as sent.
    pub fn payload_json(&self) -> &[u8] {
        &self.payload
    }
}

struct Pool {
    config: PoolConfig,
    keys: KeySource,
}

/// Verifies Cognito tokens for one or more user pools, caching each pool's JWKS.
///
/// Cheap to share: wrap it in an `Arc` and verify from many tasks at once.
///
/// ```no_run
/// use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
///
/// # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = CognitoJwtVerifier::new(PoolConfig::new(
///     "us-east-1_AbCdEfGhI",
///     TokenUse::Access,
///     ClientIds::one("1example23456789abcdefghij"),
/// )?)?;
/// verifier.hydrate().await?; // optional: fetch the JWKS before the first request
/// let verified = verifier.verify(token).await?;
/// println!("{:?} has groups {:?}", verified.claims.username(), verified.claims.groups());
/// # Ok(()) }
/// ```
pub struct CognitoJwtVerifier {
    pools: HashMap<String, Pool>,
    http: reqwest::Client,
    penalty: Duration,
    max_token_bytes: usize,
}

/// Builds a [`CognitoJwtVerifier`] with several pools or non-default settings.
pub struct VerifierBuilder {
    pools: Vec<PoolConfig>,
    http: Option<reqwest::Client>,
    penalty: Duration,
    max_token_bytes: usize,
}

impl VerifierBuilder {
    /// Adds a user pool.
    pub fn pool(mut self, pool: PoolConfig) -> Self {
        self.pools.push(pool);
        self
    }

    /// How long to refuse refetching a JWKS that lacked a `kid` (default 10 s).
    pub fn penalty(mut self, penalty: Duration) -> Self {
        self.penalty = penalty;
        self
    }

    /// The longest token accepted (default 16 KiB).
    pub fn max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    /// The HTTP client for JWKS fetches (default: rustls, 3 s connect, 5 s total).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The verifier.
    pub fn build(self) -> Result<CognitoJwtVerifier, ConfigError> {
        if self.pools.is_empty() {
            return Err(ConfigError::NoPool);
        }
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(3))
                .timeout(Duration::from_secs(5))
                .build()
                .map_err(|e| ConfigError::Http(e.to_string()))?,
        };
        let mut pools = HashMap::new();
        for config in self.pools {
            let keys = match &config.static_jwks {
                Some(json) => KeySource::fixed(
                    config.jwks_uri.clone(),
                    KeySet::parse(json).map_err(ConfigError::InvalidJwks)?,
                ),
                None => KeySource::remote(config.jwks_uri.clone()),
            };
            let issuer = config.issuer.clone();
            if pools
                .insert(issuer.clone(), Pool { config, keys })
                .is_some()
            {
                return Err(ConfigError::DuplicateIssuer(issuer));
            }
        }
        Ok(CognitoJwtVerifier {
            pools,
            http,
            penalty: self.penalty,
            max_token_bytes: self.max_token_bytes,
        })
    }
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl CognitoJwtVerifier {
    /// A verifier for one pool with default settings.
    pub fn new(pool: PoolConfig) -> Result<Self, ConfigError> {
        Self::builder().pool(pool).build()
    }

    /// A builder for several pools or other settings.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder {
            pools: Vec::new(),
            http: None,
            penalty: DEFAULT_PENALTY,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
        }
    }

    /// Fetches every pool's JWKS now, so that the first request does not wait for it.
    /// Returns how many keys were loaded in all.
    pub async fn hydrate(&self) -> Result<usize, VerifyError> {
        let mut total = 0;
        for pool in self.pools.values() {
            total += pool.keys.hydrate(&self.http).await?;
        }
        Ok(total)
    }

    /// The configured pools' issuers.
    pub fn issuers(&self) -> impl Iterator<Item = &str> {
        self.pools.keys().map(String::as_str)
    }

    /// Verifies a token: structure, algorithm, issuer, signature (fetching the JWKS if the
    /// `kid` is not cached), then the pool's claim policy.
    pub async fn verify(&self, token: &str) -> Result<VerifiedToken, VerifyError> {
        let (parts, pool, claims) = self.route(token)?;
        let key = pool
            .keys
            .key(&self.http, &parts.header.kid, self.penalty)
            .await?;
        Self::finish(parts, pool, claims, &key, now_unix())
    }

    /// Verifies a token with cached keys only, synchronously: for pools with a static JWKS
    /// or after [`hydrate`](Self::hydrate).
    pub fn verify_cached(&self, token: &str) -> Result<VerifiedToken, VerifyError> {
        let (parts, pool, claims) = self.route(token)?;
        let key = pool.keys.cached(&parts.header.kid)?;
        Self::finish(parts, pool, claims, &key, now_unix())
    }

    /// Decomposes the token, reads its claims, and finds its pool by `iss`.
    fn route<'t>(&self, token: &'t str) -> Result<(Decomposed<'t>, &Pool, ClaimSet), VerifyError> {
        let parts = decompose(token, self.max_token_bytes)?;
        if parts.header.alg != RS256 {
            return Err(VerifyError::UnsupportedAlgorithm(parts.header.alg));
        }
        let claims = ClaimSet::parse(&parts.payload)
            .map_err(|e| VerifyError::Malformed(format!("payload: {e}")))?;
        let iss = claims
            .iss
            .as_deref()
            .ok_or_else(|| VerifyError::Malformed("no iss claim".into()))?;
        let pool = self
            .pools
            .get(iss)
            .ok_or_else(|| VerifyError::WrongIssuer(iss.to_owned()))?;
        Ok((parts, pool, claims))
    }

    fn finish(
        parts: Decomposed<'_>,
        pool: &Pool,
        claims: ClaimSet,
        key: &VerifyingKey,
        now: i64,
    ) -> Result<VerifiedToken, VerifyError> {
        if let Some(alg) = &key.alg
            && *alg != parts.header.alg
        {
            return Err(VerifyError::AlgorithmMismatch {
                token: parts.header.alg,
                jwk: alg.clone(),
            });
        }
        if !key.verify(parts.signing_input, &parts.signature) {
            return Err(VerifyError::InvalidSignature);
        }
        let claims = claims.into_claims().map_err(VerifyError::Malformed)?;
        pool.config.check(&claims, now)?;
        Ok(VerifiedToken {
            header: parts.header,
            claims,
            payload: parts.payload,
        })
    }
}

impl std::fmt::Debug for CognitoJwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pools: Vec<_> = self.pools.values().map(|p| &p.config).collect();
        f.debug_struct("CognitoJwtVerifier")
            .field("pools", &pools)
            .field("penalty", &self.penalty)
            .field("max_token_bytes", &self.max_token_bytes)
            .finish()
    }
}
