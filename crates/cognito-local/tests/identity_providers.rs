//! Identity providers through the AWS SDK for Rust: each type's required details with
//! AWS's messages, social providers named as their type, the default `username`
//! mapping, identifiers that pick a provider, app clients that may name only existing
//! providers (and lose a deleted one), updates that keep what they do not name.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::IdentityProviderTypeType as Kind;
use cognito_local::Server;

use common::{error_of, pool_with, sdk};

fn details(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const OIDC: &[(&str, &str)] = &[
    ("client_id", "rp-client"),
    ("client_secret", "rp-secret"),
    ("oidc_issuer", "http://127.0.0.1:9/issuer"),
    ("authorize_scopes", "openid email"),
    ("attributes_request_method", "GET"),
];

#[tokio::test]
async fn providers_are_checked_as_aws_checks_them() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let pool_id = pool_with(&sdk, |b| b).await;
    let create = |name: &str, kind: Kind, given: &[(&str, &str)]| {
        sdk.create_identity_provider()
            .user_pool_id(&pool_id)
            .provider_name(name)
            .provider_type(kind)
            .set_provider_details(Some(details(given)))
    };

    let refused = [
        (
            create("MyGoogle", Kind::Google, &[("client_id", "a")]),
            "Provider MyGoogle cannot be of type Google.",
        ),
        (
            create("Google", Kind::Google, &[("client_id", "a")]),
            "client_id, client_secret and authorize_scopes are all required idp details",
        ),
        (
            create("corp", Kind::Saml, &[("IDPSignout", "true")]),
            "At least one of the MetadataURL or MetadataFile should be provided.",
        ),
        (
            create("corp", Kind::Oidc, &[("client_id", "a")]),
            "client_id, oidc_issuer and authorize_scopes are all required idp details",
        ),
    ];
    for (request, message) in refused {
        let error = request.send().await.unwrap_err();
        assert_eq!(
            error_of(error),
            ("InvalidParameterException".to_owned(), message.to_owned())
        );
    }
    let unknown_attribute = create("corp", Kind::Oidc, OIDC)
        .attribute_mapping("custom:nope", "groups")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_of(unknown_attribute).1,
        "AttributeMapping contains invalid mapping: [custom:nope]"
    );

    let created = create("corp", Kind::Oidc, OIDC)
        .attribute_mapping("email", "email")
        .idp_identifiers("Example.com")
        .send()
        .await
        .unwrap();
    let provider = created.identity_provider().unwrap();
    assert_eq!(provider.provider_type(), Some(&Kind::Oidc));
    let shown = provider.provider_details().unwrap();
    assert_eq!(shown["attributes_url_add_attributes"], "false");
    assert_eq!(shown["client_id"], "rp-client");
    let mapping = provider.attribute_mapping().unwrap();
    assert_eq!(mapping["username"], "sub", "the default");
    assert_eq!(mapping["email"], "email");

    let twice = create("corp", Kind::Oidc, OIDC).send().await.unwrap_err();
    assert_eq!(error_of(twice).0, "DuplicateProviderException");
    let same_identifier = create("other", Kind::Oidc, OIDC)
        .idp_identifiers("example.COM")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(same_identifier).0, "InvalidParameterException");

    // Google: AWS's endpoints filled in, named as its type.
    let google = create(
        "Google",
        Kind::Google,
        &[
            ("client_id", "g-client"),
            ("client_secret", "g-secret"),
            ("authorize_scopes", "openid email"),
        ],
    )
    .send()
    .await
    .unwrap();
    let google = google.identity_provider().unwrap();
    let shown = google.provider_details().unwrap();
    assert_eq!(shown.len(), 9, "{shown:?}");
    assert_eq!(shown["oidc_issuer"], "https://accounts.google.com");

    // An identifier picks its provider, whatever its case.
    let picked = sdk
        .get_identity_provider_by_identifier()
        .user_pool_id(&pool_id)
        .idp_identifier("EXAMPLE.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        picked.identity_provider().unwrap().provider_name(),
        Some("corp")
    );
    let nobody = sdk
        .get_identity_provider_by_identifier()
        .user_pool_id(&pool_id)
        .idp_identifier("nobody.example")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(nobody).0, "ResourceNotFoundException");

    // Listed page by page.
    let first = sdk
        .list_identity_providers()
        .user_pool_id(&pool_id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.providers().len(), 1);
    let rest = sdk
        .list_identity_providers()
        .user_pool_id(&pool_id)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.providers().len(), 1);
    assert!(rest.next_token().is_none());

    // Update keeps what it does not name; details are checked again.
    let updated = sdk
        .update_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("corp")
        .idp_identifiers("corp.example")
        .send()
        .await
        .unwrap();
    let updated = updated.identity_provider().unwrap();
    assert_eq!(updated.idp_identifiers(), ["corp.example"]);
    assert_eq!(updated.attribute_mapping().unwrap()["email"], "email");
    let broken = sdk
        .update_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("corp")
        .set_provider_details(Some(details(&[("client_id", "x")])))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(broken).0, "InvalidParameterException");
    // The old identifier no longer picks it.
    let old = sdk
        .get_identity_provider_by_identifier()
        .user_pool_id(&pool_id)
        .idp_identifier("example.com")
        .send()
        .await;
    assert!(old.is_err());
}

