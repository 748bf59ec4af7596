//! An in-process server on 127.0.0.1:0 and an official AWS SDK client pointed at it.

#![allow(dead_code)]

pub mod chrome;
pub mod hosted;

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use cognito_local::{RunningServer, Server};

/// The claims of a JWT (its payload, unverified: tests read what a token says).
pub fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// An `openidconnect` relying party's HTTP client: reqwest, redirects not followed (as the crate's
/// documentation asks).
pub async fn rp_http(
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let (parts, body) = request.into_parts();
    let response = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let mut builder = openidconnect::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response.bytes().await?.to_vec();
    Ok(builder.body(body).expect("a response rebuilt"))
}

pub struct Local {
    pub server: RunningServer,
    pub sdk: cip::Client,
}

/// An SDK client for `url`, signing with any key, as any user of the server would.
/// It does not retry, so that each test sees every answer as the server gave it.
pub fn sdk(url: &str, region: &str) -> cip::Client {
    let config = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .retry_config(cip::config::retry::RetryConfig::disabled())
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(
            "AKIDLOCAL",
            "local-secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(url)
        .build();
    cip::Client::from_conf(config)
}

pub async fn start() -> Local {
    let server = Server::builder()
        .in_memory()
        .start()
        .await
        .expect("server starts");
    let sdk = sdk(&server.url(), "us-east-1");
    Local { server, sdk }
}

/// The exception name and message of an SDK error.
pub fn error_of<E, R>(err: cip::error::SdkError<E, R>) -> (String, String)
where
    E: cip::error::ProvideErrorMetadata,
{
    use cip::error::ProvideErrorMetadata as _;
    (
        err.code().unwrap_or("<no code>").to_owned(),
        err.message().unwrap_or("").to_owned(),
    )
}

/// The outbox messages of a user over HTTP, as a tool reads them, oldest first.
pub async fn messages(url: &str, pool_id: &str, username: &str) -> Vec<serde_json::Value> {
    let body = reqwest::get(format!(
        "{url}/_local/messages?pool_id={pool_id}&username={username}"
    ))
    .await
    .unwrap()
    .bytes()
    .await
    .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    value["messages"].as_array().unwrap().clone()
}

/// The outbox over HTTP, as a tool or test reads it: `(purpose, code, destination)` oldest first.
pub async fn outbox(
    url: &str,
    pool_id: &str,
    username: &str,
) -> Vec<(String, Option<String>, String)> {
    messages(url, pool_id, username)
        .await
        .iter()
        .map(|m| {
            (
                m["purpose"].as_str().unwrap().to_owned(),
                m["code"].as_str().map(str::to_owned),
                m["destination"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The latest code sent to a user.
pub async fn last_code(url: &str, pool_id: &str, username: &str) -> String {
    outbox(url, pool_id, username)
        .await
        .last()
        .and_then(|m| m.1.clone())
        .expect("a code was sent")
}

/// Creates a pool (email verified automatically) and returns its id.
pub async fn pool_with(
    sdk: &cip::Client,
    build: impl FnOnce(
        cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    ) -> cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
) -> String {
    let request = sdk
        .create_user_pool()
        .pool_name("test")
        .auto_verified_attributes(cip::types::VerifiedAttributeType::Email);
    let created = build(request).send().await.unwrap();
    created.user_pool().unwrap().id().unwrap().to_owned()
}

/// An attribute.
pub fn attr(name: &str, value: &str) -> cip::types::AttributeType {
    cip::types::AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// Auth parameters or challenge responses from pairs.
pub fn params(pairs: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A confirmed user `name` with `password` and the email `{name}@example.com`.
pub async fn confirmed_user(sdk: &cip::Client, pool_id: &str, name: &str, password: &str) {
    sdk.admin_create_user()
        .user_pool_id(pool_id)
        .username(name)
        .message_action(cip::types::MessageActionType::Suppress)
        .user_attributes(attr("email", &format!("{name}@example.com")))
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(pool_id)
        .username(name)
        .password(password)
        .permanent(true)
        .send()
        .await
        .unwrap();
}

/// The TOTP code of `secret` (RFC 6238 as Cognito's: SHA-1, 6 digits, 30 s), `offset_steps` from now.
pub fn totp_code(secret: &str, offset_steps: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    totp.generate((now + 30 * offset_steps) as u64).to_string()
}

/// An app client of `pool_id` that allows passwords, SRP and refresh; its id.
pub async fn app_client(sdk: &cip::Client, pool_id: &str) -> String {
    use cip::types::ExplicitAuthFlowsType as Flow;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("app")
        .explicit_auth_flows(Flow::AllowUserPasswordAuth)
        .explicit_auth_flows(Flow::AllowUserSrpAuth)
        .explicit_auth_flows(Flow::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned()
}

/// A software token associated with and verified for the holder of `access_token`
/// (named `name`, if given); its secret.
pub async fn verified_totp(sdk: &cip::Client, access_token: &str, name: Option<&str>) -> String {
    let associated = sdk
        .associate_software_token()
        .access_token(access_token)
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code().unwrap().to_owned();
    sdk.verify_software_token()
        .access_token(access_token)
        .user_code(totp_code(&secret, 0))
        .set_friendly_device_name(name.map(str::to_owned))
        .send()
        .await
        .unwrap();
    secret
}

/// An `Authorization` header of the shape the SDKs send, signed for us-east-1 with any
/// key: without `--credentials` the server reads only its region.
pub const SIGNED: &str = "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20250203/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd";

/// An operation over plain HTTP with a [`SIGNED`] header (for operations newer than the
/// pinned SDK, and for bodies no SDK would send): the status and the JSON answer.
pub async fn signed_call(
    http: &reqwest::Client,
    url: &str,
    operation: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = http
        .post(url)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{operation}"),
        )
        .header("authorization", SIGNED)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

/// Turns the pool's threat protection on (UserPoolAddOns AdvancedSecurityMode AUDIT).
pub async fn threat_protection(sdk: &cip::Client, pool_id: &str) {
    sdk.update_user_pool()
        .user_pool_id(pool_id)
        .user_pool_add_ons(
            cip::types::UserPoolAddOnsType::builder()
                .advanced_security_mode(cip::types::AdvancedSecurityModeType::Audit)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// A SignUp of `name` (password `Passw0rd-Sign1`, email `NAME@example.com`), to send.
pub fn sign_up(
    sdk: &cip::Client,
    client_id: &str,
    name: &str,
) -> cip::operation::sign_up::builders::SignUpFluentBuilder {
    sdk.sign_up()
        .client_id(client_id)
        .username(name)
        .password("Passw0rd-Sign1")
        .user_attributes(attr("email", &format!("{name}@example.com")))
}
