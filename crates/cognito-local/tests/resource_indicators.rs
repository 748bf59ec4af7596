//! Resource indicators (RFC 8707) on a real server: `resource` on the authorize and
//! token requests binds the access token's `aud` to one resource server of the pool
//! and narrows its custom scopes to that server's, through the code's exchange, its
//! refreshes and the client_credentials grant; every value that cannot be bound is
//! `invalid_target`.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{OAuthFlowType, ResourceServerScopeType};
use cognito_local::Server;

use common::hosted::{Browser, add_domain, authorize_url, exchange, sign_in};
use common::{confirmed_user, jwt_claims, sdk};

const CALLBACK: &str = "http://localhost:9/cb";
const PASSWORD: &str = "Passw0rd-Rfc8707";
const API: &str = "https://api.example.com";
const OTHER: &str = "https://other.example.com";

async fn resource_server(sdk: &cip::Client, pool_id: &str, identifier: &str) {
    sdk.create_resource_server()
        .user_pool_id(pool_id)
        .identifier(identifier)
        .name("api")
        .scopes(
            ResourceServerScopeType::builder()
                .scope_name("read")
                .scope_description("read")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_resource_binds_the_access_token_audience_and_narrows_its_scopes() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| b).await;
    resource_server(&sdk, &pool_id, API).await;
    resource_server(&sdk, &pool_id, OTHER).await;
    let api_read = format!("{API}/read");
    let other_read = format!("{OTHER}/read");
    add_domain(&sdk, &pool_id).await;
    let client_id = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes(&api_read)
        .allowed_o_auth_scopes(&other_read)
        .callback_urls(CALLBACK)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    confirmed_user(&sdk, &pool_id, "rae", PASSWORD).await;
    let scope = format!("openid {api_read} {other_read}");
    let authorize = |resource: &str, scope: &str| {
        authorize_url(
            &url,
            &pool_id,
            &[
                ("response_type", "code"),
                ("client_id", &client_id),
                ("redirect_uri", CALLBACK),
                ("scope", scope),
                ("resource", resource),
            ],
        )
    };

    let mut browser = Browser::default();
    let back = sign_in(&mut browser, &url, &authorize(API, &scope), "rae", PASSWORD).await;
    let code = back.redirect_param("code").expect("a code");
    let form = |code: &str, resource: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("client_id", client_id.clone()),
            ("code", code.to_owned()),
            ("redirect_uri", CALLBACK.to_owned()),
            ("resource", resource.to_owned()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let (url, pool_id) = (url.clone(), pool_id.clone());
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            exchange(&url, &pool_id, &form).await
        }
    };
    // The token request may not name another resource than the code's.
    let (status, body) = send(form(&code, OTHER)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target")),
        "{body}"
    );
    let (status, body) = send(form(&code, API)).await;
    assert_eq!(status, 200, "{body}");
    let access = jwt_claims(body["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], API);
    assert_eq!(access["scope"], format!("openid {api_read}"));
    assert_eq!(access["client_id"], client_id.as_str());
    // The ID token is the client's, as ever.
    assert_eq!(
        jwt_claims(body["id_token"].as_str().unwrap())["aud"],
        client_id.as_str()
    );

    // Refreshed tokens keep the binding; another resource is refused.
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let refreshing = |resource: Option<&str>| {
        let mut form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("client_id", client_id.clone()),
            ("refresh_token", refresh.clone()),
        ];
        if let Some(resource) = resource {
            form.push(("resource", resource.to_owned()));
        }
        form
    };
    let (status, body) = send(refreshing(Some(OTHER))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target"))
    );
    for resource in [None, Some(API)] {
        let (status, body) = send(refreshing(resource)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            jwt_claims(body["access_token"].as_str().unwrap())["aud"],
            API
        );
    }

    // What cannot be bound goes back to the app as invalid_target: not an absolute
    // URI, no resource server of the pool, none of its scopes granted.
    for (resource, scope) in [
        ("api", scope.as_str()),
        ("https://nowhere.example.com", scope.as_str()),
        (&format!("{API}#x"), scope.as_str()),
        (API, "openid"),
    ] {
        let answer = browser.get(&authorize(resource, scope)).await;
        assert_eq!(
            answer.redirect_param("error").as_deref(),
            Some("invalid_target"),
            "{resource} {scope}: {answer:?}"
        );
    }
    // Without a resource nothing changes: no aud in the access token.
    let plain = authorize_url(
        &url,
        &pool_id,
        &[
            ("response_type", "code"),
            ("client_id", &client_id),
            ("redirect_uri", CALLBACK),
        ],
    );
    let code = browser.get(&plain).await.redirect_param("code").unwrap();
    let (status, body) = exchange(
        &url,
        &pool_id,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", &code),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        jwt_claims(body["access_token"].as_str().unwrap())
            .get("aud")
            .is_none()
    );
}

#[tokio::test]
async fn client_credentials_tokens_are_bound_to_the_resource_asked_for() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| b).await;
    add_domain(&sdk, &pool_id).await;
    resource_server(&sdk, &pool_id, API).await;
    resource_server(&sdk, &pool_id, OTHER).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("m2m")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes(format!("{API}/read"))
        .allowed_o_auth_scopes(format!("{OTHER}/read"))
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let (id, secret) = (client.client_id.unwrap(), client.client_secret.unwrap());
    let token = |resource: &str| {
        let (url, pool_id, id, secret) = (url.clone(), pool_id.clone(), id.clone(), secret.clone());
        let resource = resource.to_owned();
        async move {
            exchange(
                &url,
                &pool_id,
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", &id),
                    ("client_secret", &secret),
                    ("resource", &resource),
                ],
            )
            .await
        }
    };
    let (status, body) = token(OTHER).await;
    assert_eq!(status, 200, "{body}");
    let access = jwt_claims(body["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], OTHER);
    assert_eq!(access["scope"], format!("{OTHER}/read"));
    let (status, body) = token("https://nowhere.example.com").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target")),
        "{body}"
    );
}
