//! Managed login branding styles and terms documents through the AWS SDK for Rust: one
//! style a client and one document of each name, AWS's refusals, updates that keep what
//! they do not name, and both gone with their client. The pages that use them are in
//! `hosted_account.rs`.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use cip::primitives::Blob;
use cip::types::{
    AssetCategoryType, AssetExtensionType, AssetType, ColorSchemeModeType, TermsEnforcementType,
    TermsSourceType,
};
use cognito_local::Server;
use serde_json::json;

use common::{app_client, error_of, pool_with, sdk, signed_call};

fn logo(mode: ColorSchemeModeType, bytes: &[u8]) -> AssetType {
    AssetType::builder()
        .category(AssetCategoryType::PageHeaderLogo)
        .color_mode(mode)
        .extension(AssetExtensionType::Png)
        .bytes(Blob::new(bytes))
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_branding_style_a_client_with_awss_rules() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool_with(&sdk, |b| b).await;
    let client_id = app_client(&sdk, &pool_id).await;

    // Neither Cognito's values nor settings, or both: refused, as AWS refuses them.
    for (cognito, settings) in [
        (None, None),
        (Some(false), None),
        (Some(true), Some(json!({}))),
    ] {
        let mut body = json!({"UserPoolId": pool_id, "ClientId": client_id});
        if let Some(cognito) = cognito {
            body["UseCognitoProvidedValues"] = json!(cognito);
        }
        if let Some(settings) = settings {
            body["Settings"] = settings;
        }
        let (status, answer) = signed_call(
            &reqwest::Client::new(),
            &url,
            "CreateManagedLoginBranding",
            &body,
        )
        .await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["__type"], "InvalidParameterException");
        assert_eq!(
            answer["message"],
            "useCognitoProvidedValues or settings should be specified (but not both)"
        );
    }

    let created = sdk
        .create_managed_login_branding()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap();
    let style = created.managed_login_branding().unwrap();
    let id = style.managed_login_branding_id().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    assert!(style.use_cognito_provided_values());
    assert!(style.settings().is_none());
    assert_eq!(style.assets(), []);
    assert_eq!(style.creation_date(), style.last_modified_date());

    let again = sdk
        .create_managed_login_branding()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_of(again),
        (
            "ManagedLoginBrandingExistsException".to_owned(),
            format!("A ManagedLoginBranding already exists for client {client_id}")
        )
    );

    // Settings of its own (raw JSON, a document), then an update that adds an asset:
    // the settings are merged member by member, the asset kept beside the others.
    let (status, updated) = signed_call(
        &reqwest::Client::new(),
        &url,
        "UpdateManagedLoginBranding",
        &json!({"UserPoolId": pool_id, "ManagedLoginBrandingId": id,
                "Settings": {"components": {"form": {"borderRadius": 8}, "pageHeader": {"x": 1}}}}),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    let updated = sdk
        .update_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&id)
        .settings(aws_smithy_types::Document::Object(
            [(
                "components".to_owned(),
                aws_smithy_types::Document::Object(
                    [(
                        "form".to_owned(),
                        aws_smithy_types::Document::Object(
                            [(
                                "borderRadius".to_owned(),
                                aws_smithy_types::Document::Number(
                                    aws_smithy_types::Number::PosInt(2),
                                ),
                            )]
                            .into(),
                        ),
                    )]
                    .into(),
                ),
            )]
            .into(),
        ))
        .assets(logo(ColorSchemeModeType::Light, b"\x89PNG-light"))
        .send()
        .await
        .unwrap();
    let style = updated.managed_login_branding().unwrap();
    assert!(!style.use_cognito_provided_values());
    assert_eq!(style.assets().len(), 1);
    let (_, described) = signed_call(
        &reqwest::Client::new(),
        &url,
        "DescribeManagedLoginBrandingByClient",
        &json!({"UserPoolId": pool_id, "ClientId": client_id, "ReturnMergedResources": false}),
    )
    .await;
    let described = &described["ManagedLoginBranding"];
    assert_eq!(
        described["Settings"],
        json!({"components": {"form": {"borderRadius": 2}, "pageHeader": {"x": 1}}})
    );
    assert_eq!(described["Assets"][0]["Category"], "PAGE_HEADER_LOGO");
    assert_eq!(described["Assets"][0]["Bytes"], base64_of(b"\x89PNG-light"));

    // Back to Cognito's values: nothing of its own is kept.
    let reverted = sdk
        .update_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap();
    let style = reverted.managed_login_branding().unwrap();
    assert!(style.use_cognito_provided_values() && style.settings().is_none());
    assert!(style.assets().is_empty());

    // Ids that are not UUIDs, and ones that are nobody's.
    let bad = sdk
        .describe_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id("not-a-uuid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(bad).0, "InvalidParameterException");
    let unknown = sdk
        .describe_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id("0b7ac5d2-64a5-4d8e-9f1e-3a3f3c6f2a10")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_of(unknown),
        (
            "ResourceNotFoundException".to_owned(),
            "ManagedLoginBranding does not exist.".to_owned()
        )
    );

    // Deleted: the client has none; a new one may be made. A client's deletion takes
    // its style with it.
    sdk.delete_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&id)
        .send()
        .await
        .unwrap();
    let none = sdk
        .describe_managed_login_branding_by_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_of(none).1,
        format!("ManagedLoginBranding for client {client_id} does not exist.")
    );
    let second = sdk
        .create_managed_login_branding()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap();
    let second_id = second
        .managed_login_branding()
        .unwrap()
        .managed_login_branding_id()
        .unwrap()
        .to_owned();
    sdk.delete_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    let gone = sdk
        .describe_managed_login_branding()
        .user_pool_id(&pool_id)
        .managed_login_branding_id(&second_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(gone).0, "ResourceNotFoundException");
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn terms_documents_one_of_each_name_a_client() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool_with(&sdk, |b| b).await;
    let client_id = app_client(&sdk, &pool_id).await;
    let other_client = app_client(&sdk, &pool_id).await;

    let create = |client: &str, name: &str| {
        sdk.create_terms()
            .user_pool_id(&pool_id)
            .client_id(client)
            .terms_name(name)
            .terms_source(TermsSourceType::Link)
            .enforcement(TermsEnforcementType::None)
            .links("cognito:default", format!("https://example.com/{name}"))
    };
    let terms = create(&client_id, "terms-of-use").send().await.unwrap();
    let terms = terms.terms().unwrap();
    assert_eq!(terms.terms_name(), "terms-of-use");
    assert_eq!(terms.client_id(), client_id);
    assert_eq!(
        terms.links().get("cognito:default").map(String::as_str),
        Some("https://example.com/terms-of-use")
    );
    let terms_id = terms.terms_id().to_owned();
    let twice = create(&client_id, "terms-of-use").send().await.unwrap_err();
    assert_eq!(error_of(twice).0, "TermsExistsException");
    // Another name, and the same name for another client, are fine.
    let privacy = create(&client_id, "privacy-policy").send().await.unwrap();
    let privacy_id = privacy.terms().unwrap().terms_id().to_owned();
    create(&other_client, "terms-of-use").send().await.unwrap();
    // A name the model does not know.
    let (status, answer) = signed_call(
        &reqwest::Client::new(),
        &url,
        "CreateTerms",
        &json!({"UserPoolId": pool_id, "ClientId": client_id, "TermsName": "cookies",
                "TermsSource": "LINK", "Enforcement": "NONE"}),
    )
    .await;
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );

    // DescribeTermsByClient is newer than the pinned SDK: over plain HTTP.
    let (status, by_client) = signed_call(
        &reqwest::Client::new(),
        &url,
        "DescribeTermsByClient",
        &json!({"UserPoolId": pool_id, "ClientId": client_id, "TermsName": "privacy-policy"}),
    )
    .await;
    assert_eq!(status, 200, "{by_client}");
    assert_eq!(by_client["Terms"]["TermsId"], privacy_id.as_str());
    let (status, missing) = signed_call(
        &reqwest::Client::new(),
        &url,
        "DescribeTermsByClient",
        &json!({"UserPoolId": pool_id, "ClientId": other_client, "TermsName": "privacy-policy"}),
    )
    .await;
    assert_eq!(
        (status, missing["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );

    // Every document of the pool, page by page.
    let first = sdk
        .list_terms()
        .user_pool_id(&pool_id)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.terms().len(), 2);
    let rest = sdk
        .list_terms()
        .user_pool_id(&pool_id)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.terms().len(), 1);
    assert!(rest.next_token().is_none());

    // Renaming onto the other document's name is refused; links given replace them.
    let clash = sdk
        .update_terms()
        .user_pool_id(&pool_id)
        .terms_id(&terms_id)
        .terms_name("privacy-policy")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(clash).0, "TermsExistsException");
    let updated = sdk
        .update_terms()
        .user_pool_id(&pool_id)
        .terms_id(&terms_id)
        .links("cognito:spanish", "https://example.com/es/terms")
        .send()
        .await
        .unwrap();
    let updated = updated.terms().unwrap();
    assert_eq!(updated.terms_name(), "terms-of-use", "kept");
    assert_eq!(updated.links().len(), 1);
    assert!(updated.last_modified_date() >= updated.creation_date());

    sdk.delete_terms()
        .user_pool_id(&pool_id)
        .terms_id(&terms_id)
        .send()
        .await
        .unwrap();
    let gone = sdk
        .describe_terms()
        .user_pool_id(&pool_id)
        .terms_id(&terms_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error_of(gone).0, "ResourceNotFoundException");
    // With its client, the rest go too.
    sdk.delete_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    let left = sdk
        .list_terms()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(left.terms().len(), 1, "only the other client's");
}
