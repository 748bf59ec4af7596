//! The server's own HTTP requests to peers it does not serve: identity providers
//! (discovery, tokens, keys, userInfo) and client ID metadata documents. One client
//! for each policy, with AWS's `User-Agent` ("includes the user-agent header
//! Amazon/Cognito"), a time limit, and the system's trust roots plus any the server
//! was given (a test's own certificate authority, a company's).

use std::time::Duration;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a certificate given to trust was not taken.
#[derive(Debug, thiserror::Error)]
#[error("not a PEM certificate: {0}")]
pub struct CertificateError(String);

/// The HTTP clients of the server's outbound requests.
#[derive(Clone)]
pub(crate) struct Outbound {
    /// Follows redirects (identity providers' endpoints may move).
    following: reqwest::Client,
    /// Follows none (a client metadata document is served at its own URL).
    strict: reqwest::Client,
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbound").finish_non_exhaustive()
    }
}

impl Default for Outbound {
    fn default() -> Self {
        Self::new(&[]).unwrap_or_else(|_| Self {
            following: reqwest::Client::new(),
            strict: reqwest::Client::new(),
        })
    }
}

impl Outbound {
    /// Clients that trust the system's roots and `roots` (PEM certificates).
    pub fn new(roots: &[Vec<u8>]) -> Result<Self, CertificateError> {
        let mut certificates = Vec::new();
        for pem in roots {
            let found = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| CertificateError(e.to_string()))?;
            if found.is_empty() {
                return Err(CertificateError("no certificate in it".into()));
            }
            certificates.extend(found);
        }
        let build = |redirects: reqwest::redirect::Policy| {
            reqwest::Client::builder()
                .user_agent("Amazon/Cognito")
                .timeout(TIMEOUT)
                .redirect(redirects)
                .tls_certs_merge(certificates.clone())
                .build()
                .map_err(|e| CertificateError(e.to_string()))
        };
        Ok(Self {
            following: build(reqwest::redirect::Policy::limited(20))?,
            strict: build(reqwest::redirect::Policy::none())?,
        })
    }

    /// The client for identity providers.
    pub fn providers(&self) -> &reqwest::Client {
        &self.following
    }

    /// GETs a JSON document at `url`, following no redirect, from a thread outside
    /// the runtime's workers (an operation's blocking task): its body, at most
    /// `most` bytes, and its `Cache-Control` max-age.
    pub fn document_blocking(&self, url: &str, most: usize) -> Result<Document, String> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| "outbound requests run only inside the server's runtime".to_owned())?;
        runtime.block_on(async {
            let response = self
                .strict
                .get(url)
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await
                .map_err(|e| format!("the request failed: {}", with_source(&e)))?;
            let status = response.status();
            if !status.is_success() {
                return Err(format!("the answer was HTTP {}", status.as_u16()));
            }
            let max_age = max_age(response.headers());
            let body = read(response, most)
                .await
                .map_err(|()| format!("the answer was unreadable or over {most} bytes"))?;
            Ok(Document { body, max_age })
        })
    }
}

/// A fetched document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    /// Its body.
    pub body: Vec<u8>,
    /// `Cache-Control: max-age`, seconds, when given.
    pub max_age: Option<i64>,
}

/// The `max-age` of a `Cache-Control` header.
fn max_age(headers: &reqwest::header::HeaderMap) -> Option<i64> {
    headers
        .get_all(reqwest::header::CACHE_CONTROL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|directive| {
            let (name, value) = directive.trim().split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("max-age")
                .then(|| value.trim().trim_matches('"').parse().ok())
                .flatten()
        })
}

/// A request error's text and its cause's (a refused connection, an untrusted
/// certificate).
fn with_source(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        text = format!("{text} ({source})");
    }
    text
}

/// A response's body, at most `most` bytes.
pub(crate) async fn read(mut response: reqwest::Response, most: usize) -> Result<Vec<u8>, ()> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| ())? {
        if body.len() + chunk.len() > most {
            return Err(());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_from_any_directive_list() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::CACHE_CONTROL,
            "public, Max-Age=172800".parse().unwrap(),
        );
        assert_eq!(max_age(&headers), Some(172_800));
        headers.insert(reqwest::header::CACHE_CONTROL, "no-store".parse().unwrap());
        assert_eq!(max_age(&headers), None);
    }
}
