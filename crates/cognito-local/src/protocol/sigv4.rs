//! The SigV4 gate: signed operations must carry an `Authorization` header of the
//! AWS4-HMAC-SHA256 scheme. Any key is accepted (this server has no accounts);
//! the credential scope gives the region.

use axum::http::HeaderMap;

/// The region of a well-formed SigV4 `Authorization` header, if there is one.
///
/// `AWS4-HMAC-SHA256 Credential=AKID/20250203/eu-west-1/cognito-idp/aws4_request, SignedHeaders=..., Signature=...`
pub fn credential_region(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let params = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let mut credential = None;
    let mut signature = false;
    for part in params.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val),
            "Signature" => signature = !val.is_empty(),
            _ => {}
        }
    }
    let scope: Vec<&str> = credential?.split('/').collect();
    match scope.as_slice() {
        [key, date, region, _service, "aws4_request"]
            if signature && !key.is_empty() && date.len() == 8 && !region.is_empty() =>
        {
            Some((*region).to_owned())
        }
        _ => None,
    }
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
}
