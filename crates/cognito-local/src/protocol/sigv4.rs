//! The SigV4 gate: signed operations must carry an `Authorization` header of the
//! AWS4-HMAC-SHA256 scheme; its credential scope gives the region. With no
//! credentials configured any key and signature are accepted (the server has no
//! accounts); with [`Credentials`], the signature is verified as AWS Signature
//! Version 4 defines it: the canonical request, the string to sign over the credential
//! scope, the derived signing key, a date within 15 minutes of the server's clock.

use std::collections::HashMap;
use std::fmt;

use aws_lc_rs::{constant_time, digest, hmac};
use axum::http::{HeaderMap, Method, Uri};
use time::PrimitiveDateTime;
use time::macros::format_description;

use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind};

/// How far a request's date may be from the server's clock.
const SKEW_SECONDS: i64 = 15 * 60;

/// The access keys the server accepts, each with its secret.
#[derive(Clone, Default)]
pub struct Credentials {
    secrets: HashMap<String, String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.secrets.keys().collect();
        keys.sort();
        f.debug_struct("Credentials")
            .field("access_keys", &keys)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl Credentials {
    /// Accepts `access_key` signed with `secret_key` (as well as those added before).
    pub fn add(&mut self, access_key: impl Into<String>, secret_key: impl Into<String>) {
        self.secrets.insert(access_key.into(), secret_key.into());
    }

    /// Whether no key has been added.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

/// A parsed `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn authorization(headers: &HeaderMap) -> Option<Authorization<'_>> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let params = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let (mut credential, mut signed_headers, mut signature) = (None, "", None);
    for part in params.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed_headers = val,
            "Signature" => signature = Some(val).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    let scope: Vec<&str> = credential?.split('/').collect();
    match scope.as_slice() {
        [access_key, date, region, service, "aws4_request"]
            if !access_key.is_empty() && date.len() == 8 && !region.is_empty() =>
        {
            Some(Authorization {
                access_key,
                date,
                region,
                service,
                signed_headers,
                signature: signature?,
            })
        }
        _ => None,
    }
}

/// The region of a well-formed SigV4 `Authorization` header, if there is one.
///
/// `AWS4-HMAC-SHA256 Credential=AKID/20250203/eu-west-1/cognito-idp/aws4_request, SignedHeaders=..., Signature=...`
pub fn credential_region(headers: &HeaderMap) -> Option<String> {
    authorization(headers).map(|a| a.region.to_owned())
}

/// What is verified of a signed request.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Verifies the request's signature with `credentials`, as of `now`; returns the
/// region of its credential scope.
pub fn verify(
    credentials: &Credentials,
    request: &Request<'_>,
    now: UnixTime,
) -> Result<String, CognitoError> {
    let auth = authorization(request.headers).ok_or_else(|| {
        CognitoError::new(
            ErrorKind::MissingAuthenticationTokenException,
            "Missing Authentication Token",
        )
    })?;
    let secret = credentials.secrets.get(auth.access_key).ok_or_else(|| {
        CognitoError::new(
            ErrorKind::UnrecognizedClientException,
            "The security token included in the request is invalid.",
        )
    })?;
    let amz_date = header(request.headers, "x-amz-date").ok_or_else(|| {
        CognitoError::new(
            ErrorKind::IncompleteSignatureException,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    check_date(amz_date, auth.date, now)?;
    let mismatch = || {
        CognitoError::new(
            ErrorKind::InvalidSignatureException,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    };
    // The signature covers the body itself: a declared hash must be the body's (so
    // neither another body nor UNSIGNED-PAYLOAD passes with a captured signature).
    let payload = hex_sha256(request.body);
    if header(request.headers, "x-amz-content-sha256").is_some_and(|declared| declared != payload) {
        return Err(mismatch());
    }
    let canonical = canonical_request(request, auth.signed_headers, &payload);
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex_sha256(canonical.as_bytes())
    );
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in [auth.date, auth.region, auth.service, "aws4_request"] {
        key = mac(&key, part.as_bytes());
    }
    let expected = crate::hex::encode(&mac(&key, string_to_sign.as_bytes()));
    constant_time::verify_slices_are_equal(expected.as_bytes(), auth.signature.as_bytes())
        .map_err(|_| mismatch())?;
    Ok(auth.region.to_owned())
}

/// `X-Amz-Date` must be of the scope's day and within [`SKEW_SECONDS`] of `now`.
fn check_date(amz_date: &str, scope_date: &str, now: UnixTime) -> Result<(), CognitoError> {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    let invalid = || {
        CognitoError::new(
            ErrorKind::IncompleteSignatureException,
            format!("Date must be in ISO-8601 'basic format'. Got '{amz_date}'."),
        )
    };
    let signed = PrimitiveDateTime::parse(amz_date, &format)
        .map_err(|_| invalid())?
        .assume_utc()
        .unix_timestamp();
    if !amz_date.starts_with(scope_date) {
        return Err(CognitoError::new(
            ErrorKind::InvalidSignatureException,
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{}'",
                &amz_date[..8]
            ),
        ));
    }
    let stamp = |secs: i64| {
        time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .and_then(|t| t.format(&format).ok())
            .unwrap_or_default()
    };
    let now = now.secs();
    if signed < now - SKEW_SECONDS {
        return Err(CognitoError::new(
            ErrorKind::InvalidSignatureException,
            format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
                stamp(now - SKEW_SECONDS),
                stamp(now)
            ),
        ));
    }
    if signed > now + SKEW_SECONDS {
        return Err(CognitoError::new(
            ErrorKind::InvalidSignatureException,
            format!(
                "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
                stamp(now + SKEW_SECONDS),
                stamp(now)
            ),
        ));
    }
    Ok(())
}

/// The canonical request of SigV4: method, path, sorted query, the signed headers
/// (trimmed, inner spaces collapsed, repeated ones joined by commas), their names,
/// and the body's hash.
fn canonical_request(request: &Request<'_>, signed_headers: &str, payload: &str) -> String {
    let path = match request.uri.path() {
        "" => "/",
        path => path,
    };
    let mut query: Vec<(&str, &str)> = request
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    query.sort_unstable();
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut headers = String::new();
    for name in signed_headers.split(';') {
        let values: Vec<String> = request
            .headers
            .get_all(name)
            .iter()
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    format!(
        "{}\n{path}\n{}\n{headers}\n{signed_headers}\n{payload}",
        request.method,
        query.join("&")
    )
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn hex_sha256(data: &[u8]) -> String {
    crate::hex::encode(digest::digest(&digest::SHA256, data).as_ref())
}

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(auth: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", auth.parse().unwrap());
        headers
    }

    #[test]
    fn the_region_comes_from_the_credential_scope() {
        let good = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250203/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123";
        assert_eq!(credential_region(&with(good)).as_deref(), Some("eu-west-1"));
        for bad in [
            "Bearer token",
            "AWS4-HMAC-SHA256 Credential=AKID/2025/eu-west-1/cognito-idp/aws4_request, Signature=abc",
            "AWS4-HMAC-SHA256 Credential=AKID/20250203/eu-west-1/cognito-idp/aws4_request, Signature=",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc",
        ] {
            assert_eq!(credential_region(&with(bad)), None, "{bad}");
        }
        assert_eq!(credential_region(&HeaderMap::new()), None);
    }

    /// The signing example of the SigV4 documentation ("get-vanilla" of the AWS test
    /// suite: GET / with host and x-amz-date, the example key).
    #[test]
    fn the_documented_example_verifies() {
        let mut credentials = Credentials::default();
        credentials.add("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let mut headers = HeaderMap::new();
        headers.insert("host", "example.amazonaws.com".parse().unwrap());
        headers.insert("x-amz-date", "20150830T123600Z".parse().unwrap());
        headers.insert("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31".parse().unwrap());
        let uri: Uri = "/".parse().unwrap();
        let request = Request {
            method: &Method::GET,
            uri: &uri,
            headers: &headers,
            body: b"",
        };
        let at = |secs: u64| {
            UnixTime::from_system(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        };
        let signed_at = 1_440_938_160; // 2015-08-30T12:36:00Z
        assert_eq!(
            verify(&credentials, &request, at(signed_at)).as_deref(),
            Ok("us-east-1")
        );
        let late = verify(&credentials, &request, at(signed_at + 16 * 60)).unwrap_err();
        assert_eq!(late.kind, ErrorKind::InvalidSignatureException);
        assert!(
            late.message.starts_with(
                "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z"
            ),
            "{}",
            late.message
        );

        // The same signature over another body, declared or not, is refused.
        let other = Request {
            body: b"{}",
            ..request
        };
        let refused = verify(&credentials, &other, at(signed_at)).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::InvalidSignatureException);
        let mut declared = headers.clone();
        declared.insert("x-amz-content-sha256", "UNSIGNED-PAYLOAD".parse().unwrap());
        let unsigned = Request {
            headers: &declared,
            ..request
        };
        assert!(verify(&credentials, &unsigned, at(signed_at)).is_err());

        let mut wrong = Credentials::default();
        wrong.add("AKIDEXAMPLE", "another secret");
        let refused = verify(&wrong, &request, at(signed_at)).unwrap_err();
        assert_eq!(refused.kind, ErrorKind::InvalidSignatureException);
        let stranger = verify(&Credentials::default(), &request, at(signed_at)).unwrap_err();
        assert_eq!(stranger.kind, ErrorKind::UnrecognizedClientException);
        assert!(!format!("{credentials:?}").contains("wJalr"));
    }
}
