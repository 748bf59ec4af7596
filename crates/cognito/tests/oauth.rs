//! `cognito::oauth` against a real `cognito-local`: the code grant with PKCE through
//! the hosted sign-in page (posted as a browser posts it), the id token checked against
//! its request, refresh, userinfo, revocation, the logout URL, and client_credentials
//! tokens cached (the middleware carrying them is tested in `middleware.rs`).

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::OAuthFlowType;
use cognito::cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use cognito::oauth::{AuthorizationRequest, Callback, OAuthClient, OAuthError};

use common::{Local, PASSWORD, PoolSpec, start};

const CALLBACK: &str = "http://localhost:9/cb";

/// A domain for the pool and a public code-grant client: its id.
async fn web_client(local: &Local) -> String {
    local
        .admin
        .create_user_pool_domain()
        .user_pool_id(&local.pool_id)
        .domain("oauth-client-test")
        .send()
        .await
        .unwrap();
    local
        .admin
        .create_user_pool_client()
        .user_pool_id(&local.pool_id)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(CALLBACK)
        .logout_urls("http://localhost:9/bye")
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap()
}

/// What a browser does with the authorize URL: follows it to the sign-in page, posts
/// the credentials (with the page's CSRF token and cookie), and returns the URL the
/// server sends it back to.
async fn sign_in_in_browser(url: &str, request: &AuthorizationRequest, username: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut cookies: HashMap<String, String> = HashMap::new();
    let keep = |response: &reqwest::Response, cookies: &mut HashMap<String, String>| {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            cookies.insert(name.to_owned(), value.to_owned());
        }
    };
    let header = |cookies: &HashMap<String, String>| {
        cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let sent = http.get(&request.url).send().await.unwrap();
    assert_eq!(sent.status(), 302);
    let login = sent.headers()["location"].to_str().unwrap().to_owned();
    let page = http.get(format!("{url}{login}")).send().await.unwrap();
    keep(&page, &mut cookies);
    let body = page.text().await.unwrap();
    let csrf = value_after(&body, r#"name="_csrf" value=""#);
    let action = value_after(&body, r#"<form method="post" action=""#).replace("&amp;", "&");
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("_csrf", &csrf)
        .append_pair("username", username)
        .append_pair("password", PASSWORD)
        .finish();
    let done = http
        .post(format!("{url}{action}"))
        .header("cookie", header(&cookies))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 302, "{}", done.text().await.unwrap());
    done.headers()["location"].to_str().unwrap().to_owned()
}

fn value_after(body: &str, marker: &str) -> String {
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_code_grant_with_pkce_then_refresh_userinfo_and_revocation() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let client_id = web_client(&local).await;
    let oauth = OAuthClient::builder()
        .local(&local.url, &local.pool_id)
        .client_id(&client_id)
        .redirect_uri(CALLBACK)
        .build()
        .unwrap();

    let request = oauth.authorize(&["openid", "email"]);
    assert!(request.url.contains("code_challenge_method=S256"));
    // The request survives a round trip through a session store.
    let kept: AuthorizationRequest =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    let back = sign_in_in_browser(&local.url, &kept, "ada").await;
    assert!(back.starts_with(CALLBACK), "{back}");

    // A callback with another state is refused before the code is spent.
    let forged = back.replace(&format!("state={}", kept.state), "state=forged");
    let refused = oauth.finish(&kept, &forged).await.unwrap_err();
    assert!(matches!(refused, OAuthError::StateMismatch), "{refused}");

    let tokens = oauth.finish(&kept, &back).await.unwrap();
    let claims = tokens.claims().expect("a verified id token");
    assert_eq!(claims.username(), Some("ada"));
    assert_eq!(
        tokens.id().unwrap().raw()["nonce"].as_str(),
        Some(kept.nonce.as_str())
    );

    let info = oauth.userinfo(&tokens.access_token).await.unwrap();
    assert_eq!(info["email"], "ada@example.com");
    assert_eq!(info["sub"], claims.sub());
    let refresh = tokens.refresh_token.clone().unwrap();
    let renewed = oauth.refresh(&refresh).await.unwrap();
    assert_eq!(renewed.claims().unwrap().sub(), claims.sub());

    // The code is single use: a second exchange is invalid_grant, and (RFC 6749
    // §4.1.2) revokes what the code gave: the refresh token and its access tokens.
    let again = oauth.finish(&kept, &back).await.unwrap_err();
    assert_eq!(again.code(), Some("invalid_grant"), "{again}");
    let revoked = oauth.refresh(&refresh).await.unwrap_err();
    assert_eq!(revoked.code(), Some("invalid_grant"), "{revoked}");
    let refused = oauth.userinfo(&tokens.access_token).await.unwrap_err();
    assert_eq!(refused.code(), Some("invalid_token"), "{refused}");

    // An id token for another request's nonce is refused (the request was tampered
    // with here: a real attacker would replay another sign-in's code).
    let mut tampered = oauth.authorize(&["openid"]);
    let back = sign_in_in_browser(&local.url, &tampered, "ada").await;
    tampered.nonce = "another-requests-nonce".into();
    let error = oauth.finish(&tampered, &back).await.unwrap_err();
    assert!(matches!(error, OAuthError::NonceMismatch), "{error}");

    // A second sign-in, signed out by revoking its refresh token.
    let request = oauth.authorize(&["openid"]);
    let back = sign_in_in_browser(&local.url, &request, "ada").await;
    let tokens = oauth.finish(&request, &back).await.unwrap();
    let refresh = tokens.refresh_token.clone().unwrap();
    oauth.revoke(&refresh).await.unwrap();
    let revoked = oauth.refresh(&refresh).await.unwrap_err();
    assert_eq!(revoked.code(), Some("invalid_grant"), "{revoked}");

    let logout = oauth.logout_url("http://localhost:9/bye");
    assert_eq!(
        logout,
        format!(
            "{}/{}/logout?client_id={client_id}&logout_uri=http%3A%2F%2Flocalhost%3A9%2Fbye",
            local.url, local.pool_id
        )
    );
}

#[tokio::test]
async fn callbacks_with_errors_or_without_codes_are_refused() {
    let local = start(PoolSpec::default()).await;
    let client_id = web_client(&local).await;
    let oauth = OAuthClient::builder()
        .local(&local.url, &local.pool_id)
        .client_id(&client_id)
        .redirect_uri(CALLBACK)
        .build()
        .unwrap();
    let request = oauth.authorize(&["openid"]);
    let denied = format!(
        "{CALLBACK}?error=access_denied&error_description=no&state={}",
        request.state
    );
    match oauth.finish(&request, &denied).await.unwrap_err() {
        OAuthError::Refused { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("no"));
        }
        other => panic!("{other}"),
    }
    assert!(matches!(
        Callback::parse("state=x"),
        Err(OAuthError::NoCode)
    ));
    assert!(Callback::parse("code=a&code=b").is_err());
    // A code nobody issued: the token endpoint's invalid_grant.
    let made_up = format!("{CALLBACK}?code=nope&state={}", request.state);
    let error = oauth.finish(&request, &made_up).await.unwrap_err();
    assert_eq!(error.code(), Some("invalid_grant"), "{error}");
}

