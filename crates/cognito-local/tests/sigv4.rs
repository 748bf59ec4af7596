//! Admin authentication for real: with credentials configured, the SigV4 signature of
//! every signed operation is verified, through the official AWS SDK for Rust.

mod common;

use std::time::{Duration, SystemTime};

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use cognito_local::{ManualClock, Server};
use common::error_of;

fn signed_with(url: &str, key: &str, secret: &str) -> cip::Client {
    let config = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .retry_config(cip::config::retry::RetryConfig::disabled())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .endpoint_url(url)
        .build();
    cip::Client::from_conf(config)
}

#[tokio::test]
async fn signatures_are_verified_when_credentials_are_configured() {
    let clock = ManualClock::at(SystemTime::now());
    let server = Server::builder()
        .credentials("AKIDADMIN", "admin-secret")
        .credentials("AKIDOTHER", "other-secret")
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let url = server.url();
    let admin = signed_with(&url, "AKIDADMIN", "admin-secret");
    let created = admin
        .create_user_pool()
        .pool_name("p")
        .send()
        .await
        .unwrap();
    let pool_id = created.user_pool().unwrap().id().unwrap().to_owned();
    assert!(
        pool_id.starts_with("eu-west-1_"),
        "the scope's region: {pool_id}"
    );
    signed_with(&url, "AKIDOTHER", "other-secret")
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();

    let wrong_secret = signed_with(&url, "AKIDADMIN", "guessed");
    let (kind, message) = error_of(
        wrong_secret
            .list_user_pools()
            .max_results(10)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "InvalidSignatureException");
    assert!(
        message.starts_with("The request signature we calculated does not match"),
        "{message}"
    );
    let stranger = signed_with(&url, "AKIDSTRANGER", "admin-secret");
    let (kind, message) = error_of(
        stranger
            .list_user_pools()
            .max_results(10)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "UnrecognizedClientException");
    assert_eq!(
        message,
        "The security token included in the request is invalid."
    );

    // Operations users call unsigned do not need the keys.
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .send()
        .await
        .unwrap();
    let client_id = client.user_pool_client().unwrap().client_id().unwrap();
    stranger
        .sign_up()
        .client_id(client_id)
        .username("vi")
        .password("Correct-Horse-1")
        .send()
        .await
        .unwrap();

    // A signature dated more than 15 minutes from the server's clock is refused.
    clock.advance(Duration::from_secs(16 * 60));
    let (kind, message) = error_of(
        admin
            .list_user_pools()
            .max_results(10)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "InvalidSignatureException");
    assert!(message.starts_with("Signature expired: "), "{message}");

    // An unsigned admin call is refused as before.
    let unsigned = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUserPools",
        )
        .body(r#"{"MaxResults": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403);
    let body: serde_json::Value = serde_json::from_slice(&unsigned.bytes().await.unwrap()).unwrap();
    assert_eq!(body["__type"], "MissingAuthenticationTokenException");
}

#[tokio::test]
async fn without_credentials_any_signature_is_accepted() {
    let server = Server::builder().start().await.unwrap();
    let anyone = signed_with(&server.url(), "AKIDANYONE", "whatever");
    anyone
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .unwrap();
}
