//! User pools and app clients through the official AWS SDK for Rust.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, DeletionProtectionType, DeviceConfigurationType, ExplicitAuthFlowsType,
    PasswordPolicyType, SchemaAttributeType, StringAttributeConstraintsType, TimeUnitsType,
    TokenValidityUnitsType, UserPoolMfaType, UserPoolPolicyType, VerifiedAttributeType,
};
use common::{error_of, start};

#[tokio::test]
async fn pools_are_created_described_updated_listed_and_deleted() {
    let local = start().await;
    let sdk = &local.sdk;
    let created = sdk
        .create_user_pool()
        .pool_name("demo pool")
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(
                    PasswordPolicyType::builder()
                        .minimum_length(10)
                        .require_numbers(true)
                        .build(),
                )
                .build(),
        )
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .username_attributes(aws_sdk_cognitoidentityprovider::types::UsernameAttributeType::Email)
        .mfa_configuration(UserPoolMfaType::Optional)
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(false)
                .build(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("tier")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .string_attribute_constraints(
                    StringAttributeConstraintsType::builder()
                        .min_length("1")
                        .max_length("20")
                        .build(),
                )
                .build(),
        )
        .email_verification_message("Your code is {####}")
        .email_verification_subject("Your code")
        .send()
        .await
        .unwrap();
    let pool = created.user_pool().unwrap();
    let id = pool.id().unwrap().to_owned();
    let (region, name) = id.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert_eq!(name.len(), 9);
    assert!(name.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(
        pool.arn().unwrap(),
        format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}")
    );
    assert_eq!(
        pool.policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(10)
    );
    assert_eq!(pool.mfa_configuration(), Some(&UserPoolMfaType::Optional));
    assert_eq!(
        pool.email_verification_message(),
        Some("Your code is {####}")
    );
    assert!(pool.creation_date().is_some());
    let schema: Vec<_> = pool
        .schema_attributes()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    assert!(
        schema.contains(&"email") && schema.contains(&"sub") && schema.contains(&"custom:tier")
    );

    let described = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let described = described.user_pool().unwrap();
    assert_eq!(described.name(), Some("demo pool"));
    assert_eq!(described.estimated_number_of_users(), 0);
    assert!(
        described
            .device_configuration()
            .unwrap()
            .challenge_required_on_new_device()
    );

    sdk.update_user_pool()
        .user_pool_id(&id)
        .mfa_configuration(UserPoolMfaType::Off)
        .deletion_protection(DeletionProtectionType::Active)
        .send()
        .await
        .unwrap();
    let updated = sdk
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let updated = updated.user_pool().unwrap();
    assert_eq!(updated.mfa_configuration(), Some(&UserPoolMfaType::Off));
    // UpdateUserPool resets what it is not given, as the real service does.
    assert_eq!(updated.email_verification_message(), None);

    let (code, message) = error_of(
        sdk.delete_user_pool()
            .user_pool_id(&id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("deletion protection"), "{message}");
    sdk.update_user_pool()
        .user_pool_id(&id)
        .deletion_protection(DeletionProtectionType::Inactive)
        .send()
        .await
        .unwrap();

    sdk.add_custom_attributes()
        .user_pool_id(&id)
        .custom_attributes(
            SchemaAttributeType::builder()
                .name("plan")
                .attribute_data_type(AttributeDataType::String)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(
        sdk.add_custom_attributes()
            .user_pool_id(&id)
            .custom_attributes(
                SchemaAttributeType::builder()
                    .name("plan")
                    .attribute_data_type(AttributeDataType::Number)
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "Existing attribute already has name custom:plan."
        )
    );
    let header = sdk.get_csv_header().user_pool_id(&id).send().await.unwrap();
    let header = header.csv_header();
    assert_eq!(header.last().map(String::as_str), Some("cognito:username"));
    assert!(header.iter().any(|h| h == "custom:plan") && header.iter().any(|h| h == "email"));

    sdk.delete_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(
        sdk.describe_user_pool()
            .user_pool_id(&id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(message, format!("User pool {id} does not exist."));
}

#[tokio::test]
async fn pools_are_listed_in_pages() {
    let local = start().await;
    let sdk = &local.sdk;
    for i in 0..5 {
        sdk.create_user_pool()
            .pool_name(format!("pool-{i}"))
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = sdk
            .list_user_pools()
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.user_pools().len() <= 2);
        names.extend(
            page.user_pools()
                .iter()
                .filter_map(|p| p.name().map(str::to_owned)),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    names.sort();
    assert_eq!(names, ["pool-0", "pool-1", "pool-2", "pool-3", "pool-4"]);
    let (code, _) = error_of(
        sdk.list_user_pools()
            .max_results(61)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
async fn invalid_pool_requests_get_the_services_errors() {
    let local = start().await;
    let sdk = &local.sdk;
    let (code, message) = error_of(
        sdk.describe_user_pool()
            .user_pool_id("not-a-pool")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.contains("at 'userPoolId' failed to satisfy constraint"),
        "{message}"
    );
    let (code, _) = error_of(
        sdk.describe_user_pool()
            .user_pool_id("us-east-1_Nope12345")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
    let (code, message) = error_of(
        sdk.create_user_pool()
            .pool_name("x")
            .alias_attributes(aws_sdk_cognitoidentityprovider::types::AliasAttributeType::Email)
            .username_attributes(
                aws_sdk_cognitoidentityprovider::types::UsernameAttributeType::Email,
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.contains("Only one of the aliasAttributes or usernameAttributes"),
        "{message}"
    );
    let (code, _) = error_of(
        sdk.create_user_pool()
            .pool_name("x")
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(PasswordPolicyType::builder().minimum_length(5).build())
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    let (code, _) = error_of(
        sdk.create_user_pool()
            .pool_name("bad/name")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
async fn app_clients_are_managed() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool = sdk
        .create_user_pool()
        .pool_name("clients")
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_owned();

    let created = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(
            aws_sdk_cognitoidentityprovider::types::PreventUserExistenceErrorTypes::Enabled,
        )
        .access_token_validity(30)
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .access_token(TimeUnitsType::Minutes)
                .build(),
        )
        .read_attributes("email")
        .send()
        .await
        .unwrap();
    let client = created.user_pool_client().unwrap();
    let client_id = client.client_id().unwrap().to_owned();
    assert_eq!(client_id.len(), 26);
    assert_eq!(client.client_secret().map(str::len), Some(51));
    assert_eq!(client.access_token_validity(), Some(30));
    assert_eq!(client.refresh_token_validity(), 30);
    assert_eq!(client.explicit_auth_flows().len(), 2);
    assert_eq!(client.read_attributes(), ["email"]);

    let plain = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("cli")
        .send()
        .await
        .unwrap();
    let plain = plain.user_pool_client().unwrap();
    assert_eq!(plain.client_secret(), None);
    assert_eq!(plain.id_token_validity(), Some(60));
    assert_eq!(
        plain.token_validity_units().unwrap().id_token(),
        Some(&TimeUnitsType::Minutes)
    );

    let described = sdk
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_pool_client().unwrap().client_name(),
        Some("web")
    );

    let updated = sdk
        .update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .client_name("web-2")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let updated = updated.user_pool_client().unwrap();
    assert_eq!(updated.client_name(), Some("web-2"));
    assert_eq!(
        updated.explicit_auth_flows(),
        [ExplicitAuthFlowsType::AllowUserPasswordAuth]
    );
    assert_eq!(
        updated.client_secret().map(str::len),
        Some(51),
        "the secret stays"
    );

    let listed = sdk
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.user_pool_clients().len(), 1);
    let rest = sdk
        .list_user_pool_clients()
        .user_pool_id(&pool_id)
        .set_next_token(listed.next_token().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert_eq!(rest.user_pool_clients().len(), 1);
    assert!(rest.next_token().is_none());

    let (code, message) = error_of(
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("mixed")
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::UserPasswordAuth)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("legacy"), "{message}");
    let (code, _) = error_of(
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("short")
            .access_token_validity(1)
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .access_token(TimeUnitsType::Seconds)
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");

    sdk.delete_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(
        sdk.describe_user_pool_client()
            .user_pool_id(&pool_id)
            .client_id(&client_id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(
        message,
        format!("User pool client {client_id} does not exist.")
    );
}
