//! UserMigration on a real server, through the AWS SDK for Rust: users of an old system
//! migrated at their first password sign-in and at ForgotPassword, the trigger's
//! attributes, status and message action honoured, its refusal answered as AWS does.

mod common;

use std::sync::{Arc, Mutex};

use aws_lambda_events::event::cognito::CognitoEventUserPoolsMigrateUser;
use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthFlowType, LambdaConfigType, UserStatusType};
use cognito_local::{Server, TriggerError};
use serde_json::{Value, json};

use common::{error_of, params, sdk};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:migrate";

/// The old system: ann and bob with their passwords (bob must reset his), carl known
/// only by email.
fn old_system(event: &mut Value) -> Result<(), TriggerError> {
    let name = event["userName"].as_str().unwrap_or_default().to_owned();
    let reset = event["triggerSource"] == "UserMigration_ForgotPassword";
    let password = event["request"]["password"].as_str().unwrap_or_default();
    let (expected, status) = match name.as_str() {
        "ann" => ("Legacy-Pass-Ann1", "CONFIRMED"),
        "bob" => ("Legacy-Pass-Bob1", "RESET_REQUIRED"),
        "carl" if reset => ("", "RESET_REQUIRED"),
        _ => return Err(TriggerError::function("no such user in the old system")),
    };
    if !reset && password != expected {
        return Err(TriggerError::function("wrong password"));
    }
    let response = &mut event["response"];
    response["userAttributes"] = json!({
        "email": format!("{name}@old.example.com"),
        "email_verified": "true",
    });
    response["finalUserStatus"] = json!(status);
    if name != "ann" {
        response["messageAction"] = json!("SUPPRESS");
    }
    Ok(())
}

async fn sign_in(
    sdk: &cip::Client,
    client_id: &str,
    name: &str,
    password: &str,
) -> Result<cip::operation::initiate_auth::InitiateAuthOutput, (String, String)> {
    sdk.initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", name), ("PASSWORD", password)])))
        .send()
        .await
        .map_err(error_of)
}

#[tokio::test]
async fn users_of_an_old_system_move_over_at_sign_in_and_at_password_reset() {
    let seen = Arc::new(Mutex::new(Vec::<Value>::new()));
    let keep = seen.clone();
    let server = Server::builder()
        .trigger(ARN, move |mut event| {
            keep.lock().unwrap().push(event.clone());
            let result = old_system(&mut event).map(|()| event);
            async move { result }
        })
        .start()
        .await
        .unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| {
        b.lambda_config(LambdaConfigType::builder().user_migration(ARN).build())
    })
    .await;
    let client_id = common::app_client(&sdk, &pool_id).await;
    let status = |name: &'static str| {
        let sdk = sdk.clone();
        let pool_id = pool_id.clone();
        async move {
            sdk.admin_get_user()
                .user_pool_id(pool_id)
                .username(name)
                .send()
                .await
                .map(|u| u.user_status().cloned())
                .map_err(error_of)
        }
    };

    // ann signs in with her old password: migrated, signed in, welcomed.
    let out = sign_in(&sdk, &client_id, "ann", "Legacy-Pass-Ann1")
        .await
        .unwrap();
    assert!(out.authentication_result().is_some());
    let event = seen.lock().unwrap().pop().unwrap();
    let typed: CognitoEventUserPoolsMigrateUser = serde_json::from_value(event.clone()).unwrap();
    assert_eq!(event["triggerSource"], "UserMigration_Authentication");
    assert_eq!(
        typed.cognito_event_user_pools_header.user_name.as_deref(),
        Some("ann")
    );
    assert_eq!(
        typed
            .cognito_event_user_pools_migrate_user_request
            .password
            .as_deref(),
        Some("Legacy-Pass-Ann1")
    );
    assert_eq!(
        status("ann").await.unwrap(),
        Some(UserStatusType::Confirmed)
    );
    let welcome = common::messages(&url, &pool_id, "ann").await;
    assert_eq!(welcome.len(), 1);
    assert_eq!(welcome[0]["destination"], "ann@old.example.com");
    assert!(welcome[0]["code"].is_null(), "no password travels");

    // Her password is now the pool's own: the trigger is not asked again, and a
    // wrong password is an ordinary wrong password.
    sign_in(&sdk, &client_id, "ann", "Legacy-Pass-Ann1")
        .await
        .unwrap();
    assert!(seen.lock().unwrap().is_empty());
    let (code, _) = sign_in(&sdk, &client_id, "ann", "Other-Pass-1")
        .await
        .unwrap_err();
    assert_eq!(code, "NotAuthorizedException");

    // The old system refuses: AWS's answer, and no user.
    let (code, message) = sign_in(&sdk, &client_id, "dan", "Whatever-1")
        .await
        .unwrap_err();
    assert_eq!(code, "UserNotFoundException");
    assert_eq!(
        message,
        format!("Exception migrating user in app client {client_id}")
    );
    assert_eq!(status("dan").await.unwrap_err().0, "UserNotFoundException");

    // bob migrates in RESET_REQUIRED: told to reset.
    let (code, _) = sign_in(&sdk, &client_id, "bob", "Legacy-Pass-Bob1")
        .await
        .unwrap_err();
    assert_eq!(code, "PasswordResetRequiredException");
    assert_eq!(
        status("bob").await.unwrap(),
        Some(UserStatusType::ResetRequired)
    );
    assert!(
        common::messages(&url, &pool_id, "bob").await.is_empty(),
        "SUPPRESS"
    );

    // carl asks for a reset: migrated without a password, sent a code, and the new
    // password signs him in.
    let sent = sdk
        .forgot_password()
        .client_id(&client_id)
        .username("carl")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.code_delivery_details().unwrap().destination(),
        Some("c***@o***")
    );
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "UserMigration_ForgotPassword");
    assert!(event["request"].get("password").is_none());
    let code = common::last_code(&url, &pool_id, "carl").await;
    sdk.confirm_forgot_password()
        .client_id(&client_id)
        .username("carl")
        .confirmation_code(code)
        .password("New-Pass-Carl1")
        .send()
        .await
        .unwrap();
    sign_in(&sdk, &client_id, "carl", "New-Pass-Carl1")
        .await
        .unwrap();
}
