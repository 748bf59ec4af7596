//! Domains, resource servers and app clients' OAuth settings, through the AWS SDK for
//! Rust against a real server: validation as the service answers it.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    CustomDomainConfigType, OAuthFlowType, ResourceServerScopeType,
};
use common::{error_of, start};

async fn pool(sdk: &aws_sdk_cognitoidentityprovider::Client) -> String {
    sdk.create_user_pool()
        .pool_name("p")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

fn scope(name: &str) -> ResourceServerScopeType {
    ResourceServerScopeType::builder()
        .scope_name(name)
        .scope_description(format!("{name} things"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_prefix_and_a_custom_domain_are_created_described_and_deleted() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool(sdk).await;

    let created = sdk
        .create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("my-app")
        .send()
        .await
        .unwrap();
    assert_eq!(created.managed_login_version, Some(1));
    assert_eq!(created.cloud_front_domain, None);
    let custom = sdk
        .create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("auth.example.com")
        .managed_login_version(2)
        .custom_domain_config(
            CustomDomainConfigType::builder()
                .certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/abc")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let cloudfront = custom.cloud_front_domain.unwrap();
    assert!(cloudfront.ends_with(".cloudfront.net"), "{cloudfront}");

    let shown = sdk
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(shown.domain.as_deref(), Some("my-app"));
    assert_eq!(shown.custom_domain.as_deref(), Some("auth.example.com"));

    let described = sdk
        .describe_user_pool_domain()
        .domain("auth.example.com")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(described.user_pool_id.as_deref(), Some(pool_id.as_str()));
    assert_eq!(described.status.unwrap().as_str(), "ACTIVE");
    assert_eq!(described.managed_login_version, Some(2));
    assert_eq!(
        described.cloud_front_distribution.as_deref(),
        Some(cloudfront.as_str())
    );
    assert_eq!(
        described.custom_domain_config.unwrap().certificate_arn,
        "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    );

    // An unknown domain is described as nothing, not as an error.
    let unknown = sdk
        .describe_user_pool_domain()
        .domain("nobody-here")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(unknown.domain, None);

    // Updated: the version (and a custom domain's certificate).
    let updated = sdk
        .update_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("my-app")
        .managed_login_version(2)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.managed_login_version, Some(2));

    // A pool with a domain cannot be deleted.
    let (code, message) = error_of(
        sdk.delete_user_pool()
            .user_pool_id(&pool_id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    assert_eq!(
        message,
        "User pool cannot be deleted. It has a domain configured that should be deleted first."
    );
    for domain in ["my-app", "auth.example.com"] {
        sdk.delete_user_pool_domain()
            .user_pool_id(&pool_id)
            .domain(domain)
            .send()
            .await
            .unwrap();
    }
    let shown = sdk
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(shown.domain, None);
    sdk.delete_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn domains_are_refused_as_the_service_refuses_them() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool(sdk).await;
    let other = pool(sdk).await;
    let create = |pool: &str, domain: &str| {
        sdk.create_user_pool_domain()
            .user_pool_id(pool)
            .domain(domain)
            .send()
    };
    create(&pool_id, "taken").await.unwrap();
    let refusals = [
        (
            &other,
            "taken",
            "Domain already associated with another user pool.",
        ),
        (
            &pool_id,
            "second",
            "The user pool already has a domain configured.",
        ),
        (
            &other,
            "my-aws-app",
            "Domain cannot contain reserved word: aws",
        ),
        (
            &other,
            "newcognito",
            "Domain cannot contain reserved word: cognito",
        ),
    ];
    for (pool, domain, expected) in refusals {
        let (code, message) = error_of(create(pool, domain).await.unwrap_err());
        assert_eq!(code, "InvalidParameterException", "{domain}");
        assert_eq!(message, expected, "{domain}");
    }
    // `aws` inside a word is not the reserved word.
    create(&other, "my-awsome-app").await.unwrap();
    // Dots make a custom domain, which needs its certificate.
    let (code, message) = error_of(create(&pool_id, "a.b").await.unwrap_err());
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.starts_with("The domain name contains an invalid character."),
        "{message}"
    );
    // Uppercase breaks the model's pattern.
    let (code, _) = error_of(create(&pool_id, "Upper").await.unwrap_err());
    assert_eq!(code, "InvalidParameterException");
    // Another pool's domain is not this pool's to delete or update.
    let (code, _) = error_of(
        sdk.delete_user_pool_domain()
            .user_pool_id(&other)
            .domain("taken")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    let (code, _) = error_of(
        sdk.update_user_pool_domain()
            .user_pool_id(&pool_id)
            .domain("taken")
            .managed_login_version(3)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test]
async fn resource_servers_define_the_scopes_clients_may_have() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool(sdk).await;
    let server = sdk
        .create_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .name("api")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(server.scopes().len(), 2);
    let (code, _) = error_of(
        sdk.create_resource_server()
            .user_pool_id(&pool_id)
            .identifier("https://api.example.com")
            .name("again")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    let (code, _) = error_of(
        sdk.create_resource_server()
            .user_pool_id(&pool_id)
            .identifier("dup")
            .name("dup")
            .scopes(scope("a"))
            .scopes(scope("a"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    // A scope name may not hold a slash (the model's pattern).
    let (code, _) = error_of(
        sdk.create_resource_server()
            .user_pool_id(&pool_id)
            .identifier("slashes")
            .name("slashes")
            .scopes(scope("a/b"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");

    // Clients may name its scopes, and no others.
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("m2m")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("https://api.example.com/read")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        client.allowed_o_auth_scopes(),
        ["https://api.example.com/read"]
    );
    let (code, message) = error_of(
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("m2m")
            .generate_secret(true)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
            .allowed_o_auth_scopes("https://api.example.com/delete")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ScopeDoesNotExistException");
    assert_eq!(
        message,
        "Invalid scope requested: https://api.example.com/delete"
    );

    // Updated, listed, described, deleted.
    sdk.update_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .name("renamed")
        .scopes(scope("read"))
        .send()
        .await
        .unwrap();
    for n in 0..3 {
        sdk.create_resource_server()
            .user_pool_id(&pool_id)
            .identifier(format!("rs{n}"))
            .name("more")
            .send()
            .await
            .unwrap();
    }
    let first = sdk
        .list_resource_servers()
        .user_pool_id(&pool_id)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.resource_servers().len(), 2);
    let rest = sdk
        .list_resource_servers()
        .user_pool_id(&pool_id)
        .max_results(2)
        .next_token(first.next_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.resource_servers().len(), 2);
    assert_eq!(rest.next_token, None);
    let described = sdk
        .describe_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(described.name.as_deref(), Some("renamed"));
    assert_eq!(described.scopes().len(), 1);
    sdk.delete_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap();
    let (code, _) = error_of(
        sdk.describe_resource_server()
            .user_pool_id(&pool_id)
            .identifier("https://api.example.com")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
}

#[tokio::test]
async fn oauth_settings_are_checked_as_the_service_checks_them() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool(sdk).await;
    let client = || {
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("web")
    };
    let cases = [
        (
            client()
                .allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::Code),
            "InvalidParameterException",
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
        ),
        (
            client()
                .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
                .allowed_o_auth_scopes("openid"),
            "InvalidOAuthFlowException",
            "client_credentials flow can not be selected if client does not have a client secret.",
        ),
        (
            client()
                .generate_secret(true)
                .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
                .allowed_o_auth_flows(OAuthFlowType::Code)
                .allowed_o_auth_scopes("openid"),
            "InvalidOAuthFlowException",
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ),
        (
            client()
                .generate_secret(true)
                .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
                .allowed_o_auth_scopes("openid"),
            "InvalidOAuthFlowException",
            "openid is not supported with client_credentials flow",
        ),
        (
            client()
                .allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::Code)
                .allowed_o_auth_scopes("openid"),
            "InvalidOAuthFlowException",
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        ),
        (
            client().callback_urls("http://example.com/cb"),
            "InvalidParameterException",
            "http://example.com/cb cannot use the HTTP protocol.",
        ),
        (
            client()
                .callback_urls("https://example.com/cb")
                .default_redirect_uri("https://example.com/other"),
            "InvalidParameterException",
            "DefaultRedirectURI must be one of the CallbackURLs.",
        ),
        (
            client().supported_identity_providers("Google"),
            "InvalidParameterException",
            &format!("The provider Google does not exist for User Pool {pool_id}"),
        ),
    ];
    for (request, code, message) in cases {
        let (got_code, got_message) = error_of(request.send().await.unwrap_err());
        assert_eq!((got_code.as_str(), got_message.as_str()), (code, message));
    }
    // Loopback may use plain HTTP, custom schemes are allowed, and COGNITO is a provider.
    let web = client()
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls("http://localhost:3000/cb")
        .callback_urls("http://127.0.0.1/cb")
        .callback_urls("myapp://cb")
        .logout_urls("http://localhost:3000/")
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(web.callback_urls().len(), 3);
    // Checked again on update.
    let (code, _) = error_of(
        sdk.update_user_pool_client()
            .user_pool_id(&pool_id)
            .client_id(web.client_id.unwrap())
            .callback_urls("http://example.com/cb")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
}