#[tokio::test]
async fn app_clients_name_existing_providers_and_lose_deleted_ones() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let pool_id = pool_with(&sdk, |b| b).await;
    let client = |providers: &[&str]| {
        let mut request = sdk
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("web")
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .callback_urls("https://app.example.com/cb");
        for provider in providers {
            request = request.supported_identity_providers(*provider);
        }
        request
    };
    let unknown = client(&["COGNITO", "corp"]).send().await.unwrap_err();
    assert_eq!(
        error_of(unknown).1,
        format!("The provider corp does not exist for User Pool {pool_id}")
    );
    sdk.create_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("corp")
        .provider_type(Kind::Oidc)
        .set_provider_details(Some(details(OIDC)))
        .send()
        .await
        .unwrap();
    let made = client(&["COGNITO", "corp"]).send().await.unwrap();
    let client_id = made
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();

    sdk.delete_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("corp")
        .send()
        .await
        .unwrap();
    let described = sdk
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described
            .user_pool_client()
            .unwrap()
            .supported_identity_providers(),
        ["COGNITO"]
    );
    let gone = sdk
        .describe_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("corp")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(gone).0, "ResourceNotFoundException");
}

/// The sign-in page shows a button for each of the client's identity providers: the
/// authorize request again, naming it. (Signing in through it is the federation work.)
#[tokio::test]
async fn the_sign_in_page_has_a_button_for_each_provider_of_the_client() {
    use common::hosted::{Browser, authorize_url};
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool_with(&sdk, |b| b).await;
    sdk.create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain("idp-buttons")
        .send()
        .await
        .unwrap();
    sdk.create_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("corp")
        .provider_type(Kind::Oidc)
        .set_provider_details(Some(details(OIDC)))
        .send()
        .await
        .unwrap();
    let client_id = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls("http://localhost:9/cb")
        .supported_identity_providers("COGNITO")
        .supported_identity_providers("corp")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let mut browser = Browser::default();
    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", "http://localhost:9/cb"),
        ("state", "s1"),
    ];
    let sent = browser.get(&authorize_url(&url, &pool_id, &request)).await;
    let login = browser
        .get(&format!("{url}{}", sent.location.unwrap()))
        .await;
    let button = regex::Regex::new(r#"<a class="provider" href="([^"]*)">Sign in with corp</a>"#)
        .unwrap()
        .captures(&login.body)
        .unwrap_or_else(|| panic!("no button in {}", login.body))[1]
        .replace("&amp;", "&");
    assert!(button.contains("identity_provider=corp"), "{button}");
    assert!(button.contains("state=s1"), "{button}");
    // Followed: an honest refusal sent back to the client, with its state.
    let followed = browser.get(&format!("{url}{button}")).await;
    assert_eq!(followed.status, 302);
    assert_eq!(
        followed.redirect_param("error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(followed.redirect_param("state").as_deref(), Some("s1"));
}
