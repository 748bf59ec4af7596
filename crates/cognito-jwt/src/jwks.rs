//! One issuer's JWKS: cached parsed keys, refetched once for an unknown `kid`,
//! then held back for a penalty period; concurrent fetches share one request.

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use reqwest::Url;

use crate::VerifyError;
use crate::jwk::{KeySet, VerifyingKey};

/// The largest JWKS document accepted.
const MAX_JWKS_BYTES: usize = 1024 * 1024;

/// Where an issuer's keys come from, and the keys last seen there.
pub(crate) struct KeySource {
    uri: Url,
    /// `None` until the first fetch or static load.
    keys: RwLock<Option<Arc<KeySet>>>,
    /// Static keys are never fetched.
    fetchable: bool,
    /// Held while fetching, so that concurrent lookups make one request.
    fetching: tokio::sync::Mutex<()>,
    /// Until when refetches are refused.
    penalty_until: Mutex<Option<Instant>>,
}

impl KeySource {
    pub(crate) fn remote(uri: Url) -> Self {
        Self {
            uri,
            keys: RwLock::new(None),
            fetchable: true,
            fetching: tokio::sync::Mutex::new(()),
            penalty_until: Mutex::new(None),
        }
    }

    pub(crate) fn fixed(uri: Url, keys: KeySet) -> Self {
        Self {
            keys: RwLock::new(Some(Arc::new(keys))),
            fetchable: false,
            ..Self::remote(uri)
        }
    }

    fn current(&self) -> Option<Arc<KeySet>> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The key for `kid` from the cache only.
    pub(crate) fn cached(&self, kid: &str) -> Result<Arc<VerifyingKey>, VerifyError> {
        let keys = self
            .current()
            .ok_or_else(|| VerifyError::JwksNotLoaded(self.uri.to_string()))?;
        keys.get(kid)
            .cloned()
            .ok_or_else(|| VerifyError::UnknownKid(kid.to_owned()))
    }

    fn penalty_left(&self) -> Option<Duration> {
        let until = *self
            .penalty_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        until
            .and_then(|t| t.checked_duration_since(Instant::now()))
            .filter(|left| !left.is_zero())
    }

    fn start_penalty(&self, penalty: Duration) {
        *self
            .penalty_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + penalty);
    }

    /// The key for `kid`, fetching the JWKS when it is not cached.
    pub(crate) async fn key(
        &self,
        http: &reqwest::Client,
        kid: &str,
        penalty: Duration,
    ) -> Result<Arc<VerifyingKey>, VerifyError> {
        match self.cached(kid) {
            Ok(key) => return Ok(key),
            Err(e) if !self.fetchable => return Err(e),
            Err(_) => {}
        }
        let refused = |retry_in| VerifyError::PenaltyPeriod {
            kid: kid.to_owned(),
            retry_in,
        };
        if let Some(left) = self.penalty_left() {
            return Err(refused(left));
        }
        let _one_fetch = self.fetching.lock().await;
        // Whoever held the lock before may have fetched the key, or been refused it.
        if let Ok(key) = self.cached(kid) {
            return Ok(key);
        }
        if let Some(left) = self.penalty_left() {
            return Err(refused(left));
        }
        let fetched = self.fetch(http).await;
        let result = fetched.and_then(|keys| {
            let found = keys.get(kid).cloned();
            *self.keys.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(keys));
            found.ok_or_else(|| VerifyError::UnknownKid(kid.to_owned()))
        });
        if result.is_err() {
            self.start_penalty(penalty);
        }
        result
    }

    /// Fetches the JWKS now (ahead of the first token), unless the keys are static.
    pub(crate) async fn hydrate(&self, http: &reqwest::Client) -> Result<usize, VerifyError> {
        if !self.fetchable {
            return Ok(self.current().map_or(0, |k| k.len()));
        }
        let _one_fetch = self.fetching.lock().await;
        let keys = self.fetch(http).await?;
        let count = keys.len();
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(keys));
        Ok(count)
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<KeySet, VerifyError> {
        let unavailable =
            |what: String| VerifyError::JwksUnavailable(format!("{}: {what}", self.uri));
        tracing::debug!(uri = %self.uri, "fetching JWKS");
        let mut response = http
            .get(self.uri.clone())
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("HTTP {}", response.status())));
        }
        let too_large = || unavailable(format!("document larger than {MAX_JWKS_BYTES} bytes"));
        if response
            .content_length()
            .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
        {
            return Err(too_large());
        }
        // Read chunk by chunk and stop at the cap: a body without a length (chunked)
        // is never held whole beyond it.
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| unavailable(e.to_string()))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        KeySet::parse(&body).map_err(unavailable)
    }
}
