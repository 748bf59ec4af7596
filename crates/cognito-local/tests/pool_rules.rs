//! Rules of pools and their users the service enforces: schema checks, aliases that
//! stay unique, pools scoped to their region.

mod common;

use common::{app_client, attr, confirmed_user, error_of, params, pool_with, sdk, start};

/// CreateUserPool and AddCustomAttributes check schemas as the service does (the
/// messages moto's suite pins, which agree with AWS).
#[tokio::test]
async fn schemas_are_checked_as_the_service_checks_them() {
    use aws_sdk_cognitoidentityprovider::types::{
        AttributeDataType, NumberAttributeConstraintsType, SchemaAttributeType,
        StringAttributeConstraintsType,
    };
    let local = start().await;
    let sdk = &local.sdk;
    let string = |min: &str, max: &str| {
        StringAttributeConstraintsType::builder()
            .min_length(min)
            .max_length(max)
            .build()
    };
    let cases: Vec<(SchemaAttributeType, String)> = vec![
        (
            SchemaAttributeType::builder().name("plan").build(),
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
                .into(),
        ),
        (
            SchemaAttributeType::builder()
                .name("email")
                .attribute_data_type(AttributeDataType::Number)
                .build(),
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email".into(),
        ),
        (
            SchemaAttributeType::builder()
                .name("email")
                .developer_only_attribute(true)
                .build(),
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email".into(),
        ),
        (
            SchemaAttributeType::builder()
                .name("n")
                .attribute_data_type(AttributeDataType::Number)
                .number_attribute_constraints(
                    NumberAttributeConstraintsType::builder().min_value("ten").build(),
                )
                .build(),
            "Invalid NumberAttributeConstraints for schema attribute custom:n".into(),
        ),
        (
            SchemaAttributeType::builder()
                .name("n")
                .attribute_data_type(AttributeDataType::Number)
                .number_attribute_constraints(
                    NumberAttributeConstraintsType::builder()
                        .min_value("20")
                        .max_value("10")
                        .build(),
                )
                .build(),
            "user.custom:n: Max value cannot be less than min value.".into(),
        ),
        (
            SchemaAttributeType::builder()
                .name("s")
                .attribute_data_type(AttributeDataType::String)
                .string_attribute_constraints(string("0", "2049"))
                .build(),
            "user.custom:s: String attributes cannot have a length of more than 2048".into(),
        ),
        (
            SchemaAttributeType::builder()
                .name("s")
                .attribute_data_type(AttributeDataType::String)
                .string_attribute_constraints(string("10", "5"))
                .build(),
            "user.custom:s: Max length cannot be less than min length.".into(),
        ),
    ];
    for (attribute, expected) in cases {
        let (code, message) = error_of(
            sdk.create_user_pool()
                .pool_name("p")
                .schema(attribute)
                .send()
                .await
                .unwrap_err(),
        );
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("InvalidParameterException", expected.as_str())
        );
    }
    // A developer-only custom attribute is `dev:custom:NAME`.
    let pool = sdk
        .create_user_pool()
        .pool_name("p")
        .schema(
            SchemaAttributeType::builder()
                .name("banana")
                .attribute_data_type(AttributeDataType::String)
                .developer_only_attribute(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = pool
        .user_pool()
        .unwrap()
        .schema_attributes()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    assert!(names.contains(&"dev:custom:banana"), "{names:?}");
}

/// An update that would take another user's verified alias is refused with
/// AliasExistsException, and changes nothing.
#[tokio::test]
async fn an_update_cannot_take_another_users_alias() {
    use aws_sdk_cognitoidentityprovider::types::AliasAttributeType;
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b.alias_attributes(AliasAttributeType::Email)).await;
    for (name, email) in [("ann", "ann@example.com"), ("bob", "bob@example.com")] {
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username(name)
            .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
            .user_attributes(attr("email", email))
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .unwrap();
    }
    let (code, message) = error_of(
        sdk.admin_update_user_attributes()
            .user_pool_id(&pool_id)
            .username("bob")
            .user_attributes(attr("email", "ann@example.com"))
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "AliasExistsException",
            "An account with the given email already exists."
        )
    );
    let bob = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    let email = bob
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email")
        .unwrap();
    assert_eq!(email.value(), Some("bob@example.com"));
}

/// Pools live in their region: a request signed for another region does not see them
/// (ResourceNotFoundException, not listed); unsigned calls name theirs by app client.
#[tokio::test]
async fn pools_are_scoped_to_their_region() {
    let local = start().await;
    let east = &local.sdk;
    let west = sdk(&local.server.url(), "eu-west-1");
    let pool_id = pool_with(east, |b| b).await;
    let client_id = app_client(east, &pool_id).await;
    confirmed_user(east, &pool_id, "ann", "Passw0rd-Ann1").await;

    let (code, _) = error_of(
        west.describe_user_pool()
            .user_pool_id(&pool_id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
    let arn = east
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    let (code, _) = error_of(
        west.list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
    let created = west
        .create_user_pool()
        .pool_name("west")
        .send()
        .await
        .unwrap();
    let west_id = created.user_pool().unwrap().id().unwrap().to_owned();
    assert!(west_id.starts_with("eu-west-1_"), "{west_id}");
    let listed = west.list_user_pools().max_results(60).send().await.unwrap();
    let ids: Vec<&str> = listed.user_pools().iter().filter_map(|p| p.id()).collect();
    assert_eq!(ids, [west_id.as_str()]);

    // Unsigned: the app client names the pool, whatever region the SDK says.
    west.initiate_auth()
        .client_id(&client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "ann"),
            ("PASSWORD", "Passw0rd-Ann1"),
        ])))
        .send()
        .await
        .unwrap();
}
