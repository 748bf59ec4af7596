//! A web app's view of a login: the first request starts it and gets a challenge,
//! which travels as JSON (a cookie, a form field, a session store); a later request,
//! maybe in another process, answers it.
//!
//! `cargo run -p cognito --example resumable_challenge`

mod support;

use aws_sdk_cognitoidentityprovider::types::UserPoolMfaType;
use cognito::{Cognito, LoginOutcome, PendingChallenge};

/// Request 1: POST /login {username, password} → tokens, or a challenge to answer.
async fn start_login(cognito: &Cognito, username: &str, password: &str) -> cognito::Result<String> {
    Ok(match cognito.login(username, password).await? {
        LoginOutcome::Tokens(tokens) => serde_json::json!({ "id_token": tokens.id_token() }),
        LoginOutcome::Challenge(pending) => serde_json::json!({
            "challenge": pending.name(),
            "state": serde_json::to_value(&pending).expect("plain data"),
        }),
    }
    .to_string())
}

/// Request 2: POST /login/mfa {state, code} → tokens.
async fn answer(
    cognito: &Cognito,
    state: serde_json::Value,
    code: &str,
) -> cognito::Result<String> {
    let pending: PendingChallenge = serde_json::from_value(state)
        .map_err(|e| cognito::Error::Config(format!("bad state: {e}")))?;
    let tokens = cognito.answer_mfa(pending, code).await?.into_tokens()?;
    Ok(serde_json::json!({ "id_token": tokens.id_token() }).to_string())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A pool where MFA is on and the user has an SMS factor.
    let local = support::start(UserPoolMfaType::Optional).await?;
    let admin = local.cognito()?;
    admin
        .admin_create_user(
            "grace",
            cognito::NewUser {
                attributes: cognito::Attributes::new()
                    .set("phone_number", "+15555550100")
                    .set("phone_number_verified", "true"),
                suppress_message: true,
                ..Default::default()
            },
        )
        .await?;
    admin
        .admin_set_password("grace", "Correct-Horse-1!", true)
        .await?;
    let sms = cognito::MfaPreference {
        sms: true,
        preferred: Some(cognito::MfaType::Sms),
        ..Default::default()
    };
    admin.admin_set_mfa_preference("grace", sms).await?;

    let first = start_login(&local.cognito()?, "grace", "Correct-Horse-1!").await?;
    println!("request 1 answers: {first}");
    let state = serde_json::from_str::<serde_json::Value>(&first)?["state"].take();

    // Another request, another client: only the JSON state and the code the user typed.
    let code = local.last_code("grace").await?;
    let second = answer(&local.cognito()?, state, &code).await?;
    println!("request 2 answers: {}…", &second[..40]);
    local.server.shutdown().await;
    Ok(())
}
