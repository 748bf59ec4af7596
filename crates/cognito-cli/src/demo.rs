//! `cognito demo`: the whole story on an in-memory cognito-local inside this process.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider as cip;
use axum::Router;
use axum::routing::get;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::types::{
    DeviceConfigurationType, ExplicitAuthFlowsType, UserPoolMfaType, VerifiedAttributeType,
};
use clap::Args;
use cognito::middleware::CognitoAuth;
use cognito::{Attributes, Cognito, LoginOutcome, MemoryStore, MfaPreference, MfaType};
use cognito_jwt::axum::CognitoUser;
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use cognito_local::Server;

/// Options of `cognito demo`.
#[derive(Debug, Args)]
#[command(
    after_help = "Runs entirely offline: an in-memory cognito-local on a free port of
127.0.0.1 and a small protected API, both inside this process. Exits 0 when every step worked."
)]
pub struct DemoArgs {}

const USER: &str = "ada";
const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "Correct-Horse-Battery-1!";

struct Steps(u32);

impl Steps {
    fn step(&mut self, title: &str) {
        self.0 += 1;
        println!("\n{:>2}. {title}", self.0);
    }
}

fn detail(text: impl std::fmt::Display) {
    println!("    {text}");
}

fn short(token: &str) -> String {
    let head = token.get(..12).unwrap_or(token);
    let tail = token.get(token.len().saturating_sub(6)..).unwrap_or("");
    format!("{head}…{tail} ({} bytes)", token.len())
}

fn totp_code(secret: &str, steps_ahead: u64) -> Result<String, String> {
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(totp_rs::Secret::try_from_base32(secret).map_err(|e| e.to_string())?)
        .build()
        .map_err(|e| e.to_string())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    Ok(totp.generate(now + 30 * steps_ahead).to_string())
}

