//! `cognito login --browser` and `cognito token --client-credentials` against `cognito
//! serve`: the command listens on its loopback redirect URI while a browser (posting
//! the hosted sign-in page's form, as one does) signs in; the code comes back to it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use base64::Engine;
use common::{Serve, call};
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-Horse-1!";

/// An operation that must succeed.
async fn ok(url: &str, op: &str, body: Value) -> Value {
    let (status, answer) = call(url, op, body).await;
    assert_eq!(status, 200, "{op}: {answer}");
    answer
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn value_after(body: &str, marker: &str) -> String {
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {body}"))
        + marker.len();
    body[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
}

/// The authorize URL `login --browser --no-open` prints on stderr.
fn printed_url(login: &mut std::process::Child) -> String {
    let mut stderr = BufReader::new(login.stderr.take().unwrap());
    for _ in 0..4 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        if line.trim_start().starts_with("http") {
            return line.trim().to_owned();
        }
    }
    panic!("login printed no URL");
}

#[tokio::test]
async fn login_in_the_browser_and_a_client_credentials_token() {
    let server = Serve::start(&["--in-memory"]);
    let url = server.url.as_str();
    let pool = ok(url, "CreateUserPool", json!({"PoolName": "web"})).await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    ok(
        url,
        "CreateUserPoolDomain",
        json!({"UserPoolId": pool_id, "Domain": "cli-browser"}),
    )
    .await;
    let port = free_port();
    let redirect = format!("http://localhost:{port}/callback");
    let client = ok(
        url,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "cli",
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email"], "CallbackURLs": [redirect],
            "SupportedIdentityProviders": ["COGNITO"],
        }),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        url,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "ada", "MessageAction": "SUPPRESS"}),
    )
    .await;
    ok(
        url,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "ada", "Password": PASSWORD, "Permanent": true}),
    )
    .await;

    let mut login = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["login", "--browser", "--no-open", "--pool-id", &pool_id])
        .args([
            "--client-id",
            &client_id,
            "--endpoint",
            url,
            "--redirect-uri",
            &redirect,
        ])
        .args(["--scope", "openid", "--scope", "email"])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let authorize = printed_url(&mut login);
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "{authorize}"
    );

    // The browser: authorize, the sign-in page, its form, and back to the command.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sent = http.get(&authorize).send().await.unwrap();
    assert_eq!(sent.status(), 302);
    let page_url = format!("{url}{}", sent.headers()["location"].to_str().unwrap());
    let page = http.get(page_url).send().await.unwrap();
    let cookies: Vec<String> = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let body = page.text().await.unwrap();
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("_csrf", &value_after(&body, r#"name="_csrf" value=""#))
        .append_pair("username", "ada")
        .append_pair("password", PASSWORD)
        .finish();
    let action = value_after(&body, r#"<form method="post" action=""#);
    let signed = http
        .post(format!("{url}{action}"))
        .header("cookie", cookies.join("; "))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 302);
    let back = signed.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&redirect), "{back}");
    // A callback of another sign-in (another state) is refused; the command waits on.
    let forged = http
        .get(format!("{redirect}?code=forged&state=forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    let landed = http.get(&back).send().await.unwrap();
    assert_eq!(landed.status(), 200);
    assert!(landed.text().await.unwrap().contains("close this tab"));

    let output = login.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let tokens: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(tokens["username"], "ada");
    assert!(tokens["id_token"].is_string() && tokens["refresh_token"].is_string());

    // A machine-to-machine token, for a service client with a resource server's scope.
    ok(
        url,
        "CreateResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "orders", "Name": "Orders",
               "Scopes": [{"ScopeName": "read", "ScopeDescription": "read orders"}]}),
    )
    .await;
    let service = ok(
        url,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "svc", "GenerateSecret": true,
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": ["orders/read"],
        }),
    )
    .await;
    let service = &service["UserPoolClient"];
    let token = |output: &str| {
        Command::new(env!("CARGO_BIN_EXE_cognito"))
            .args([
                "token",
                "--client-credentials",
                "--endpoint",
                url,
                "--pool-id",
                &pool_id,
            ])
            .args(["--client-id", service["ClientId"].as_str().unwrap()])
            .args(["--client-secret", service["ClientSecret"].as_str().unwrap()])
            .args(["--scope", "orders/read", "--output", output])
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    };
    let json_out = token("json");
    assert!(json_out.status.success(), "{json_out:?}");
    let answer: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    let access = answer["access_token"].as_str().unwrap();
    let payload = access.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["scope"], "orders/read");
    assert_eq!(claims["client_id"], service["ClientId"]);
    let env_out = String::from_utf8(token("env").stdout).unwrap();
    assert!(
        env_out.starts_with("export COGNITO_ACCESS_TOKEN='ey"),
        "{env_out}"
    );

    // A bad secret: one line on stderr, exit 1.
    let refused = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args([
            "token",
            "--client-credentials",
            "--endpoint",
            url,
            "--pool-id",
            &pool_id,
        ])
        .args([
            "--client-id",
            service["ClientId"].as_str().unwrap(),
            "--client-secret",
            "wrong",
        ])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("invalid_client"));
}

#[tokio::test]
async fn login_in_the_browser_through_an_identity_provider() {
    let server = Serve::start(&["--in-memory"]);
    let url = server.url.as_str();
    let pool = ok(url, "CreateUserPool", json!({"PoolName": "fed"})).await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    ok(
        url,
        "CreateUserPoolDomain",
        json!({"UserPoolId": pool_id, "Domain": "cli-federated"}),
    )
    .await;
    // A provider whose endpoints are given (no discovery to fetch).
    let provider_authorize = "http://127.0.0.1:9/authorize";
    ok(
        url,
        "CreateIdentityProvider",
        json!({
            "UserPoolId": pool_id, "ProviderName": "Corp", "ProviderType": "OIDC",
            "ProviderDetails": {
                "client_id": "corp-client", "client_secret": "s", "authorize_scopes": "openid",
                "oidc_issuer": "http://127.0.0.1:9", "authorize_url": provider_authorize,
                "token_url": "http://127.0.0.1:9/token", "jwks_uri": "http://127.0.0.1:9/jwks",
            },
        }),
    )
    .await;
    let redirect = format!("http://localhost:{}/callback", free_port());
    let client = ok(
        url,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id, "ClientName": "cli",
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid"], "CallbackURLs": [redirect],
            "SupportedIdentityProviders": ["Corp"],
        }),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    let mut login = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["login", "--browser", "--no-open", "--idp", "Corp"])
        .args(["--pool-id", &pool_id, "--client-id", client_id])
        .args(["--endpoint", url, "--redirect-uri", &redirect])
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let authorize = printed_url(&mut login);
    login.kill().unwrap();
    login.wait().unwrap();
    assert!(authorize.contains("identity_provider=Corp"), "{authorize}");
    // The pool sends the browser on to the provider's sign-in.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sent = http.get(&authorize).send().await.unwrap();
    assert_eq!(sent.status(), 302);
    let location = sent.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(provider_authorize), "{location}");
    assert!(location.contains("client_id=corp-client"), "{location}");
}
