//! Every operation, fed malformed bodies, wrong types and oversized values: each answer
//! is a proper Cognito error (4xx, `__type`, `message`), never a 500 and never a panic.

use cognito_local::Server;
use cognito_local::ops::Operation;
use serde_json::{Value, json};

const SIGNED: &str = "AWS4-HMAC-SHA256 Credential=AKID/20250203/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00";

/// Member names the operations take, to fill with hostile values.
const MEMBERS: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "Username",
    "Password",
    "PoolName",
    "ClientName",
    "GroupName",
    "MaxResults",
    "Limit",
    "NextToken",
    "PaginationToken",
    "Filter",
    "UserAttributes",
    "TemporaryPassword",
    "MessageAction",
    "ConfirmationCode",
    "SecretHash",
    "Description",
    "Precedence",
    "CustomAttributes",
    "UserAttributeNames",
    "Permanent",
    "MFAOptions",
    "ExplicitAuthFlows",
    "GenerateSecret",
    "AttributesToGet",
    "Policies",
    "Schema",
];

fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let fill = |value: Value| {
        let map: serde_json::Map<String, Value> = MEMBERS
            .iter()
            .map(|m| ((*m).to_owned(), value.clone()))
            .collect();
        Value::Object(map).to_string().into_bytes()
    };
    vec![
        ("empty object", b"{}".to_vec()),
        ("array", b"[]".to_vec()),
        ("null", b"null".to_vec()),
        ("truncated", b"{\"UserPoolId\":".to_vec()),
        ("not JSON", b"\xff\xfe garbage".to_vec()),
        ("numbers everywhere", fill(json!(12345))),
        ("objects everywhere", fill(json!({"a": 1}))),
        ("empty strings", fill(json!(""))),
        ("huge strings", fill(json!("x".repeat(20_000)))),
        ("negative numbers", fill(json!(-1))),
        ("nested arrays", fill(json!([[["deep"]]]))),
    ]
}

#[tokio::test]
async fn every_operation_answers_bad_input_with_a_cognito_error() {
    let server = Server::builder().start().await.unwrap();
    let http = reqwest::Client::new();
    let mut checked = 0;
    for op in Operation::ALL {
        for (name, body) in bodies() {
            let response = http
                .post(server.url())
                .header("content-type", "application/x-amz-json-1.1")
                .header(
                    "x-amz-target",
                    format!("AWSCognitoIdentityProviderService.{}", op.name()),
                )
                .header("authorization", SIGNED)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let error_type = response
                .headers()
                .get("x-amzn-errortype")
                .map(|v| v.to_str().unwrap().to_owned());
            let reply: Value = serde_json::from_slice(&response.bytes().await.unwrap())
                .unwrap_or_else(|e| panic!("{} / {name}: body is not JSON: {e}", op.name()));
            assert!(
                (400..500).contains(&status),
                "{} / {name}: status {status}: {reply}",
                op.name()
            );
            let kind = reply["__type"]
                .as_str()
                .unwrap_or_else(|| panic!("{} / {name}: no __type: {reply}", op.name()));
            assert!(
                kind.ends_with("Exception"),
                "{} / {name}: {kind}",
                op.name()
            );
            assert_eq!(error_type.as_deref(), Some(kind), "{} / {name}", op.name());
            assert!(
                reply["message"].is_string(),
                "{} / {name}: {reply}",
                op.name()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, Operation::ALL.len() * bodies().len());
}
