//! Client ID metadata documents (CIMD): an OAuth client whose `client_id` is an https
//! URL, accepted when the URL matches a CIMD policy's patterns, its registration the
//! JSON document served at that URL ("Amazon Cognito fetches the document during the
//! /oauth2/authorize request ... then uses the document as the client's registration
//! for that request"). The registration is a public client of the policy's app client:
//! its grants those that both the app client and the document allow, its scopes the
//! app client's (narrowed by the document's `scope`), its redirect URIs the document's,
//! its id the URL: codes, sign-ins and refresh tokens are bound to it, and tokens name
//! it in `aud` and `client_id` (an OpenID relying party checks that `aud` holds the
//! `client_id` it used). Lifetimes, attribute permissions and triggers are the app
//! client's.
//!
//! A fetched document is cached under its policy for the policy's CacheDuration, or the
//! document's `Cache-Control: max-age` when that lies between a day and a year (the API
//! reference's CacheDuration); ListClientMetadataURLs lists the cache and
//! UpdateClientMetadataURLState refreshes or drops an entry. Documents are fetched
//! only for URLs an administrator's policy allows, over HTTPS, without following
//! redirects, at most [`MOST_BYTES`]; a pool caches at most [`MOST_DOCUMENTS`], the
//! oldest making way, so unauthenticated authorize requests cannot grow storage.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Ctx;
use super::cimd_policies::{self, CimdPolicyRecord};
use super::client_oauth::registrable_url;
use super::clients;
use super::records::{ClientRecord, MetadataClient, PoolRecord};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// The most of a document read.
pub const MOST_BYTES: usize = 16 * 1024;

/// The most documents a pool caches.
pub const MOST_DOCUMENTS: usize = 1000;

/// A day and a year (31,556,952 s), the bounds of a document's own `max-age`.
const DAY: i64 = 86_400;
const YEAR: i64 = 31_556_952;

/// What a metadata document registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Registration {
    /// `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// `post_logout_redirect_uris`.
    pub post_logout_redirect_uris: Vec<String>,
    /// `grant_types` (RFC 7591's default: `authorization_code`).
    pub grant_types: Vec<String>,
    /// `response_types` (default: `code`).
    pub response_types: Vec<String>,
    /// `scope`, split, when given.
    pub scope: Option<Vec<String>>,
    /// `client_name`.
    pub client_name: Option<String>,
}

/// A cached document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ClientDocumentRecord {
    /// The document's URL, the client's id.
    pub url: String,
    /// The policy it was accepted under.
    pub policy_id: String,
    /// What it registers.
    pub registration: Registration,
    /// When it was fetched (`CachedDate`).
    pub cached: UnixTime,
    /// When it must be fetched again (`ExpirationDate`).
    pub expires: UnixTime,
}

impl Record for ClientDocumentRecord {
    const KIND: &'static str = "client_document";
}

fn key(policy_id: &str, url: &str) -> String {
    format!("{policy_id}/{url}")
}

/// Whether a `client_id` names a metadata document rather than an app client.
pub fn is_document_url(client_id: &str) -> bool {
    client_id.starts_with("https://")
}

/// Whether `url` matches a policy's URL pattern. `*` stands for any run of characters
/// except `/` in the host and port, and for any run at all in the path; a URL with
/// credentials, a query or a fragment, without a path, or with dot segments matches
/// nothing (the CIMD draft's client identifier rules). The API reference says only
/// that "patterns can contain the * wildcard character".
pub fn matches(pattern: &str, url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return false;
    };
    let (Some(rest), Some(pattern)) = (
        url.strip_prefix("https://"),
        pattern.strip_prefix("https://"),
    ) else {
        return false;
    };
    let clean = parsed.username().is_empty()
        && parsed.password().is_none()
        && parsed.query().is_none()
        && parsed.fragment().is_none()
        && parsed.host_str().is_some()
        && !url.contains(['?', '#', '@', '\\']);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let dotted = path
        .split('/')
        .any(|segment| segment == "." || segment == "..");
    if !clean || path.is_empty() || dotted {
        return false;
    }
    let (pattern_authority, pattern_path) = pattern.split_once('/').unwrap_or((pattern, ""));
    glob(pattern_authority.as_bytes(), authority.as_bytes(), false)
        && glob(pattern_path.as_bytes(), path.as_bytes(), true)
}

