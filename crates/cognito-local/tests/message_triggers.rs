//! CustomMessage and CustomEmailSender on a real server, through the AWS SDK for Rust:
//! the trigger's text (with the code put in for `{####}`) in the outbox, the code
//! handed to a custom sender instead, and each trigger source.

mod common;

use std::sync::{Arc, Mutex};

use aws_lambda_events::event::cognito::CognitoEventUserPoolsCustomMessage;
use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    CustomEmailLambdaVersionConfigType, CustomEmailSenderLambdaVersionType, DeliveryMediumType,
    LambdaConfigType,
};
use cognito_local::{Server, TriggerError};
use serde_json::{Value, json};

use common::{attr, error_of, messages, sdk, sign_up};

const MESSAGE: &str = "arn:aws:lambda:us-east-1:123456789012:function:custom-message";
const SENDER: &str = "arn:aws:lambda:us-east-1:123456789012:function:custom-sender";

type Seen = Arc<Mutex<Vec<Value>>>;

async fn server(seen: Seen) -> cognito_local::RunningServer {
    let (for_message, for_sender) = (seen.clone(), seen);
    Server::builder()
        .trigger(MESSAGE, move |mut event| {
            for_message.lock().unwrap().push(event.clone());
            let result = if event["userName"] == "broken" {
                Err(TriggerError::function("template store down"))
            } else {
                let text = format!(
                    "[{}] Hello {}, use {}",
                    event["triggerSource"].as_str().unwrap(),
                    event["request"]["usernameParameter"]
                        .as_str()
                        .unwrap_or("you"),
                    event["request"]["codeParameter"].as_str().unwrap(),
                );
                event["response"]["emailMessage"] = json!(text);
                event["response"]["emailSubject"] = json!("Your code");
                Ok(event)
            };
            async move { result }
        })
        .trigger(SENDER, move |event| {
            for_sender.lock().unwrap().push(event.clone());
            async move { Ok(event) }
        })
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn custom_message_writes_the_text_of_every_message() {
    let seen = Seen::default();
    let server = server(seen.clone()).await;
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| {
        b.lambda_config(LambdaConfigType::builder().custom_message(MESSAGE).build())
    })
    .await;
    let client_id = common::app_client(&sdk, &pool_id).await;

    sign_up(&sdk, &client_id, "ann").send().await.unwrap();
    let event = seen.lock().unwrap().pop().unwrap();
    let typed: CognitoEventUserPoolsCustomMessage = serde_json::from_value(event.clone()).unwrap();
    assert_eq!(typed.request.code_parameter.as_deref(), Some("{####}"));
    assert_eq!(typed.request.user_attributes["email"], "ann@example.com");
    assert_eq!(event["triggerSource"], "CustomMessage_SignUp");
    let sent = messages(&url, &pool_id, "ann").await;
    let code = sent[0]["code"].as_str().unwrap();
    assert_eq!(
        sent[0]["body"],
        format!("[CustomMessage_SignUp] Hello you, use {code}")
    );

    sdk.resend_confirmation_code()
        .client_id(&client_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(
        seen.lock().unwrap().pop().unwrap()["triggerSource"],
        "CustomMessage_ResendCode"
    );

    // AdminCreateUser's invitation: the username placeholder too.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("bob")
        .temporary_password("Temp-Pass-Bob1")
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .user_attributes(attr("email", "bob@example.com"))
        .send()
        .await
        .unwrap();
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "CustomMessage_AdminCreateUser");
    assert_eq!(event["request"]["usernameParameter"], "{username}");
    let invitation = messages(&url, &pool_id, "bob").await;
    assert_eq!(
        invitation[0]["body"],
        "[CustomMessage_AdminCreateUser] Hello bob, use Temp-Pass-Bob1"
    );

    // The trigger fails: AWS's message, and no user.
    let (code, message) = error_of(
        sign_up(&sdk, &client_id, "broken")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "CustomMessage failed with error template store down."
    );
}

#[tokio::test]
async fn a_custom_email_sender_gets_the_code_instead_of_the_outbox() {
    let seen = Seen::default();
    let server = server(seen.clone()).await;
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| {
        b.lambda_config(
            LambdaConfigType::builder()
                .custom_email_sender(
                    CustomEmailLambdaVersionConfigType::builder()
                        .lambda_version(CustomEmailSenderLambdaVersionType::V10)
                        .lambda_arn(SENDER)
                        .build()
                        .unwrap(),
                )
                .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/local")
                .build(),
        )
    })
    .await;
    let client_id = common::app_client(&sdk, &pool_id).await;
    sign_up(&sdk, &client_id, "ann")
        .client_metadata("locale", "de")
        .send()
        .await
        .unwrap();
    assert!(messages(&url, &pool_id, "ann").await.is_empty());
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "CustomEmailSender_SignUp");
    assert_eq!(event["request"]["type"], "customEmailSenderRequestV1");
    assert_eq!(event["request"]["clientMetadata"]["locale"], "de");
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "ann@example.com"
    );
    let code = event["request"]["code"].as_str().unwrap();
    sdk.confirm_sign_up()
        .client_id(&client_id)
        .username("ann")
        .confirmation_code(code)
        .send()
        .await
        .unwrap();
}