#[tokio::test]
async fn client_credentials_tokens_are_cached_and_refusals_typed() {
    let local = start(PoolSpec::default()).await;
    let (client_id, client_secret) = local.service_client("oauth-m2m-test").await;
    let oauth = OAuthClient::builder()
        .domain(format!("{}/{}", local.url, local.pool_id))
        .client_id(&client_id)
        .client_secret(&client_secret)
        .build()
        .unwrap();
    let tokens = oauth.client_credentials(&["orders/read"]);
    let first = tokens.token().await.unwrap();
    assert_eq!(tokens.token().await.unwrap(), first, "cached");
    let verifier = CognitoJwtVerifier::new(
        PoolConfig::new(&local.pool_id, TokenUse::Access, ClientIds::one(&client_id))
            .unwrap()
            .issuer_base(&local.url)
            .unwrap(),
    )
    .unwrap();
    let verified = verifier.verify(&first).await.unwrap();
    let access = verified.claims.as_access().unwrap();
    assert_eq!(access.scopes().collect::<Vec<_>>(), ["orders/read"]);
    assert_eq!(verified.claims.username(), None, "no user in M2M tokens");

    // A scope the client may not have: invalid_scope, from the token endpoint.
    let wrong = oauth.client_credentials(&["orders/write"]);
    let error = wrong.token().await.unwrap_err();
    assert_eq!(error.code(), Some("invalid_scope"), "{error}");

    // The resource travels with the request: `orders` is no absolute URI, so no
    // resource the token can be bound to (RFC 8707's invalid_target).
    let bound = oauth
        .client_credentials(&["orders/read"])
        .resource("orders");
    let error = bound.token().await.unwrap_err();
    assert_eq!(error.code(), Some("invalid_target"), "{error}");

    // A wrong secret: invalid_client.
    let bad = OAuthClient::builder()
        .domain(format!("{}/{}", local.url, local.pool_id))
        .client_id(&client_id)
        .client_secret("not-the-secret")
        .build()
        .unwrap();
    let error = bad.client_credentials(&[]).token().await.unwrap_err();
    assert_eq!(error.code(), Some("invalid_client"), "{error}");
}