/// `*` globbing; a star crosses `/` only when `across` (iterative, linear-ish).
fn glob(pattern: &[u8], text: &[u8], across: bool) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            if !across && text[st] == b'/' {
                return false;
            }
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// The first of the pool's policies (in id order) whose patterns `url` matches.
pub fn policy_for(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    url: &str,
) -> OpResult<Option<CimdPolicyRecord>> {
    let policies = cimd_policies::list(ctx, pool, None, usize::MAX)?;
    Ok(policies
        .into_iter()
        .map(|(_, policy)| policy)
        .find(|policy| policy.url_patterns.iter().any(|p| matches(p, url))))
}

/// Why a document was not taken: the authorize or token endpoint's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unusable(pub String);

/// Reads a fetched document as the registration of `url`.
fn registration(url: &str, body: &[u8]) -> Result<Registration, String> {
    let document: Value = serde_json::from_slice(body).map_err(|_| "it is not JSON".to_owned())?;
    let document = document
        .as_object()
        .ok_or_else(|| "it is not a JSON object".to_owned())?;
    if document.get("client_id").and_then(Value::as_str) != Some(url) {
        return Err("its client_id is not its URL".into());
    }
    // "CIMD clients are public clients. The metadata document's
    // token_endpoint_auth_method value must support none."
    match document.get("token_endpoint_auth_method") {
        None => {}
        Some(Value::String(method)) if method == "none" => {}
        Some(_) => return Err("its token_endpoint_auth_method is not none".into()),
    }
    if document.contains_key("client_secret") {
        return Err("it holds a client_secret".into());
    }
    let strings = |name: &str, default: &[&str]| -> Result<Vec<String>, String> {
        match document.get(name) {
            None => Ok(default.iter().map(|s| (*s).to_owned()).collect()),
            Some(Value::Array(values)) => values
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("its {name} are not strings")),
            Some(_) => Err(format!("its {name} is not a list")),
        }
    };
    let redirect_uris = strings("redirect_uris", &[])?;
    if redirect_uris.is_empty() {
        return Err("it lists no redirect_uris".into());
    }
    if let Some(bad) = redirect_uris.iter().find(|u| !registrable_url(u)) {
        return Err(format!("its redirect URI {bad} cannot be registered"));
    }
    let text = |name: &str| {
        document
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Ok(Registration {
        redirect_uris,
        post_logout_redirect_uris: strings("post_logout_redirect_uris", &[])?,
        grant_types: strings("grant_types", &["authorization_code"])?,
        response_types: strings("response_types", &["code"])?,
        scope: text("scope").map(|s| {
            s.split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        client_name: text("client_name"),
    })
}

/// Fetches `url`'s document for `policy` (without the store's lock) and caches it.
fn fetch(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    policy: &CimdPolicyRecord,
    url: &str,
) -> OpResult<Result<ClientDocumentRecord, Unusable>> {
    let outbound = ctx.outbound;
    let fetched = ctx.unlocked(|| outbound.document_blocking(url, MOST_BYTES))?;
    let unusable = |why: String| {
        Unusable(format!(
            "The client metadata document could not be used: {why}."
        ))
    };
    let document = match fetched {
        Ok(document) => document,
        Err(why) => return Ok(Err(unusable(why))),
    };
    let registration = match registration(url, &document.body) {
        Ok(registration) => registration,
        Err(why) => return Ok(Err(unusable(why))),
    };
    let ttl = document
        .max_age
        .filter(|age| (DAY..=YEAR).contains(age))
        .unwrap_or(policy.cache_duration.unwrap_or(DAY));
    let record = ClientDocumentRecord {
        url: url.to_owned(),
        policy_id: policy.id.clone(),
        registration,
        cached: ctx.now,
        expires: ctx.now.plus_secs(ttl),
    };
    make_room(ctx, pool, &key(&policy.id, url))?;
    ctx.tx().put(&pool.id, &key(&policy.id, url), &record)?;
    Ok(Ok(record))
}

/// Drops the pool's oldest document when it caches [`MOST_DOCUMENTS`] and `key` is
/// not one of them.
fn make_room(ctx: &Ctx<'_>, pool: &PoolRecord, key: &str) -> OpResult<()> {
    let cached: Vec<(String, ClientDocumentRecord)> = ctx.tx().list(&pool.id, None, usize::MAX)?;
    if cached.len() < MOST_DOCUMENTS || cached.iter().any(|(k, _)| k == key) {
        return Ok(());
    }
    if let Some((oldest, _)) = cached.iter().min_by_key(|(_, record)| record.cached) {
        ctx.tx().delete::<ClientDocumentRecord>(&pool.id, oldest)?;
    }
    Ok(())
}

/// The client a metadata document URL registers: `None` when no policy takes the URL
/// or the policy's app client is gone (the client does not exist), the fetch's or the
/// document's fault when it cannot be used.
pub fn client(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    url: &str,
) -> OpResult<Option<Result<ClientRecord, Unusable>>> {
    let Some(policy) = policy_for(ctx, pool, url)? else {
        return Ok(None);
    };
    let Some(app_client) = clients::find(ctx, pool, &policy.client_id)? else {
        return Ok(None);
    };
    let cached: Option<ClientDocumentRecord> = ctx.tx().get(&pool.id, &key(&policy.id, url))?;
    let document = match cached.filter(|record| ctx.now < record.expires) {
        Some(record) => record,
        None => match fetch(ctx, pool, &policy, url)? {
            Ok(record) => record,
            Err(unusable) => return Ok(Some(Err(unusable))),
        },
    };
    Ok(Some(Ok(registered(app_client, &document))))
}

/// The app client as a document registers it: public, its grants, scopes and URLs
/// narrowed by the document.
fn registered(mut client: ClientRecord, document: &ClientDocumentRecord) -> ClientRecord {
    let registration = &document.registration;
    let grants = |grant: &str, response: &str| {
        registration.grant_types.iter().any(|g| g == grant)
            && registration.response_types.iter().any(|r| r == response)
    };
    let strings = |key: &str| -> Vec<String> {
        client
            .settings
            .get(key)
            .and_then(Value::as_array)
            .map_or_else(Vec::new, |values| {
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
    };
    // "CIMD doesn't support the client_credentials grant."
    let flows: Vec<String> = strings("AllowedOAuthFlows")
        .into_iter()
        .filter(|flow| match flow.as_str() {
            "code" => grants("authorization_code", "code"),
            "implicit" => grants("implicit", "token"),
            _ => false,
        })
        .collect();
    let scopes: Vec<String> = strings("AllowedOAuthScopes")
        .into_iter()
        .filter(|scope| {
            registration
                .scope
                .as_ref()
                .is_none_or(|asked| asked.contains(scope))
        })
        .collect();
    client.secret = None;
    client.secrets.clear();
    let settings = &mut client.settings;
    settings.insert("AllowedOAuthFlows".into(), json!(flows));
    settings.insert("AllowedOAuthScopes".into(), json!(scopes));
    settings.insert("CallbackURLs".into(), json!(registration.redirect_uris));
    settings.insert(
        "LogoutURLs".into(),
        json!(registration.post_logout_redirect_uris),
    );
    settings.remove("DefaultRedirectURI");
    client.metadata = Some(MetadataClient {
        app_client_id: std::mem::replace(&mut client.id, document.url.clone()),
        refresh: registration
            .grant_types
            .iter()
            .any(|g| g == "refresh_token"),
    });
    client
}

/// The app client behind a token's or a sign-in's `client_id`: the client itself, or
/// for a metadata document's URL the app client of the policy that takes it (nothing
/// fetched).
pub fn app_client_of(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
) -> OpResult<Option<ClientRecord>> {
    if !is_document_url(client_id) {
        return clients::find(ctx, pool, client_id);
    }
    match policy_for(ctx, pool, client_id)? {
        Some(policy) => clients::find(ctx, pool, &policy.client_id),
        None => Ok(None),
    }
}

/// A policy's cached documents in URL order after `after`, at most `limit`.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    policy: &CimdPolicyRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, ClientDocumentRecord)>> {
    let prefix = key(&policy.id, "");
    let start = after.map_or_else(|| prefix.clone(), |url| key(&policy.id, url));
    let listed: Vec<(String, ClientDocumentRecord)> =
        ctx.tx().list(&pool.id, Some(&start), limit)?;
    Ok(listed
        .into_iter()
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, record)| (record.url.clone(), record))
        .collect())
}

/// `CachedCIMDURLDoesNotExistException`.
fn not_cached() -> CognitoError {
    CognitoError::new(
        ErrorKind::CachedCIMDURLDoesNotExistException,
        "No client metadata document is cached for the URL.",
    )
}

/// UpdateClientMetadataURLState's REFRESH: the document fetched again. A document
/// that can no longer be used stays as it was cached.
pub fn refresh(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    policy: &CimdPolicyRecord,
    url: &str,
) -> OpResult<()> {
    if ctx
        .tx()
        .get::<ClientDocumentRecord>(&pool.id, &key(&policy.id, url))?
        .is_none()
    {
        return Err(not_cached());
    }
    fetch(ctx, pool, policy, url)?
        .map(|_| ())
        .map_err(|Unusable(why)| CognitoError::invalid_parameter(why))
}

/// UpdateClientMetadataURLState's INVALIDATE: the cached document dropped.
pub fn invalidate(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    policy: &CimdPolicyRecord,
    url: &str,
) -> OpResult<()> {
    if !ctx
        .tx()
        .delete::<ClientDocumentRecord>(&pool.id, &key(&policy.id, url))?
    {
        return Err(not_cached());
    }
    Ok(())
}

/// Drops a policy's cached documents whose URLs its patterns no longer match (all of
/// them when it is deleted).
pub fn prune(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    policy: &CimdPolicyRecord,
    deleted: bool,
) -> OpResult<()> {
    for (_, record) in list(ctx, pool, policy, None, usize::MAX)? {
        if deleted || !policy.url_patterns.iter().any(|p| matches(p, &record.url)) {
            ctx.tx()
                .delete::<ClientDocumentRecord>(&pool.id, &key(&policy.id, &record.url))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stays_in_the_host_but_spans_the_path() {
        assert!(matches(
            "https://*.example.com/*",
            "https://app.example.com/a/b.json"
        ));
        assert!(matches(
            "https://example.com/clients/*",
            "https://example.com/clients/x.json"
        ));
        assert!(matches(
            "https://127.0.0.1:*/client.json",
            "https://127.0.0.1:8443/client.json"
        ));
        assert!(!matches(
            "https://*.example.com/*",
            "https://evil.com/.example.com/x"
        ));
        assert!(!matches(
            "https://*example.com/*",
            "https://a.b/example.com/x"
        ));
        assert!(!matches("https://example.com/*", "https://example.com/"));
        assert!(!matches(
            "https://example.com/*",
            "https://example.com/a?b=c"
        ));
        assert!(!matches("https://example.com/*", "https://example.com/a#b"));
        assert!(!matches(
            "https://example.com/*",
            "https://example.com/a/../b"
        ));
        assert!(!matches("https://*/*", "https://user@example.com/a"));
        assert!(!matches("https://example.com/*", "http://example.com/a"));
    }

    #[test]
    fn a_document_must_name_itself_and_stay_public() {
        let url = "https://example.com/client.json";
        let read = |doc: Value| registration(url, doc.to_string().as_bytes());
        let ok = read(json!({"client_id": url, "redirect_uris": ["https://app/cb"]})).unwrap();
        assert_eq!(ok.grant_types, ["authorization_code"]);
        assert_eq!(ok.response_types, ["code"]);
        assert!(
            read(json!({"client_id": "https://other/", "redirect_uris": ["https://a/"]})).is_err()
        );
        assert!(read(json!({"client_id": url})).is_err());
        assert!(read(json!({"client_id": url, "redirect_uris": ["http://evil.com/"]})).is_err());
        assert!(
            read(json!({"client_id": url, "redirect_uris": ["https://a/"],
            "token_endpoint_auth_method": "client_secret_basic"}))
            .is_err()
        );
        assert!(
            read(json!({"client_id": url, "redirect_uris": ["https://a/"], "client_secret": "x"}))
                .is_err()
        );
    }
}
