//! The hosted login pages and the OAuth endpoints on a real server, driven as a browser
//! drives them (forms, cookies, redirects looked at one by one): the code grant with
//! PKCE, the implicit grant, a TOTP step, the hosted session, logout, userInfo,
//! revocation, and every refusal with its OAuth error and nothing granted.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use base64::Engine;
use cip::types::UserPoolMfaType;
use cognito_local::Server;
use serde_json::Value;

use common::hosted::{Browser, authorize_url, exchange, hosted_pool, sign_in, totp_user};
use common::{confirmed_user, sdk};

const CALLBACK: &str = "http://localhost:9/cb";
const PASSWORD: &str = "Passw0rd-Hosted1";
/// RFC 7636's example verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

use common::jwt_claims as claims;

/// The authorize parameters of a code-grant sign-in with PKCE.
fn code_request<'a>(client_id: &'a str, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", CALLBACK),
        ("scope", scope),
        ("state", "st-1"),
        ("nonce", "n-0S6_WzA2Mj"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

#[tokio::test]
async fn the_code_grant_with_pkce_a_session_that_skips_the_login_and_logout() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) =
        hosted_pool(&sdk, |b| b, &["openid", "email", "profile"], CALLBACK).await;
    confirmed_user(&sdk, &pool_id, "ann", PASSWORD).await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("ann")
        .user_attributes(common::attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let mut browser = Browser::default();
    let authorize = authorize_url(&url, &pool_id, &code_request(&client_id, "openid email"));

    let wrong = sign_in(&mut browser, &url, &authorize, "ann", "Wrong-Passw0rd").await;
    assert_eq!(wrong.status, 200);
    assert!(
        wrong.body.contains("Incorrect username or password."),
        "{}",
        wrong.body
    );
    assert!(!browser.has_cookie("cognito"));

    let signed_in = sign_in(&mut browser, &url, &authorize, "ann", PASSWORD).await;
    assert_eq!(signed_in.status, 302, "{}", signed_in.body);
    let location = signed_in.location.clone().unwrap();
    assert!(
        location.starts_with(&format!("{CALLBACK}?code=")),
        "{location}"
    );
    assert_eq!(signed_in.redirect_param("state").as_deref(), Some("st-1"));
    assert!(browser.has_cookie("cognito"));
    let code = signed_in.redirect_param("code").unwrap();

    // The code, exchanged once with the verifier.
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id.as_str()),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let (status, tokens) = exchange(&url, &pool_id, &form).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["aud"], client_id.as_str());
    assert_eq!(id["email"], "ann@example.com");
    let digest = sha256(access.as_bytes());
    let at_hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    assert_eq!(id["at_hash"], at_hash.as_str());
    let access_claims = claims(access);
    assert_eq!(access_claims["scope"], "openid email");
    assert_eq!(access_claims["version"], 2);
    assert_eq!(access_claims["username"], "ann");

    // userInfo: the email scope's claims, verified flags as strings.
    let info = reqwest::Client::new()
        .get(format!("{url}/{pool_id}/oauth2/userInfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 200);
    let info: Value = serde_json::from_slice(&info.bytes().await.unwrap()).unwrap();
    assert_eq!(info["email"], "ann@example.com");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["username"], "ann");
    assert_eq!(info["sub"], id["sub"]);

    // Without aws.cognito.signin.user.admin, the token cannot call GetUser.
    let (code_name, message) = common::error_of(
        sdk.get_user()
            .access_token(access)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code_name, "NotAuthorizedException");
    assert_eq!(message, "Access Token does not have required scopes");

    // The refresh token works at the token endpoint (no new refresh token).
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let refresh_form = [
        ("grant_type", "refresh_token"),
        ("client_id", client_id.as_str()),
        ("refresh_token", refresh.as_str()),
    ];
    let (status, refreshed) = exchange(&url, &pool_id, &refresh_form).await;
    assert_eq!(status, 200, "{refreshed}");
    assert!(refreshed.get("refresh_token").is_none());
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid email"
    );

    // A replayed code is refused and revokes what it gave.
    let (status, replay) = exchange(&url, &pool_id, &form).await;
    assert_eq!(
        (status, replay["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, after) = exchange(&url, &pool_id, &refresh_form).await;
    assert_eq!(
        (status, after["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // The hosted session skips the login on the next authorize.
    let again = browser.get(&authorize).await;
    assert_eq!(again.status, 302);
    assert!(
        again
            .location
            .as_deref()
            .unwrap()
            .starts_with(&format!("{CALLBACK}?code="))
    );
    // prompt=login asks again.
    let mut forced = code_request(&client_id, "openid");
    forced.push(("prompt", "login"));
    let forced = browser.get(&authorize_url(&url, &pool_id, &forced)).await;
    assert!(forced.location.unwrap().contains("/login?"));

    // Logout ends it: to a sign-out URL, and the next authorize shows the login again.
    let bye = format!("{CALLBACK}/bye");
    let logout = browser
        .get(&format!(
            "{url}/{pool_id}/logout?client_id={client_id}&logout_uri={}",
            form_urlencoded::byte_serialize(bye.as_bytes()).collect::<String>()
        ))
        .await;
    assert_eq!(logout.status, 302);
    assert_eq!(logout.location.as_deref(), Some(bye.as_str()));
    assert!(!browser.has_cookie("cognito"));
    let after_logout = browser.get(&authorize).await;
    assert!(after_logout.location.unwrap().contains("/login?"));
    // prompt=none without a session: login_required, to the client.
    let mut silent = code_request(&client_id, "openid");
    silent.push(("prompt", "none"));
    let silent = browser.get(&authorize_url(&url, &pool_id, &silent)).await;
    assert_eq!(
        silent.redirect_param("error").as_deref(),
        Some("login_required")
    );
    assert_eq!(silent.redirect_param("state").as_deref(), Some("st-1"));
    // A sign-out URL the client does not list: the error page.
    let foreign = browser
        .get(&format!(
            "{url}/{pool_id}/logout?client_id={client_id}&logout_uri=https%3A%2F%2Fevil.example%2F"
        ))
        .await;
    assert_eq!(foreign.status, 400);
    assert!(
        foreign
            .body
            .contains("Required String parameter &#39;redirect_uri&#39; is not present")
            || foreign
                .body
                .contains("Required String parameter 'redirect_uri' is not present")
    );
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[tokio::test]
async fn a_totp_step_and_the_implicit_grant() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = hosted_pool(
        &sdk,
        |b| b.mfa_configuration(UserPoolMfaType::Optional),
        &["openid", "aws.cognito.signin.user.admin"],
        CALLBACK,
    )
    .await;
    let secret = totp_user(&sdk, &pool_id, "tom", PASSWORD).await;

    let mut browser = Browser::default();
    let request = [
        ("response_type", "token"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", CALLBACK),
        ("state", "imp"),
    ];
    let authorize = authorize_url(&url, &pool_id, &request);
    let mfa = sign_in(&mut browser, &url, &authorize, "tom", PASSWORD).await;
    assert_eq!(mfa.status, 200, "{}", mfa.body);
    assert!(mfa.body.contains("authenticator app"), "{}", mfa.body);
    let csrf = mfa.input("_csrf").unwrap();
    let (challenge, session) = (
        mfa.input("challenge").unwrap(),
        mfa.input("session").unwrap(),
    );
    let username = mfa.input("username").unwrap();
    let fields = |code: &'static str| {
        [
            ("_csrf", csrf.as_str()),
            ("challenge", challenge.as_str()),
            ("session", session.as_str()),
            ("username", username.as_str()),
            ("code", code),
        ]
    };
    let action = format!("{url}{}", mfa.action());
    let again = browser.post(&action, &fields("000000")).await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("role=\"alert\""), "{}", again.body);
    // The code of the next step: the current one was spent verifying the token.
    let code: &'static str = common::totp_code(&secret, 1).leak();
    let done = browser.post(&action, &fields(code)).await;
    assert_eq!(done.status, 302, "{}", done.body);
    let location = done.location.clone().unwrap();
    assert!(
        location.starts_with(&format!("{CALLBACK}#id_token=")),
        "{location}"
    );
    assert_eq!(done.redirect_param("token_type").as_deref(), Some("bearer"));
    assert_eq!(done.redirect_param("state").as_deref(), Some("imp"));
    assert!(done.redirect_param("refresh_token").is_none());
    // This client's scopes include aws.cognito.signin.user.admin: GetUser works.
    let access = done.redirect_param("access_token").unwrap();
    let user = sdk.get_user().access_token(&access).send().await.unwrap();
    assert_eq!(user.username(), "tom");
}

#[tokio::test]
async fn bad_authorize_and_token_requests_get_their_errors() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = hosted_pool(&sdk, |b| b, &["openid"], CALLBACK).await;
    confirmed_user(&sdk, &pool_id, "ann", PASSWORD).await;
    let mut browser = Browser::default();
    let with = |changes: &[(&str, &str)]| {
        let mut pairs = code_request(&client_id, "openid");
        for (k, v) in changes {
            pairs.retain(|(name, _)| name != k);
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        authorize_url(&url, &pool_id, &pairs)
    };
    // Not the client's redirect URI, or no such client: the server's page, no redirect.
    for url in [
        with(&[("redirect_uri", "http://localhost:9/cb/")]),
        with(&[("redirect_uri", "https://evil.example/cb")]),
        with(&[("client_id", "nosuchclient")]),
    ] {
        let page = browser.get(&url).await;
        assert_eq!(page.status, 400, "{url}");
        assert!(page.location.is_none());
    }
    // Otherwise the error goes back to the client, with its state.
    for (change, expected) in [
        (("code_challenge_method", "plain"), "invalid_request"),
        (("code_challenge_method", ""), "invalid_request"),
        (("scope", "openid phone"), "invalid_scope"),
        (("scope", "email"), "invalid_scope"),
        (("response_type", ""), "invalid_request"),
        (("response_type", "id_token"), "unsupported_response_type"),
        (("identity_provider", "Google"), "invalid_request"),
    ] {
        let answer = browser.get(&with(&[change])).await;
        assert_eq!(answer.status, 302, "{change:?}");
        assert_eq!(
            answer.redirect_param("error").as_deref(),
            Some(expected),
            "{change:?}"
        );
        assert_eq!(answer.redirect_param("state").as_deref(), Some("st-1"));
    }
    // A parameter given twice is refused on the page.
    let twice = format!("{}&client_id={client_id}", with(&[]));
    assert_eq!(browser.get(&twice).await.status, 400);

    // A form without its CSRF token is refused, and nothing signs in.
    let page = browser.get(&with(&[])).await;
    let login = format!("{url}{}", page.location.unwrap());
    let forged = browser
        .post(&login, &[("username", "ann"), ("password", PASSWORD)])
        .await;
    assert_eq!(forged.status, 403);
    assert!(!browser.has_cookie("cognito"));

    // Codes: a wrong verifier, a missing one, another redirect URI, another client.
    let signed_in = sign_in(&mut browser, &url, &with(&[]), "ann", PASSWORD).await;
    let code = signed_in.redirect_param("code").unwrap();
    let other = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("other")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(CALLBACK)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let wrong_verifier = "A".repeat(43);
    let attempts: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("client_id", &client_id),
            ("redirect_uri", CALLBACK),
            ("code_verifier", &wrong_verifier),
        ],
        vec![("client_id", &client_id), ("redirect_uri", CALLBACK)],
        vec![
            ("client_id", &client_id),
            ("redirect_uri", "http://localhost:9/other"),
            ("code_verifier", VERIFIER),
        ],
        vec![
            ("client_id", &other),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
        vec![("client_id", &client_id), ("code_verifier", VERIFIER)],
    ];
    for attempt in attempts {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
        ];
        form.extend(attempt.iter().copied());
        let (status, body) = exchange(&url, &pool_id, &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant")),
            "{attempt:?}"
        );
    }
    // None of them used the code up.
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id.as_str()),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let (status, tokens) = exchange(&url, &pool_id, &form).await;
    assert_eq!(status, 200, "{tokens}");
    // Revoked at /oauth2/revoke: 200, and the refresh token is dead.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let revoke = |token: &str| {
        reqwest::Client::new()
            .post(format!("{url}/{pool_id}/oauth2/revoke"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}&client_id={client_id}"))
            .send()
    };
    assert_eq!(revoke(refresh).await.unwrap().status(), 200);
    assert_eq!(revoke("unknown-token").await.unwrap().status(), 200);
    let access = tokens["access_token"].as_str().unwrap();
    let refused = revoke(access).await.unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = serde_json::from_slice(&refused.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error"], "unsupported_token_type");
    let (status, body) = exchange(
        &url,
        &pool_id,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &client_id),
            ("refresh_token", refresh),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // userInfo: no token, or a revoked one.
    let info = reqwest::Client::new()
        .get(format!("{url}/{pool_id}/oauth2/userInfo"))
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 400);
    let info = reqwest::Client::new()
        .get(format!("{url}/{pool_id}/oauth2/userInfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401);
    assert!(
        info.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
}
