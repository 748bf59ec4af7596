//! What a signed-in user does with their access token, through the official AWS SDK for Rust.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ExplicitAuthFlowsType, MessageActionType,
};
use common::{attr, error_of, last_code, pool_with, start};

const PASSWORD: &str = "Correct-Horse-1";

async fn signed_in(
    sdk: &aws_sdk_cognitoidentityprovider::Client,
    pool_id: &str,
    name: &str,
) -> (String, String) {
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let client_id = client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    sdk.admin_create_user()
        .user_pool_id(pool_id)
        .username(name)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", &format!("{name}@example.com")))
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(pool_id)
        .username(name)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    (
        client_id.clone(),
        login(sdk, &client_id, name, PASSWORD).await.unwrap(),
    )
}

async fn login(
    sdk: &aws_sdk_cognitoidentityprovider::Client,
    client_id: &str,
    name: &str,
    password: &str,
) -> Result<String, (String, String)> {
    let params: HashMap<String, String> = [("USERNAME", name), ("PASSWORD", password)]
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    let out = sdk
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params))
        .send()
        .await
        .map_err(error_of)?;
    Ok(out
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned())
}

#[tokio::test]
async fn users_manage_their_own_account() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let pool_id = pool_with(sdk, |b| b).await;
    let (client_id, token) = signed_in(sdk, &pool_id, "ivy").await;

    let updated = sdk
        .update_user_attributes()
        .access_token(&token)
        .user_attributes(attr("given_name", "Ivy"))
        .user_attributes(attr("email", "ivy@new.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.code_delivery_details_list().len(),
        1,
        "a code goes to the new email"
    );
    let me = sdk.get_user().access_token(&token).send().await.unwrap();
    let value = |name: &str| {
        me.user_attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value().map(str::to_owned))
    };
    assert_eq!(value("given_name").as_deref(), Some("Ivy"));
    assert_eq!(value("email_verified").as_deref(), Some("false"));
    let (code, _) = error_of(
        sdk.update_user_attributes()
            .access_token(&token)
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        code, "InvalidParameterException",
        "users cannot verify themselves"
    );

    let code = last_code(&url, &pool_id, "ivy").await;
    let (kind, _) = error_of(
        sdk.verify_user_attribute()
            .access_token(&token)
            .attribute_name("email")
            .code("000000x")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "CodeMismatchException");
    sdk.verify_user_attribute()
        .access_token(&token)
        .attribute_name("email")
        .code(&code)
        .send()
        .await
        .unwrap();
    sdk.get_user_attribute_verification_code()
        .access_token(&token)
        .attribute_name("email")
        .send()
        .await
        .unwrap();
    let again = last_code(&url, &pool_id, "ivy").await;
    sdk.verify_user_attribute()
        .access_token(&token)
        .attribute_name("email")
        .code(&again)
        .send()
        .await
        .unwrap();
    let me = sdk.get_user().access_token(&token).send().await.unwrap();
    assert!(
        me.user_attributes()
            .iter()
            .any(|a| a.name() == "email_verified" && a.value() == Some("true"))
    );

    sdk.delete_user_attributes()
        .access_token(&token)
        .user_attribute_names("given_name")
        .send()
        .await
        .unwrap();
    sdk.set_user_settings()
        .access_token(&token)
        .mfa_options(
            aws_sdk_cognitoidentityprovider::types::MfaOptionType::builder()
                .delivery_medium(aws_sdk_cognitoidentityprovider::types::DeliveryMediumType::Sms)
                .attribute_name("phone_number")
                .build(),
        )
        .send()
        .await
        .unwrap();

    let (kind, message) = error_of(
        sdk.change_password()
            .access_token(&token)
            .previous_password("wrong")
            .proposed_password("New-Passw0rd!")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
    let (kind, _) = error_of(
        sdk.change_password()
            .access_token(&token)
            .previous_password(PASSWORD)
            .proposed_password("weak")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "InvalidPasswordException");
    sdk.change_password()
        .access_token(&token)
        .previous_password(PASSWORD)
        .proposed_password("New-Passw0rd!")
        .send()
        .await
        .unwrap();
    assert!(login(sdk, &client_id, "ivy", PASSWORD).await.is_err());
    let token = login(sdk, &client_id, "ivy", "New-Passw0rd!")
        .await
        .unwrap();

    sdk.delete_user().access_token(&token).send().await.unwrap();
    let (kind, _) = error_of(
        sdk.admin_get_user()
            .user_pool_id(&pool_id)
            .username("ivy")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "UserNotFoundException");
    let (kind, _) = error_of(
        sdk.get_user()
            .access_token(&token)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "NotAuthorizedException");
}

#[tokio::test]
async fn clients_limit_what_users_write() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let (_, _) = signed_in(sdk, &pool_id, "jay").await;
    let limited = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("limited")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .write_attributes("given_name")
        .send()
        .await
        .unwrap();
    let limited_id = limited
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    let token = login(sdk, &limited_id, "jay", PASSWORD).await.unwrap();
    sdk.update_user_attributes()
        .access_token(&token)
        .user_attributes(attr("given_name", "Jay"))
        .send()
        .await
        .unwrap();
    let (kind, _) = error_of(
        sdk.update_user_attributes()
            .access_token(&token)
            .user_attributes(attr("family_name", "X"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "NotAuthorizedException");
}