/// Runs the demo.
pub async fn run(_args: DemoArgs) -> Result<(), String> {
    let fail = |e: cognito::Error| e.to_string();
    let started = std::time::Instant::now();
    let mut steps = Steps(0);

    steps.step("Start cognito-local in this process (in memory)");
    let server = Server::builder()
        .in_memory()
        .bind(([127, 0, 0, 1], 0).into())
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let url = server.url();
    detail(format!("listening on {url}"));

    steps.step("Create a user pool (TOTP MFA optional, device tracking on) and an app client with a secret");
    let admin = cip::Client::from_conf(
        cip::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("local", "local", None, None, "demo"))
            .endpoint_url(&url)
            .build(),
    );
    let sdk_err = |e: String| format!("cognito-local: {e}");
    let pool = admin
        .create_user_pool()
        .pool_name("demo")
        .mfa_configuration(UserPoolMfaType::Optional)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(false)
                .build(),
        )
        .send()
        .await
        .map_err(|e| sdk_err(cognito::Error::from(e).to_string()))?;
    let pool_id = pool
        .user_pool()
        .and_then(|p| p.id())
        .ok_or("no pool id")?
        .to_owned();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("demo-app")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .map_err(|e| sdk_err(cognito::Error::from(e).to_string()))?;
    let client = client.user_pool_client().ok_or("no app client")?;
    let client_id = client.client_id().ok_or("no client id")?.to_owned();
    let client_secret = client.client_secret().ok_or("no client secret")?.to_owned();
    detail(format!(
        "pool {pool_id}, app client {client_id} (with a secret)"
    ));

    let builder = || {
        Cognito::builder()
            .pool_id(&pool_id)
            .client_id(&client_id)
            .client_secret(&client_secret)
            .endpoint_url(&url)
    };
    let cognito = builder().build().map_err(fail)?;

    steps.step(&format!("Sign up {USER} <{EMAIL}>"));
    let signed_up = cognito
        .register(USER, PASSWORD, Attributes::new().set("email", EMAIL))
        .await
        .map_err(fail)?;
    let to = signed_up
        .code_delivery
        .and_then(|d| d.destination)
        .unwrap_or_default();
    detail(format!(
        "sub {}, confirmation code sent to {to}",
        signed_up.user_sub
    ));

    steps.step("Read the confirmation code from the outbox and confirm");
    let outbox = crate::messages::fetch(&url, Some(&pool_id), Some(USER)).await?;
    let code = crate::messages::latest_code(&outbox)?;
    cognito.confirm_sign_up(USER, code).await.map_err(fail)?;
    detail(format!("code {code} accepted"));

    steps.step("Log in with SRP (the password never leaves this process)");
    let mut tokens = cognito
        .login(USER, PASSWORD)
        .await
        .map_err(fail)?
        .into_tokens()
        .map_err(fail)?;
    detail(format!("id token {}", short(tokens.id_token())));
    detail(format!("access token {}", short(tokens.access_token())));

    steps.step(
        "Verify the tokens (RS256 signature against the pool's JWKS, issuer, audience, expiry)",
    );
    let claims = cognito.verify_tokens(&mut tokens).await.map_err(fail)?;
    detail(format!("sub            {}", claims.id.sub));
    detail(format!("username       {}", claims.id.username));
    detail(format!(
        "email          {} (verified: {})",
        claims.id.email.as_deref().unwrap_or("-"),
        claims.id.email_verified.unwrap_or(false)
    ));
    detail(format!("iss            {}", claims.id.iss));
    detail(format!("aud            {}", claims.id.aud));
    detail(format!(
        "scope          {}",
        claims.access.scope.as_deref().unwrap_or("-")
    ));

    steps.step("Set up TOTP MFA (an authenticator app's code, computed here)");
    let secret = cognito
        .associate_software_token(&tokens)
        .await
        .map_err(fail)?;
    detail(cognito::totp_uri(&secret, USER, "cognito demo"));
    cognito
        .verify_software_token(&tokens, &totp_code(&secret, 0)?, Some("demo phone"))
        .await
        .map_err(fail)?;
    let preference = MfaPreference {
        software_token: true,
        preferred: Some(MfaType::SoftwareToken),
        ..Default::default()
    };
    cognito
        .set_mfa_preference(&tokens, preference)
        .await
        .map_err(fail)?;
    detail("TOTP is the preferred second factor");

    steps.step("Log in again: Cognito asks for the TOTP code; remember this device");
    let store = Arc::new(MemoryStore::default());
    let remembering = builder()
        .token_store(store)
        .remember_devices(true)
        .device_name("demo laptop")
        .build()
        .map_err(fail)?;
    let pending = match remembering.login(USER, PASSWORD).await.map_err(fail)? {
        LoginOutcome::Challenge(pending) => pending,
        LoginOutcome::Tokens(_) => return Err("MFA was expected".into()),
    };
    detail(format!("challenge {}", pending.name()));
    // The code of the current step was spent on set-up: answer with the next step's.
    let tokens = remembering
        .answer_mfa(pending, &totp_code(&secret, 1)?)
        .await
        .map_err(fail)?
        .into_tokens()
        .map_err(fail)?;
    let device = remembering
        .remembered_device(tokens.username())
        .map_err(fail)?
        .ok_or("the device was not remembered")?;
    detail(format!(
        "logged in; device {} confirmed and remembered",
        device.device_key()
    ));

    steps.step("Log in once more: device SRP answers for the remembered device, MFA is skipped");
    let tokens = match remembering.login(USER, PASSWORD).await.map_err(fail)? {
        LoginOutcome::Tokens(tokens) => tokens,
        LoginOutcome::Challenge(pending) => {
            return Err(format!("MFA was not skipped: {}", pending.name()));
        }
    };
    detail(format!(
        "logged in without a code; access token's device_key {}",
        tokens
            .claims()
            .and_then(|c| c.access.device_key.as_deref())
            .unwrap_or("-")
    ));

    steps.step("Call a protected API through the reqwest middleware");
    let verifier = Arc::new(
        CognitoJwtVerifier::new(
            PoolConfig::new(&pool_id, TokenUse::Id, ClientIds::one(&client_id))
                .and_then(|p| p.issuer_base(&url))
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?,
    );
    let api = Router::new()
        .route(
            "/hello",
            get(|CognitoUser(token): CognitoUser| async move {
                format!(
                    "hello, {} (groups: {:?})",
                    token.claims.username().unwrap_or("-"),
                    token.claims.groups()
                )
            }),
        )
        .with_state(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let api_url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let api_task = tokio::spawn(async move { axum::serve(listener, api).await });
    let auth = Arc::new(CognitoAuth::new(remembering.clone(), USER, PASSWORD));
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with_arc(auth.clone())
        .build();
    let answer = http
        .get(format!("{api_url}/hello"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let body = answer.text().await.map_err(|e| e.to_string())?;
    detail(format!("GET {api_url}/hello -> {status}: {body}"));
    if !status.is_success() {
        return Err("the API refused the middleware's token".into());
    }
    let plain = reqwest::get(format!("{api_url}/hello"))
        .await
        .map_err(|e| e.to_string())?;
    detail(format!("without the middleware -> {}", plain.status()));
    detail(format!(
        "the middleware logged in {} time(s)",
        auth.logins()
    ));

    steps.step("Refresh the tokens");
    let mut tokens = tokens;
    let before = tokens.access_token().to_owned();
    remembering.renew(&mut tokens).await.map_err(fail)?;
    detail(format!(
        "new access token {} (was {})",
        short(tokens.access_token()),
        short(&before)
    ));

    steps.step("Sign out everywhere; the refresh token no longer works");
    remembering.sign_out(&tokens).await.map_err(fail)?;
    match remembering.renew(&mut tokens.clone()).await {
        Err(e) => detail(format!("refresh refused: {e}")),
        Ok(()) => return Err("the refresh token still worked after sign-out".into()),
    }

    api_task.abort();
    server.shutdown().await;
    println!(
        "\nAll {} steps passed in {:.1} s.",
        steps.0,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
