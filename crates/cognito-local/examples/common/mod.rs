//! What the examples share: an operation of the AWS protocol over plain HTTP.

use serde_json::Value;

/// Calls `op` as the SDKs do (signed with any key: the server reads only the region)
/// and returns its answer; a refusal ends the run.
pub async fn call(http: &reqwest::Client, url: &str, op: &str, body: Value) -> Value {
    let response = http
        .post(url)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", format!("AWSCognitoIdentityProviderService.{op}"))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20250203/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
        )
        .body(body.to_string())
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    let body: Value =
        serde_json::from_slice(&response.bytes().await.expect("a body")).expect("JSON");
    assert!(status.is_success(), "{op}: {body}");
    body
}
