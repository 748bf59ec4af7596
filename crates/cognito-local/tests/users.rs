//! Users by admins, through the official AWS SDK for Rust.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    DeliveryMediumType, MessageActionType, UserStatusType,
};
use common::{attr, error_of, last_code, outbox, pool_with, start};

#[tokio::test]
async fn admins_create_read_update_and_delete_users() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let pool_id = pool_with(sdk, |b| {
        b.schema(
            aws_sdk_cognitoidentityprovider::types::SchemaAttributeType::builder()
                .name("tier")
                .attribute_data_type(
                    aws_sdk_cognitoidentityprovider::types::AttributeDataType::String,
                )
                .build(),
        )
    })
    .await;

    let created = sdk
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .user_attributes(attr("email", "alice@example.com"))
        .user_attributes(attr("custom:tier", "gold"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let user = created.user().unwrap();
    assert_eq!(user.username(), Some("alice"));
    assert_eq!(
        user.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(user.enabled());
    let invitation = outbox(&url, &pool_id, "alice").await;
    assert_eq!(invitation.len(), 1);
    assert_eq!(invitation[0].0, "invitation");
    assert_eq!(invitation[0].2, "alice@example.com");
    let temporary = invitation[0].1.clone().unwrap();
    assert!(temporary.len() >= 8);

    let (code, message) = error_of(
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username("alice")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UsernameExistsException", "User account already exists")
    );

    let got = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    let attributes: Vec<(&str, &str)> = got
        .user_attributes()
        .iter()
        .map(|a| (a.name(), a.value().unwrap_or("")))
        .collect();
    assert!(attributes.contains(&("custom:tier", "gold")));
    assert!(attributes.iter().any(|(n, _)| *n == "sub"));

    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("alice")
        .user_attributes(attr("given_name", "Alice"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(
        sdk.admin_update_user_attributes()
            .user_pool_id(&pool_id)
            .username("alice")
            .user_attributes(attr("custom:nope", "x"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.starts_with("Attributes did not conform to the schema"),
        "{message}"
    );
    let (code, message) = error_of(
        sdk.admin_update_user_attributes()
            .user_pool_id(&pool_id)
            .username("alice")
            .user_attributes(attr("email", "not-an-email"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Invalid email address format.")
    );

    sdk.admin_delete_user_attributes()
        .user_pool_id(&pool_id)
        .username("alice")
        .user_attribute_names("given_name")
        .send()
        .await
        .unwrap();
    let got = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert!(
        got.user_attributes()
            .iter()
            .all(|a| a.name() != "given_name")
    );

    sdk.admin_disable_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert!(
        !sdk.admin_get_user()
            .user_pool_id(&pool_id)
            .username("alice")
            .send()
            .await
            .unwrap()
            .enabled()
    );
    sdk.admin_enable_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();

    let (code, message) = error_of(
        sdk.admin_set_user_password()
            .user_pool_id(&pool_id)
            .username("alice")
            .password("short")
            .permanent(true)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidPasswordException");
    assert!(
        message.starts_with("Password did not conform with policy"),
        "{message}"
    );
    sdk.admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("alice")
        .password("Correct-Horse-1")
        .permanent(true)
        .send()
        .await
        .unwrap();
    let got = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_status(), Some(&UserStatusType::Confirmed));

    sdk.admin_reset_user_password()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    let got = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_status(), Some(&UserStatusType::ResetRequired));
    assert_eq!(
        outbox(&url, &pool_id, "alice").await.last().unwrap().0,
        "forgot_password"
    );

    sdk.admin_set_user_settings()
        .user_pool_id(&pool_id)
        .username("alice")
        .mfa_options(
            aws_sdk_cognitoidentityprovider::types::MfaOptionType::builder()
                .delivery_medium(DeliveryMediumType::Sms)
                .attribute_name("phone_number")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let got = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(got.mfa_options().len(), 1);

    sdk.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(
        sdk.admin_get_user()
            .user_pool_id(&pool_id)
            .username("alice")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("UserNotFoundException", "User does not exist.")
    );
}

#[tokio::test]
async fn admin_confirm_and_suppressed_invitations() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let pool_id = pool_with(sdk, |b| b).await;
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("quiet")
        .temporary_password("Temp-Pass-123")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "quiet@example.com"))
        .send()
        .await
        .unwrap();
    assert!(outbox(&url, &pool_id, "quiet").await.is_empty());
    let (code, _) = error_of(
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username("weak")
            .temporary_password("weak")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidPasswordException");
    let (code, message) = error_of(
        sdk.admin_confirm_sign_up()
            .user_pool_id(&pool_id)
            .username("quiet")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(
        message,
        "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD"
    );
    let (code, _) = error_of(
        sdk.admin_reset_user_password()
            .user_pool_id(&pool_id)
            .username("quiet")
            .send()
            .await
            .unwrap_err(),
    );
    // A user still on its temporary password cannot be reset at all (as AWS refuses it).
    assert_eq!(code, "NotAuthorizedException");
}

#[tokio::test]
async fn users_are_listed_filtered_and_paged() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    for (name, email) in [
        ("ann", "ann@a.example"),
        ("bob", "bob@b.example"),
        ("anna", "anna@a.example"),
        ("carl", "carl@c.example"),
    ] {
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username(name)
            .message_action(MessageActionType::Suppress)
            .user_attributes(attr("email", email))
            .send()
            .await
            .unwrap();
    }
    sdk.admin_disable_user()
        .user_pool_id(&pool_id)
        .username("carl")
        .send()
        .await
        .unwrap();
    let names = |users: &[aws_sdk_cognitoidentityprovider::types::UserType]| {
        let mut n: Vec<String> = users
            .iter()
            .filter_map(|u| u.username().map(str::to_owned))
            .collect();
        n.sort();
        n
    };
    let all = sdk
        .list_users()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(names(all.users()), ["ann", "anna", "bob", "carl"]);
    let prefix = sdk
        .list_users()
        .user_pool_id(&pool_id)
        .filter("username ^= \"an\"")
        .send()
        .await
        .unwrap();
    assert_eq!(names(prefix.users()), ["ann", "anna"]);
    let exact = sdk
        .list_users()
        .user_pool_id(&pool_id)
        .filter("email = \"bob@b.example\"")
        .send()
        .await
        .unwrap();
    assert_eq!(names(exact.users()), ["bob"]);
    let disabled = sdk
        .list_users()
        .user_pool_id(&pool_id)
        .filter("status = \"Disabled\"")
        .send()
        .await
        .unwrap();
    assert_eq!(names(disabled.users()), ["carl"]);
    let status = sdk
        .list_users()
        .user_pool_id(&pool_id)
        .filter("cognito:user_status = \"FORCE_CHANGE_PASSWORD\"")
        .send()
        .await
        .unwrap();
    assert_eq!(status.users().len(), 4);
    let only_email = sdk
        .list_users()
        .user_pool_id(&pool_id)
        .attributes_to_get("email")
        .limit(1)
        .send()
        .await
        .unwrap();
    assert_eq!(only_email.users().len(), 1);
    assert!(
        only_email.users()[0]
            .attributes()
            .iter()
            .all(|a| a.name() == "email")
    );

    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = sdk
            .list_users()
            .user_pool_id(&pool_id)
            .limit(3)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap();
        seen.extend(
            page.users()
                .iter()
                .filter_map(|u| u.username().map(str::to_owned)),
        );
        token = page.pagination_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    seen.sort();
    assert_eq!(seen, ["ann", "anna", "bob", "carl"]);

    for bad in [
        "username",
        "username == \"x\"",
        "shoe_size = \"9\"",
        "email = bob",
    ] {
        let (code, _) = error_of(
            sdk.list_users()
                .user_pool_id(&pool_id)
                .filter(bad)
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(code, "InvalidParameterException", "{bad}");
    }
    let _ = last_code;
}

#[tokio::test]
async fn verified_aliases_sign_in_and_stay_unique() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| {
        b.alias_attributes(aws_sdk_cognitoidentityprovider::types::AliasAttributeType::Email)
            .alias_attributes(
                aws_sdk_cognitoidentityprovider::types::AliasAttributeType::PreferredUsername,
            )
    })
    .await;
    let create = |name: &str, email: &str| {
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username(name)
            .message_action(MessageActionType::Suppress)
            .user_attributes(attr("email", email))
            .user_attributes(attr("email_verified", "true"))
            .send()
    };
    create("mia", "mia@example.com").await.unwrap();
    let by_alias = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("mia@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(by_alias.username(), "mia");

    let (code, message) = error_of(create("max", "mia@example.com").await.unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "AliasExistsException",
            "An account with the given email already exists."
        )
    );
    // An unverified copy of the address is no alias, so it is allowed.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("max")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "mia@example.com"))
        .send()
        .await
        .unwrap();
    // ForceAliasCreation moves a verified alias to the new user.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("moe")
        .message_action(MessageActionType::Suppress)
        .force_alias_creation(true)
        .user_attributes(attr("email", "mia@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let by_alias = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("mia@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(by_alias.username(), "moe");

    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("mia")
        .user_attributes(attr("preferred_username", "mimi"))
        .send()
        .await
        .unwrap();
    let by_alias = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("mimi")
        .send()
        .await
        .unwrap();
    assert_eq!(by_alias.username(), "mia");
}
