//! The hosted login pages in a real headless Chromium (Debian's, over WebDriver): the
//! code grant with PKCE and a TOTP step, the session cookie skipping the second login,
//! and logout. The client's callback is a small page served by the test; the code is
//! exchanged at the token endpoint as the client's back end would.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::UserPoolMfaType;
use fantoccini::Locator;
use serde_json::Value;

use common::chrome::Chrome;
use common::hosted::{authorize_url, hosted_pool, totp_user};
use common::sdk;

const PASSWORD: &str = "Passw0rd-Browser1";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn query_param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn code_grant_with_totp_in_chromium_then_the_session_and_logout() {
    let server = cognito_local::Server::builder()
        .in_memory()
        .start()
        .await
        .unwrap();
    // The browser reaches the server by name, as an app's users would.
    let url = server.url().replace("127.0.0.1", "localhost");
    let sdk = sdk(&server.url(), "us-east-1");
    let callback = common::chrome::app_page().await;
    let (pool_id, client_id) = hosted_pool(
        &sdk,
        |b| b.mfa_configuration(UserPoolMfaType::Optional),
        &["openid", "email"],
        &callback,
    )
    .await;
    let secret = totp_user(&sdk, &pool_id, "bea", PASSWORD).await;

    let chrome = Chrome::start().await;
    let browser = &chrome.client;
    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", callback.as_str()),
        ("scope", "openid email"),
        ("state", "browser-state"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let authorize = authorize_url(&url, &pool_id, &request);
    browser.goto(&authorize).await.unwrap();
    chrome
        .wait_for("#username")
        .await
        .send_keys("bea")
        .await
        .unwrap();
    browser
        .find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    let shot = browser.screenshot().await.unwrap();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hosted-login.png");
    std::fs::write(&shots, shot).unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The TOTP step (the current code was spent verifying the app: the next one).
    chrome
        .wait_for("#code")
        .await
        .send_keys(&common::totp_code(&secret, 1))
        .await
        .unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    chrome.wait_for("h1").await;
    let landed = browser.current_url().await.unwrap();
    assert!(landed.as_str().starts_with(&callback), "{landed}");
    assert_eq!(
        query_param(&landed, "state").as_deref(),
        Some("browser-state")
    );
    let code = query_param(&landed, "code").unwrap();

    // The client's back end exchanges the code.
    let form = format!(
        "grant_type=authorization_code&client_id={client_id}&code={code}&code_verifier={VERIFIER}&redirect_uri={}",
        form_urlencoded::byte_serialize(callback.as_bytes()).collect::<String>()
    );
    let response = reqwest::Client::new()
        .post(format!("{}/{pool_id}/oauth2/token", server.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let tokens: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert!(tokens["id_token"].is_string() && tokens["refresh_token"].is_string());

    // A second authorize within the session: no login, straight back to the app.
    browser.goto(&authorize).await.unwrap();
    chrome.wait_for("h1").await;
    let again = browser.current_url().await.unwrap();
    assert!(again.as_str().starts_with(&callback), "{again}");
    assert!(query_param(&again, "code").is_some());

    // Logout, then the login page again.
    let bye = format!("{callback}/bye");
    browser
        .goto(&format!(
            "{url}/{pool_id}/logout?client_id={client_id}&logout_uri={}",
            form_urlencoded::byte_serialize(bye.as_bytes()).collect::<String>()
        ))
        .await
        .unwrap();
    chrome.wait_for("h1").await;
    assert_eq!(browser.current_url().await.unwrap().as_str(), bye);
    browser.goto(&authorize).await.unwrap();
    chrome.wait_for("#username").await;
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/login")
    );
}

#[tokio::test]
async fn sign_up_and_its_confirmation_code_in_chromium() {
    use cip::types::{AttributeDataType, SchemaAttributeType};
    let server = cognito_local::Server::builder()
        .in_memory()
        .start()
        .await
        .unwrap();
    let url = server.url().replace("127.0.0.1", "localhost");
    let sdk = sdk(&server.url(), "us-east-1");
    let callback = common::chrome::app_page().await;
    let email = SchemaAttributeType::builder()
        .name("email")
        .attribute_data_type(AttributeDataType::String)
        .required(true)
        .build();
    let (pool_id, client_id) =
        hosted_pool(&sdk, |b| b.schema(email), &["openid", "email"], &callback).await;
    let chrome = Chrome::start().await;
    let browser = &chrome.client;
    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", callback.as_str()),
        ("state", "new-user"),
    ];
    browser
        .goto(&authorize_url(&url, &pool_id, &request))
        .await
        .unwrap();
    chrome.wait_for("#username").await;
    browser
        .find(Locator::LinkText("Need an account? Sign up"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    chrome
        .wait_for("#attr-email")
        .await
        .send_keys("cy@example.com")
        .await
        .unwrap();
    browser
        .find(Locator::Css("#username"))
        .await
        .unwrap()
        .send_keys("cy")
        .await
        .unwrap();
    browser
        .find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys("Passw0rd-NewUser1")
        .await
        .unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The code, read from the outbox as a test reads a user's email.
    let field = chrome.wait_for("#code").await;
    let code = common::last_code(&server.url(), &pool_id, "cy").await;
    field.send_keys(&code).await.unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Confirmed: the sign-in page says so, and the new user signs in.
    chrome
        .wait_for("#password")
        .await
        .send_keys("Passw0rd-NewUser1")
        .await
        .unwrap();
    let page = browser.source().await.unwrap();
    assert!(
        page.contains("Your account is confirmed. Sign in."),
        "{page}"
    );
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    chrome.wait_for("h1").await;
    let landed = browser.current_url().await.unwrap();
    assert!(landed.as_str().starts_with(&callback), "{landed}");
    assert_eq!(query_param(&landed, "state").as_deref(), Some("new-user"));
    assert!(query_param(&landed, "code").is_some());
}
