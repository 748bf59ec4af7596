//! The AWS JSON 1.1 protocol over plain HTTP: what an SDK never sends gets the service's errors.

use cognito_local::Server;
use serde_json::{Value, json};

const SIGNED: &str = "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20250203/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd";

struct Reply {
    status: u16,
    error_type: Option<String>,
    request_id: Option<String>,
    body: Value,
}

async fn call(url: &str, target: &str, body: impl Into<reqwest::Body>, signed: bool) -> Reply {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", target)
        .body(body);
    if signed {
        request = request.header("authorization", SIGNED);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (status, error_type, request_id) = (
        response.status().as_u16(),
        header("x-amzn-errortype"),
        header("x-amzn-requestid"),
    );
    let body = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    Reply {
        status,
        error_type,
        request_id,
        body,
    }
}

fn target(op: &str) -> String {
    format!("AWSCognitoIdentityProviderService.{op}")
}

#[tokio::test]
async fn bad_requests_get_cognito_errors_never_500s() {
    let server = Server::builder().start().await.unwrap();
    let url = server.url();
    let cases: Vec<(&str, String, Vec<u8>, bool, &str)> = vec![
        (
            "unknown operation",
            target("MakeCoffee"),
            b"{}".to_vec(),
            true,
            "UnknownOperationException",
        ),
        (
            "no target",
            String::new(),
            b"{}".to_vec(),
            true,
            "UnknownOperationException",
        ),
        (
            "other service",
            "DynamoDB_20120810.ListTables".into(),
            b"{}".to_vec(),
            true,
            "UnknownOperationException",
        ),
        (
            "malformed JSON",
            target("ListUserPools"),
            b"{\"MaxResults\":".to_vec(),
            true,
            "SerializationException",
        ),
        (
            "not an object",
            target("ListUserPools"),
            b"[1,2]".to_vec(),
            true,
            "SerializationException",
        ),
        (
            "wrong type",
            target("ListUserPools"),
            br#"{"MaxResults":"ten"}"#.to_vec(),
            true,
            "SerializationException",
        ),
        (
            "missing member",
            target("ListUserPools"),
            b"{}".to_vec(),
            true,
            "InvalidParameterException",
        ),
        (
            "out of range",
            target("ListUserPools"),
            br#"{"MaxResults":0}"#.to_vec(),
            true,
            "InvalidParameterException",
        ),
        (
            "bad pool id",
            target("DescribeUserPool"),
            br#"{"UserPoolId":"../etc"}"#.to_vec(),
            true,
            "InvalidParameterException",
        ),
        (
            "long name",
            target("CreateUserPool"),
            json!({"PoolName": "x".repeat(129)})
                .to_string()
                .into_bytes(),
            true,
            "InvalidParameterException",
        ),
        (
            "unsigned admin call",
            target("ListUserPools"),
            br#"{"MaxResults":1}"#.to_vec(),
            false,
            "MissingAuthenticationTokenException",
        ),
        (
            "oversized body",
            target("CreateUserPool"),
            json!({"PoolName": "x", "Pad": "y".repeat(2_200_000)})
                .to_string()
                .into_bytes(),
            true,
            "SerializationException",
        ),
    ];
    for (name, target, body, signed, expected) in cases {
        let reply = call(&url, &target, body, signed).await;
        assert_ne!(reply.status, 500, "{name}");
        assert!(reply.status >= 400, "{name}: {}", reply.status);
        assert_eq!(reply.body["__type"], expected, "{name}: {}", reply.body);
        assert_eq!(reply.error_type.as_deref(), Some(expected), "{name}");
        assert!(reply.body["message"].is_string(), "{name}");
        assert!(reply.request_id.is_some(), "{name}");
    }
    let missing = call(&url, &target("DescribeUserPool"), "{}", true).await;
    assert_eq!(
        missing.body["message"],
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    );
}

#[tokio::test]
async fn signed_requests_work_in_their_region() {
    let server = Server::builder().start().await.unwrap();
    let reply = call(
        &server.url(),
        &target("CreateUserPool"),
        r#"{"PoolName":"p"}"#,
        true,
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.request_id.is_some());
    let id = reply.body["UserPool"]["Id"].as_str().unwrap();
    assert!(id.starts_with("eu-west-1_"), "{id}");
}
