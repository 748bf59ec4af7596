//! Sign up, confirm, log in with SRP, set up TOTP, and log in again answering the
//! MFA challenge — against an embedded cognito-local.
//!
//! `cargo run -p cognito --example login_with_mfa`

mod support;

use aws_sdk_cognitoidentityprovider::types::UserPoolMfaType;
use cognito::{Attributes, Challenge, LoginOutcome, MfaPreference, MfaType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let local = support::start(UserPoolMfaType::Optional).await?;
    let cognito = local.cognito()?;
    let password = "Correct-Horse-1!";

    cognito
        .register(
            "ada",
            password,
            Attributes::new().set("email", "ada@example.com"),
        )
        .await?;
    cognito
        .confirm_sign_up("ada", &local.last_code("ada").await?)
        .await?;
    let tokens = cognito.login("ada", password).await?.into_tokens()?;
    println!(
        "logged in as {}",
        tokens.claims().expect("verified").id.username
    );

    // Turn on TOTP: show the secret (as a QR code of this URI), check one code.
    let secret = cognito.associate_software_token(&tokens).await?;
    println!(
        "authenticator URI: {}",
        cognito::totp_uri(&secret, "ada", "Example")
    );
    cognito
        .verify_software_token(&tokens, &support::totp_code(&secret, 0)?, Some("phone"))
        .await?;
    let preference = MfaPreference {
        software_token: true,
        preferred: Some(MfaType::SoftwareToken),
        ..Default::default()
    };
    cognito.set_mfa_preference(&tokens, preference).await?;

    // The next login asks for a code.
    match cognito.login("ada", password).await? {
        LoginOutcome::Challenge(pending) if pending.challenge() == Challenge::SoftwareTokenMfa => {
            // A code is single-use and set-up spent the current one: Cognito accepts the
            // next step's too (it allows for clock drift).
            let tokens = cognito
                .answer_mfa(pending, &support::totp_code(&secret, 1)?)
                .await?
                .into_tokens()?;
            println!(
                "logged in with MFA; token expires at {:?}",
                tokens.expires_at()
            );
        }
        other => return Err(format!("expected SOFTWARE_TOKEN_MFA, got {other:?}").into()),
    }
    local.server.shutdown().await;
    Ok(())
}
