//! Client ID metadata document policies through the AWS protocol (the pinned AWS SDK
//! for Rust is older than them): created for an app client, described, updated,
//! listed in pages, deleted; refused for a client that does not exist or a pattern
//! the model forbids; shown without their client once it is gone.

mod common;

use cognito_local::Server;
use serde_json::{Value, json};

use common::{sdk, signed_call};

#[tokio::test]
async fn cimd_policies_are_kept_for_their_app_client() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| b).await;
    let client_id = common::app_client(&sdk, &pool_id).await;
    let http = reqwest::Client::new();
    let call = |op: &'static str, body: Value| {
        let (http, url) = (http.clone(), url.clone());
        async move { signed_call(&http, &url, op, &body).await }
    };

    let (status, body) = call(
        "CreateCIMDPolicy",
        json!({
            "UserPoolId": pool_id, "ClientId": client_id, "PolicyName": "agents",
            "CacheDuration": 86400, "URLPatterns": ["https://agents.example.com/*"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let policy = &body["CIMDPolicy"];
    let id = policy["CIMDPolicyId"].as_str().unwrap().to_owned();
    assert!(
        id.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    assert_eq!(policy["ClientId"], client_id.as_str());
    assert_eq!(policy["UserPoolId"], pool_id.as_str());
    assert_eq!(
        policy["URLPatterns"],
        json!(["https://agents.example.com/*"])
    );
    assert!(policy["CreationDate"].is_number());

    // An update replaces the patterns and keeps the name it does not give.
    let (status, body) = call(
        "UpdateCIMDPolicy",
        json!({
            "UserPoolId": pool_id, "CIMDPolicyId": id, "ClientId": client_id,
            "URLPatterns": ["https://a.example.com/*", "https://b.example.com/cimd.json"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["CIMDPolicy"]["PolicyName"], "agents");
    assert_eq!(
        body["CIMDPolicy"]["URLPatterns"].as_array().unwrap().len(),
        2
    );
    let (_, body) = call(
        "DescribeCIMDPolicy",
        json!({"UserPoolId": pool_id, "CIMDPolicyId": id}),
    )
    .await;
    assert_eq!(body["CIMDPolicy"]["CacheDuration"], 86400);

    // Pages of the list: summaries without patterns.
    for name in ["second", "third"] {
        let (status, _) = call(
            "CreateCIMDPolicy",
            json!({
                "UserPoolId": pool_id, "ClientId": client_id, "PolicyName": name,
                "URLPatterns": ["https://c.example.com/*"],
            }),
        )
        .await;
        assert_eq!(status, 200);
    }
    let (_, first) = call(
        "ListCIMDPolicies",
        json!({"UserPoolId": pool_id, "MaxResults": 2}),
    )
    .await;
    assert_eq!(first["CIMDPolicies"].as_array().unwrap().len(), 2);
    assert!(first["CIMDPolicies"][0].get("URLPatterns").is_none());
    let token = first["NextToken"].as_str().unwrap();
    let (_, rest) = call(
        "ListCIMDPolicies",
        json!({"UserPoolId": pool_id, "MaxResults": 2, "NextToken": token}),
    )
    .await;
    assert_eq!(rest["CIMDPolicies"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextToken").is_none());

    // Refusals: an unknown client, a pattern with a query, a day too short to cache.
    let refused = |(status, body): (u16, Value), kind: &str| {
        assert_eq!(
            (status, body["__type"].as_str()),
            (400, Some(kind)),
            "{body}"
        );
    };
    refused(
        call(
            "CreateCIMDPolicy",
            json!({
                "UserPoolId": pool_id, "ClientId": "nosuchclient", "PolicyName": "x",
                "URLPatterns": ["https://x.example.com/*"],
            }),
        )
        .await,
        "ResourceNotFoundException",
    );
    refused(
        call(
            "CreateCIMDPolicy",
            json!({
                "UserPoolId": pool_id, "ClientId": client_id, "PolicyName": "x",
                "URLPatterns": ["https://x.example.com/?q=1"],
            }),
        )
        .await,
        "InvalidParameterException",
    );
    refused(
        call(
            "CreateCIMDPolicy",
            json!({
                "UserPoolId": pool_id, "ClientId": client_id, "PolicyName": "x",
                "CacheDuration": 60, "URLPatterns": ["https://x.example.com/*"],
            }),
        )
        .await,
        "InvalidParameterException",
    );

    // The client goes; the policy stays, without it.
    sdk.delete_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    let (_, body) = call(
        "DescribeCIMDPolicy",
        json!({"UserPoolId": pool_id, "CIMDPolicyId": id}),
    )
    .await;
    assert!(body["CIMDPolicy"].get("ClientId").is_none(), "{body}");
    let (status, _) = call(
        "DeleteCIMDPolicy",
        json!({"UserPoolId": pool_id, "CIMDPolicyId": id}),
    )
    .await;
    assert_eq!(status, 200);
    refused(
        call(
            "DescribeCIMDPolicy",
            json!({"UserPoolId": pool_id, "CIMDPolicyId": id}),
        )
        .await,
        "ResourceNotFoundException",
    );
}
