//! Point-in-time recovery over the journal of user data: users, attributes, groups and
//! memberships put back to a moment, writes paused meanwhile, passwords kept. The AWS
//! SDK for Rust this repo pins predates these operations: they go over plain HTTP.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, UserPoolTierType};
use cognito_local::{ManualClock, Server};
use common::{app_client, attr, confirmed_user, error_of, params, pool_with, sdk, signed_call};
use serde_json::{Value, json};

const T0: u64 = 1_800_000_000;

/// An operation over plain HTTP: the exception's name ("" for none) and the answer.
async fn call(url: &str, operation: &str, body: Value) -> (String, Value) {
    let (_, answer) = signed_call(&reqwest::Client::new(), url, operation, &body).await;
    (
        answer["__type"].as_str().unwrap_or_default().to_owned(),
        answer,
    )
}

#[tokio::test]
async fn a_pool_is_put_back_to_how_it_was() {
    let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(T0));
    let server = Server::builder()
        .in_memory()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let url = server.url();
    let sdk = &sdk(&url, "us-east-1");
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = app_client(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "ann", "Passw0rd-Ann1").await;
    confirmed_user(sdk, &pool_id, "bob", "Passw0rd-Bob1").await;
    sdk.create_group()
        .user_pool_id(&pool_id)
        .group_name("team")
        .send()
        .await
        .unwrap();
    sdk.admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("ann")
        .group_name("team")
        .send()
        .await
        .unwrap();

    // Twenty minutes later, a bad afternoon.
    clock.advance(Duration::from_secs(20 * 60));
    sdk.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("ann")
        .user_attributes(attr("name", "Mallory"))
        .send()
        .await
        .unwrap();
    confirmed_user(sdk, &pool_id, "carl", "Passw0rd-Carl1").await;
    sdk.admin_remove_user_from_group()
        .user_pool_id(&pool_id)
        .username("ann")
        .group_name("team")
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("ann")
        .password("Passw0rd-Ann2")
        .permanent(true)
        .send()
        .await
        .unwrap();
    clock.advance(Duration::from_secs(16 * 60));

    // Too recent a point is refused; ten minutes after T0 is fine.
    let too_recent = (T0 + 25 * 60) as f64;
    let (code, _) = call(
        &url,
        "InitiatePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreTimestamp": too_recent}),
    )
    .await;
    assert_eq!(code, "InvalidParameterException");
    let point = (T0 + 10 * 60) as f64;
    let (code, initiated) = call(
        &url,
        "InitiatePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreTimestamp": point}),
    )
    .await;
    assert_eq!(code, "", "{initiated}");
    let restoration = &initiated["Restoration"];
    assert_eq!(restoration["RestoreStatus"], "PREVIEW_GENERATED");
    let id = restoration["RestoreId"].as_str().unwrap().to_owned();
    let users = restoration["RestorePreview"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["Entity"] == "Users")
        .unwrap();
    assert_eq!(
        (
            &users["CreateCount"],
            &users["UpdateCount"],
            &users["DeleteCount"]
        ),
        (&json!(1), &json!(1), &json!(1))
    );

    // Writes are paused; sign-in goes on.
    let (code, _) = error_of(
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username("dan")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "OperationNotEnabledException");
    let sign_in = |password: &str| {
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "ann"), ("PASSWORD", password)])))
            .send()
    };
    sign_in("Passw0rd-Ann2").await.unwrap();

    let (code, started) = call(
        &url,
        "StartPointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreId": id}),
    )
    .await;
    assert_eq!(code, "", "{started}");
    assert_eq!(started["Restoration"]["RestoreStatus"], "RESTORE_COMPLETED");

    // Bob is back, Carl gone, Ann's name and group back; her new password stays.
    sdk.admin_get_user()
        .user_pool_id(&pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    let (code, _) = error_of(
        sdk.admin_get_user()
            .user_pool_id(&pool_id)
            .username("carl")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserNotFoundException");
    let ann = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert!(ann.user_attributes().iter().all(|a| a.name() != "name"));
    let groups = sdk
        .admin_list_groups_for_user()
        .user_pool_id(&pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(groups.groups().len(), 1);
    sign_in("Passw0rd-Ann2").await.unwrap();

    // Writes resume; the recovery is listed without its preview.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("dan")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let (_, listed) = call(
        &url,
        "ListPointInTimeRecoveries",
        json!({"UserPoolId": pool_id}),
    )
    .await;
    let listed = listed["Restorations"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["RestoreId"], id.as_str());
    assert!(listed[0].get("RestorePreview").is_none());
    let (code, _) = call(
        &url,
        "StartPointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreId": id}),
    )
    .await;
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
async fn a_recovery_can_be_cancelled_and_needs_a_paid_tier() {
    let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(T0));
    let server = Server::builder()
        .in_memory()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let url = server.url();
    let sdk = &sdk(&url, "us-east-1");
    let pool_id = pool_with(sdk, |b| b).await;
    clock.advance(Duration::from_secs(3600));
    let point = (T0 + 30 * 60) as f64;
    let (_, initiated) = call(
        &url,
        "InitiatePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreTimestamp": point}),
    )
    .await;
    let id = initiated["Restoration"]["RestoreId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) = call(
        &url,
        "InitiatePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreTimestamp": point}),
    )
    .await;
    assert_eq!(code, "ConcurrentModificationException");
    let (_, cancelled) = call(
        &url,
        "CancelPointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreId": id}),
    )
    .await;
    assert_eq!(
        cancelled["Restoration"]["RestoreStatus"],
        "PREVIEW_CANCELLED"
    );
    confirmed_user(sdk, &pool_id, "eve", "Passw0rd-Eve1").await;
    let (_, described) = call(
        &url,
        "DescribePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreId": id}),
    )
    .await;
    assert_eq!(
        described["Restoration"]["RestoreStatus"],
        "PREVIEW_CANCELLED"
    );

    // A preview left alone for a day expires.
    let (_, second) = call(
        &url,
        "InitiatePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreTimestamp": point}),
    )
    .await;
    let second = second["Restoration"]["RestoreId"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance(Duration::from_secs(25 * 3600));
    let (_, described) = call(
        &url,
        "DescribePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreId": second}),
    )
    .await;
    assert_eq!(described["Restoration"]["RestoreStatus"], "PREVIEW_EXPIRED");

    sdk.update_user_pool()
        .user_pool_id(&pool_id)
        .user_pool_tier(UserPoolTierType::Lite)
        .send()
        .await
        .unwrap();
    let recent = (T0 + 25 * 3600) as f64;
    let (code, _) = call(
        &url,
        "InitiatePointInTimeRecovery",
        json!({"UserPoolId": pool_id, "RestoreTimestamp": recent}),
    )
    .await;
    assert_eq!(code, "FeatureUnavailableInTierException");
}
