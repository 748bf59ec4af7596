//! The hosted sign-in's MFA_SETUP step: in a pool that requires MFA, a user with none
//! sets up an authenticator app from a QR code on the page, and is signed in; the next
//! sign-in asks for the app's code.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use base64::Engine;
use cip::types::{SoftwareTokenMfaConfigType, UserPoolMfaType};
use cognito_local::Server;

use common::hosted::{Browser, authorize_url, exchange, hosted_pool, sign_in};
use common::{confirmed_user, sdk, totp_code};

const CALLBACK: &str = "http://localhost:9/cb";
const PASSWORD: &str = "Passw0rd-Setup1";
/// RFC 7636's example verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The text of the element with `id` (`<code id="...">TEXT</code>`).
fn text_of(body: &str, id: &str) -> Option<String> {
    let start = body.find(&format!("id=\"{id}\">"))? + id.len() + 6;
    let end = body[start..].find('<')?;
    Some(body[start..start + end].to_owned())
}

/// A hosted pool that requires TOTP MFA, and `user` confirmed with none set up:
/// `(pool, client)`.
async fn mfa_required_pool(
    sdk: &aws_sdk_cognitoidentityprovider::Client,
    scopes: &[&str],
    user: &str,
) -> (String, String) {
    let (pool_id, client_id) = hosted_pool(sdk, |b| b, scopes, CALLBACK).await;
    sdk.set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .unwrap();
    confirmed_user(sdk, &pool_id, user, PASSWORD).await;
    (pool_id, client_id)
}

fn borrow(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn a_user_without_mfa_sets_up_an_authenticator_app_from_the_qr_page() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = mfa_required_pool(&sdk, &["openid", "email"], "sam").await;

    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", CALLBACK),
        ("scope", "openid"),
        ("state", "s1"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let authorize = authorize_url(&url, &pool_id, &request);
    let mut browser = Browser::default();
    let setup = sign_in(&mut browser, &url, &authorize, "sam", PASSWORD).await;
    assert_eq!(setup.status, 200, "{}", setup.body);
    assert_eq!(setup.input("challenge").as_deref(), Some("MFA_SETUP"));
    let secret = text_of(&setup.body, "totp-secret").expect("the key on the page");
    assert_eq!(setup.input("detail").as_deref(), Some(secret.as_str()));
    // The QR code is an SVG image whose content the page allows (img-src data:).
    let qr = regex::Regex::new(r#"id="totp-qr" src="data:image/svg\+xml;base64,([^"]+)""#)
        .unwrap()
        .captures(&setup.body)
        .expect("a QR image")[1]
        .to_owned();
    let svg = base64::engine::general_purpose::STANDARD
        .decode(qr)
        .unwrap();
    assert!(String::from_utf8(svg).unwrap().contains("<svg"));

    let csrf = setup.input("_csrf").unwrap();
    let session = setup.input("session").unwrap();
    let action = format!("{url}{}", setup.action());
    let post = |code: String| {
        vec![
            ("_csrf".to_owned(), csrf.clone()),
            ("challenge".to_owned(), "MFA_SETUP".to_owned()),
            ("session".to_owned(), session.clone()),
            ("username".to_owned(), "sam".to_owned()),
            ("detail".to_owned(), secret.clone()),
            ("code".to_owned(), code),
        ]
    };

    // A wrong code: the same page again, with VerifySoftwareToken's message, same key.
    let again = browser
        .post(&action, &borrow(&post("000000".to_owned())))
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.body.contains("role=\"alert\""), "{}", again.body);
    assert_eq!(text_of(&again.body, "totp-secret"), Some(secret.clone()));
    // The user has no MFA yet.
    let before = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("sam")
        .send()
        .await
        .unwrap();
    assert!(before.user_mfa_setting_list().is_empty());

    let done = browser
        .post(&action, &borrow(&post(totp_code(&secret, 0))))
        .await;
    assert_eq!(done.status, 302, "{}", done.body);
    assert_eq!(done.redirect_param("state").as_deref(), Some("s1"));
    let code = done.redirect_param("code").expect("a code");
    let (status, tokens) = exchange(
        &url,
        &pool_id,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["id_token"].is_string());

    // TOTP is now the user's MFA, and the next sign-in (a new browser) asks for it.
    let after = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("sam")
        .send()
        .await
        .unwrap();
    assert_eq!(after.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(after.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));
    let mut other = Browser::default();
    let next = sign_in(&mut other, &url, &authorize, "sam", PASSWORD).await;
    assert_eq!(next.status, 200, "{}", next.body);
    assert_eq!(
        next.input("challenge").as_deref(),
        Some("SOFTWARE_TOKEN_MFA")
    );
}

#[tokio::test]
async fn a_setup_answer_without_a_verified_app_is_refused() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = mfa_required_pool(&sdk, &["openid"], "kim").await;
    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let authorize = authorize_url(&url, &pool_id, &request);
    let mut browser = Browser::default();
    let setup = sign_in(&mut browser, &url, &authorize, "kim", PASSWORD).await;
    let session = setup.input("session").unwrap();
    let csrf = setup.input("_csrf").unwrap();
    let action = format!("{url}{}", setup.action());
    // No code at all: the form is incomplete, nothing is signed in.
    let bare = browser
        .post(
            &action,
            &[
                ("_csrf", &csrf),
                ("challenge", "MFA_SETUP"),
                ("session", &session),
                ("username", "kim"),
            ],
        )
        .await;
    assert_eq!(bare.status, 400, "{}", bare.body);
    // A session that is not the challenge's: VerifySoftwareToken refuses it, and the
    // page goes back to the sign-in.
    let forged = browser
        .post(
            &action,
            &[
                ("_csrf", &csrf),
                ("challenge", "MFA_SETUP"),
                ("session", "forged-session-of-the-right-length-0123456789"),
                ("username", "kim"),
                ("detail", "AAAA"),
                ("code", "123456"),
            ],
        )
        .await;
    assert_eq!(forged.status, 200, "{}", forged.body);
    assert!(forged.location.is_none());
    assert!(forged.body.contains("role=\"alert\""), "{}", forged.body);
    assert!(forged.body.contains("name=\"password\""), "{}", forged.body);
}
