//! PreTokenGeneration V1 and V2 on a real server, through the AWS SDK for Rust: claims
//! added, overridden and suppressed, groups overridden, access token scopes changed, on
//! sign-in and refresh, with the claims Cognito binds a token by left alone.

mod common;

use std::sync::{Arc, Mutex};

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPreTokenGen;
use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AuthFlowType, LambdaConfigType, PreTokenGenerationLambdaVersionType,
    PreTokenGenerationVersionConfigType,
};
use cognito_local::Server;
use serde_json::{Value, json};

use common::{confirmed_user, params, sdk};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-token";

use common::jwt_claims as claims;

/// A pool with PreTokenGeneration at `version` (None: the legacy member only), a
/// client, and ann in group "staff"; `(pool, client)`.
async fn pool(
    sdk: &cip::Client,
    version: Option<PreTokenGenerationLambdaVersionType>,
) -> (String, String) {
    let pool_id = common::pool_with(sdk, |b| {
        let config = match version {
            Some(version) => LambdaConfigType::builder().pre_token_generation_config(
                PreTokenGenerationVersionConfigType::builder()
                    .lambda_version(version)
                    .lambda_arn(ARN)
                    .build()
                    .unwrap(),
            ),
            None => LambdaConfigType::builder().pre_token_generation(ARN),
        };
        b.lambda_config(config.build())
    })
    .await;
    let client_id = common::app_client(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "ann", "Passw0rd-Token1").await;
    sdk.create_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .send()
        .await
        .unwrap();
    sdk.admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("ann")
        .group_name("staff")
        .send()
        .await
        .unwrap();
    (pool_id, client_id)
}

async fn sign_in(sdk: &cip::Client, client_id: &str) -> cip::types::AuthenticationResultType {
    sdk.initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "ann"),
            ("PASSWORD", "Passw0rd-Token1"),
        ])))
        .send()
        .await
        .unwrap()
        .authentication_result()
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn version_1_changes_the_id_token_and_the_groups() {
    let seen = Arc::new(Mutex::new(Vec::<Value>::new()));
    let keep = seen.clone();
    let server = Server::builder()
        .trigger(ARN, move |mut event| {
            keep.lock().unwrap().push(event.clone());
            event["response"]["claimsOverrideDetails"] = json!({
                "claimsToAddOrOverride": {"tenant": "acme", "sub": "forged", "aud": "other"},
                "claimsToSuppress": ["email"],
                "groupOverrideDetails": {"groupsToOverride": ["admins", "staff"], "preferredRole": "arn:aws:iam::123456789012:role/admin"},
            });
            async move { Ok(event) }
        })
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let (_, client_id) = pool(&sdk, None).await;
    let tokens = sign_in(&sdk, &client_id).await;

    let event = seen.lock().unwrap().pop().unwrap();
    let typed: CognitoEventUserPoolsPreTokenGen = serde_json::from_value(event.clone()).unwrap();
    assert_eq!(
        typed.request.group_configuration.groups_to_override,
        ["staff"]
    );
    assert_eq!(typed.request.user_attributes["email"], "ann@example.com");
    assert_eq!(event["version"], "1");
    assert_eq!(event["triggerSource"], "TokenGeneration_Authentication");

    let id = claims(tokens.id_token().unwrap());
    assert_eq!(id["tenant"], "acme");
    assert!(id.get("email").is_none(), "suppressed");
    assert_eq!(id["cognito:groups"], json!(["admins", "staff"]));
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::123456789012:role/admin"
    );
    assert_ne!(
        id["sub"], "forged",
        "a token's binding claims stay Cognito's"
    );
    assert_eq!(id["aud"], client_id);
    let access = claims(tokens.access_token().unwrap());
    assert!(
        access.get("tenant").is_none(),
        "V1 changes the ID token only"
    );
    assert_eq!(access["cognito:groups"], json!(["admins", "staff"]));

    // A refresh runs it again, with its own trigger source.
    let refreshed = sdk
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .set_auth_parameters(Some(params(&[(
            "REFRESH_TOKEN",
            tokens.refresh_token().unwrap(),
        )])))
        .send()
        .await
        .unwrap();
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "TokenGeneration_RefreshTokens");
    let id = claims(
        refreshed
            .authentication_result()
            .unwrap()
            .id_token()
            .unwrap(),
    );
    assert_eq!(id["tenant"], "acme");
}

#[tokio::test]
async fn version_2_changes_both_tokens_and_the_scopes() {
    let seen = Arc::new(Mutex::new(Vec::<Value>::new()));
    let keep = seen.clone();
    let server = Server::builder()
        .trigger(ARN, move |mut event| {
            keep.lock().unwrap().push(event.clone());
            event["response"]["claimsAndScopeOverrideDetails"] = json!({
                "idTokenGeneration": {"claimsToAddOrOverride": {"plan": "gold"}},
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"permissions": ["read", "write"], "limits": {"rps": 5}},
                    "claimsToSuppress": ["cognito:groups"],
                    "scopesToAdd": ["orders/read"],
                    "scopesToSuppress": ["aws.cognito.signin.user.admin"],
                },
            });
            async move { Ok(event) }
        })
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let (_, client_id) = pool(&sdk, Some(PreTokenGenerationLambdaVersionType::V20)).await;
    let tokens = sign_in(&sdk, &client_id).await;
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["version"], "2");
    assert_eq!(
        event["request"]["scopes"],
        json!(["aws.cognito.signin.user.admin"])
    );

    let id = claims(tokens.id_token().unwrap());
    assert_eq!(id["plan"], "gold");
    assert!(id.get("permissions").is_none());
    let access = claims(tokens.access_token().unwrap());
    assert_eq!(access["permissions"], json!(["read", "write"]));
    assert_eq!(access["limits"], json!({"rps": 5}));
    assert_eq!(access["scope"], "orders/read");
    // cognito:groups is Cognito's (groupOverrideDetails changes it, not suppression).
    assert_eq!(access["cognito:groups"], json!(["staff"]));
}
