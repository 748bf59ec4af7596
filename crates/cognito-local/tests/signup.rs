//! Self-service sign-up, confirmation and password reset, through the official AWS SDK for Rust.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    PreventUserExistenceErrorTypes, UserStatusType, UsernameAttributeType,
};
use common::{attr, error_of, last_code, outbox, pool_with, start};

#[tokio::test]
async fn sign_up_confirm_and_reset_with_a_client_secret() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let pool_id = pool_with(sdk, |b| b).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(true)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    let (client_id, secret) = (
        client.client_id().unwrap().to_owned(),
        client.client_secret().unwrap().to_owned(),
    );
    let hash = |user: &str| cognito_srp::secret_hash(&secret, user, &client_id);

    let (code, message) = error_of(
        sdk.sign_up()
            .client_id(&client_id)
            .username("dave")
            .password("Passw0rd!")
            .user_attributes(attr("email", "dave@example.com"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "NotAuthorizedException");
    assert!(message.contains("configured for secret"), "{message}");
    let (code, message) = error_of(
        sdk.sign_up()
            .client_id(&client_id)
            .secret_hash(hash("someone"))
            .username("dave")
            .password("Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "NotAuthorizedException",
            format!("Unable to verify secret hash for client {client_id}").as_str()
        )
    );
    let (code, _) = error_of(
        sdk.sign_up()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .password("weak")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidPasswordException");

    let signed_up = sdk
        .sign_up()
        .client_id(&client_id)
        .secret_hash(hash("dave"))
        .username("dave")
        .password("Passw0rd!")
        .user_attributes(attr("email", "dave@example.com"))
        .send()
        .await
        .unwrap();
    assert!(!signed_up.user_confirmed());
    assert_eq!(signed_up.user_sub().len(), 36);
    let delivery = signed_up.code_delivery_details().unwrap();
    assert_eq!(delivery.destination(), Some("d***@e***"));
    assert_eq!(delivery.attribute_name(), Some("email"));

    let (code, message) = error_of(
        sdk.sign_up()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .password("Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UsernameExistsException", "User already exists")
    );

    let code_sent = last_code(&url, &pool_id, "dave").await;
    let wrong = if code_sent == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (code, message) = error_of(
        sdk.confirm_sign_up()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .confirmation_code(wrong)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "CodeMismatchException",
            "Invalid verification code provided, please try again."
        )
    );
    sdk.confirm_sign_up()
        .client_id(&client_id)
        .secret_hash(hash("dave"))
        .username("dave")
        .confirmation_code(&code_sent)
        .send()
        .await
        .unwrap();
    let user = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("dave")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    assert!(
        user.user_attributes()
            .iter()
            .any(|a| a.name() == "email_verified" && a.value() == Some("true"))
    );
    let (code, _) = error_of(
        sdk.confirm_sign_up()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .confirmation_code(&code_sent)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "NotAuthorizedException");
    let (code, message) = error_of(
        sdk.resend_confirmation_code()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "User is already confirmed.")
    );

    let forgot = sdk
        .forgot_password()
        .client_id(&client_id)
        .secret_hash(hash("dave"))
        .username("dave")
        .send()
        .await
        .unwrap();
    assert_eq!(
        forgot.code_delivery_details().unwrap().destination(),
        Some("d***@e***")
    );
    let reset_code = last_code(&url, &pool_id, "dave").await;
    let (code, _) = error_of(
        sdk.confirm_forgot_password()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .confirmation_code(&reset_code)
            .password("weak")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidPasswordException");
    sdk.confirm_forgot_password()
        .client_id(&client_id)
        .secret_hash(hash("dave"))
        .username("dave")
        .confirmation_code(&reset_code)
        .password("N3w-Passw0rd!")
        .send()
        .await
        .unwrap();
    let (code, _) = error_of(
        sdk.confirm_forgot_password()
            .client_id(&client_id)
            .secret_hash(hash("dave"))
            .username("dave")
            .confirmation_code(&reset_code)
            .password("N3w-Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "CodeMismatchException", "a code works once");
    let purposes: Vec<String> = outbox(&url, &pool_id, "dave")
        .await
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(purposes, ["signup", "forgot_password"]);
}

#[tokio::test]
async fn wrong_codes_are_counted_and_limited() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let pool_id = pool_with(sdk, |b| b).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .send()
        .await
        .unwrap();
    let client_id = client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    sdk.sign_up()
        .client_id(&client_id)
        .username("erin")
        .password("Passw0rd!")
        .user_attributes(attr("email", "erin@example.com"))
        .send()
        .await
        .unwrap();
    let sent = last_code(&url, &pool_id, "erin").await;
    let wrong = if sent == "000000" { "111111" } else { "000000" };
    let mut codes = Vec::new();
    for _ in 0..5 {
        let err = sdk
            .confirm_sign_up()
            .client_id(&client_id)
            .username("erin")
            .confirmation_code(wrong)
            .send()
            .await
            .unwrap_err();
        codes.push(error_of(err).0);
    }
    assert_eq!(codes[..4], ["CodeMismatchException"; 4]);
    assert_eq!(codes[4], "LimitExceededException");
    // No code is looked at for a while now, not even the right one; and a new code
    // does not forget the wrong ones (security.rs has the hour after).
    let (code, _) = error_of(
        sdk.confirm_sign_up()
            .client_id(&client_id)
            .username("erin")
            .confirmation_code(&sent)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "LimitExceededException");
    sdk.resend_confirmation_code()
        .client_id(&client_id)
        .username("erin")
        .send()
        .await
        .unwrap();
    let fresh = last_code(&url, &pool_id, "erin").await;
    let (code, _) = error_of(
        sdk.confirm_sign_up()
            .client_id(&client_id)
            .username("erin")
            .confirmation_code(&fresh)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "LimitExceededException");
}

#[tokio::test]
async fn email_as_user_name_and_prevented_existence_errors() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let pool_id = pool_with(sdk, |b| b.username_attributes(UsernameAttributeType::Email)).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    let client_id = client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();

    let (code, message) = error_of(
        sdk.sign_up()
            .client_id(&client_id)
            .username("frank")
            .password("Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Username should be an email.")
    );
    let signed_up = sdk
        .sign_up()
        .client_id(&client_id)
        .username("frank@example.com")
        .password("Passw0rd!")
        .send()
        .await
        .unwrap();
    let sub = signed_up.user_sub().to_owned();
    // The user name is the sub; the email signs in.
    let user = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("frank@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), sub.as_str());
    let (code, _) = error_of(
        sdk.sign_up()
            .client_id(&client_id)
            .username("frank@example.com")
            .password("Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UsernameExistsException");
    let code_sent = last_code(&url, &pool_id, &sub).await;
    sdk.confirm_sign_up()
        .client_id(&client_id)
        .username("frank@example.com")
        .confirmation_code(&code_sent)
        .send()
        .await
        .unwrap();

    // Unknown users look like known ones.
    let forgot = sdk
        .forgot_password()
        .client_id(&client_id)
        .username("nobody@example.com")
        .send()
        .await
        .unwrap();
    assert!(forgot.code_delivery_details().is_some());
    let (code, _) = error_of(
        sdk.confirm_sign_up()
            .client_id(&client_id)
            .username("nobody@example.com")
            .confirmation_code("123456")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "CodeMismatchException");
    let (code, _) = error_of(
        sdk.sign_up()
            .client_id("nosuchclient123")
            .username("x@example.com")
            .password("Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
}
