//! `cognito login`, `refresh`, `whoami` and `logout`: a user's session, kept in a profile.

use clap::{Args, ValueEnum};
use cognito::{Attributes, Challenge, Cognito, LoginOutcome, MfaType, TokenSet};
use serde_json::json;

use crate::config::{Profile, ProfileArgs};
use crate::prompt::Prompt;

/// How tokens are printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Output {
    /// A JSON object.
    Json,
    /// `export COGNITO_ID_TOKEN=...` lines, for `eval "$(cognito login ... --output env)"`.
    Env,
}

/// Options of `cognito login`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  cognito login --pool-id us-east-1_AbCdEfGhI --client-id 1example23456789 --username ada
  echo \"$PASSWORD\" | cognito login ... --username ada --password-stdin --output env
  cognito login ... --endpoint http://127.0.0.1:9229 --remember-device
  cognito login --browser --pool-id ID --client-id ID --domain https://PREFIX.auth.REGION.amazoncognito.com

With --browser the sign-in is the pool's hosted UI (managed login): the code grant with
PKCE, back to a listener on the loopback redirect URI (one of the client's CallbackURLs);
the tokens are printed, not kept in the profile.

Challenges (new password, SMS or TOTP code, MFA choice, TOTP set-up) are asked for on
the terminal, or read line by line from stdin after the password.")]
pub struct LoginArgs {
    /// The user pool id, `<region>_<id>`.
    #[arg(long, env = "COGNITO_POOL_ID")]
    pool_id: String,
    /// The app client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    client_id: String,
    /// The app client's secret, when it has one.
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// Another endpoint than AWS's, such as `cognito serve`'s.
    #[arg(long, env = "COGNITO_ENDPOINT")]
    endpoint: Option<String>,
    /// The user name (or an alias the pool accepts).
    #[arg(long, required_unless_present = "browser")]
    username: Option<String>,
    /// Sign in through the hosted UI in a browser instead of on the terminal.
    #[arg(long, conflicts_with_all = ["username", "password_stdin", "remember_device"])]
    browser: bool,
    /// The pool's domain, for --browser (default with --endpoint: {endpoint}/{pool_id}).
    #[arg(long, requires = "browser")]
    domain: Option<String>,
    /// The redirect URI for --browser: a loopback URL among the client's CallbackURLs.
    #[arg(
        long,
        default_value = "http://localhost:8765/callback",
        requires = "browser"
    )]
    redirect_uri: String,
    /// A scope to ask for with --browser (repeatable; none asks for the client's scopes).
    #[arg(long = "scope", requires = "browser")]
    scopes: Vec<String>,
    /// With --browser: sign in through this identity provider of the pool (its name),
    /// straight from the authorize request, as `identity_provider` does.
    #[arg(long, requires = "browser")]
    idp: Option<String>,
    /// With --browser: print the URL only, do not open a browser.
    #[arg(long, requires = "browser")]
    no_open: bool,
    /// Read the password from the first line of stdin instead of the terminal.
    #[arg(long)]
    password_stdin: bool,
    /// Remember this device: its keys are kept (mode 0600) and answer the device
    /// challenge at the next logins, which then skip MFA.
    #[arg(long)]
    remember_device: bool,
    /// How to print the tokens.
    #[arg(long, value_enum, default_value = "json")]
    output: Output,
    #[command(flatten)]
    profile: ProfileArgs,
}

/// Options of `refresh`, `whoami` and `logout`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  cognito refresh                          # new tokens for the default profile, as JSON
  eval \"$(cognito refresh --output env)\"   # COGNITO_ID_TOKEN, COGNITO_ACCESS_TOKEN, ...
  cognito whoami --profile staging
  cognito logout                           # GlobalSignOut; the profile's tokens are forgotten")]
pub struct SessionArgs {
    /// How to print the tokens (refresh only).
    #[arg(long, value_enum, default_value = "json")]
    output: Output,
    #[command(flatten)]
    profile: ProfileArgs,
}

fn print_tokens(tokens: &TokenSet, output: Output) {
    let expires_at = tokens
        .expires_at()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match output {
        Output::Json => {
            let value = json!({
                "username": tokens.username(),
                "id_token": tokens.id_token(),
                "access_token": tokens.access_token(),
                "refresh_token": tokens.refresh_token(),
                "expires_at": expires_at,
                "device_key": tokens.device_key(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Output::Env => {
            println!("export COGNITO_ID_TOKEN='{}'", tokens.id_token());
            println!("export COGNITO_ACCESS_TOKEN='{}'", tokens.access_token());
            if let Some(refresh) = tokens.refresh_token() {
                println!("export COGNITO_REFRESH_TOKEN='{refresh}'");
            }
            println!("export COGNITO_EXPIRES_AT={expires_at}");
        }
    }
}

/// Answers challenges until tokens.
async fn answer_challenges(
    cognito: &Cognito,
    mut outcome: LoginOutcome,
    prompt: &mut Prompt,
    username: &str,
) -> Result<TokenSet, String> {
    let fail = |e: cognito::Error| e.to_string();
    loop {
        let mut pending = match outcome {
            LoginOutcome::Tokens(tokens) => return Ok(tokens),
            LoginOutcome::Challenge(pending) => pending,
        };
        outcome = match pending.challenge() {
            Challenge::NewPasswordRequired {
                required_attributes,
                ..
            } => {
                eprintln!("A new password is required.");
                let password = prompt.secret("New password")?;
                let mut attributes = Attributes::new();
                for name in required_attributes {
                    attributes = attributes.set(&name, prompt.line(&name)?);
                }
                cognito
                    .answer_new_password(pending, &password, attributes)
                    .await
            }
            Challenge::SmsMfa { destination } => {
                let to = destination.unwrap_or_else(|| "your phone".into());
                let code = prompt.line(&format!("SMS code sent to {to}"))?;
                cognito.answer_mfa(pending, &code).await
            }
            Challenge::SoftwareTokenMfa => {
                let code = prompt.line("Code from your authenticator app")?;
                cognito.answer_mfa(pending, &code).await
            }
            Challenge::SelectMfaType { options } => {
                let names: Vec<&str> = options.iter().map(|m| m.as_str()).collect();
                let choice = prompt.line(&format!("Second factor ({})", names.join(" or ")))?;
                let mfa = options
                    .iter()
                    .copied()
                    .find(|m| m.as_str().eq_ignore_ascii_case(choice.trim()))
                    .or(match choice.trim().to_ascii_lowercase().as_str() {
                        "sms" => Some(MfaType::Sms),
                        "totp" | "software_token" => Some(MfaType::SoftwareToken),
                        _ => None,
                    })
                    .ok_or_else(|| format!("{choice:?} is not one of {}", names.join(", ")))?;
                cognito.select_mfa_type(pending, mfa).await
            }
            Challenge::MfaSetup { .. } => {
                let secret = cognito.begin_mfa_setup(&mut pending).await.map_err(fail)?;
                eprintln!("Set up TOTP: add this to your authenticator app");
                eprintln!("  {}", cognito::totp_uri(&secret, username, "Cognito"));
                eprintln!("  (secret {secret})");
                let code = prompt.line("Code from your authenticator app")?;
                cognito
                    .finish_mfa_setup(pending, &code, Some("cognito-cli"))
                    .await
            }
            Challenge::Custom { parameters } => {
                eprintln!("Custom challenge: {}", json!(parameters));
                let answer = prompt.line("Answer")?;
                cognito.answer_custom(pending, &answer).await
            }
            other => return Err(format!("cannot answer the {other:?} challenge")),
        }
        .map_err(fail)?;
    }
}

/// `cognito login`.
pub async fn login(args: LoginArgs) -> Result<(), String> {
    let Some(username) = args.username.clone() else {
        return crate::oauth::browser_login(crate::oauth::BrowserLogin {
            pool_id: &args.pool_id,
            client_id: &args.client_id,
            client_secret: args.client_secret.as_deref(),
            endpoint: args.endpoint.as_deref(),
            domain: args.domain.as_deref(),
            redirect_uri: &args.redirect_uri,
            scopes: &args.scopes,
            idp: args.idp.as_deref(),
            open: !args.no_open,
            output: args.output,
        })
        .await;
    };
    let mut prompt = Prompt::new();
    let password = if args.password_stdin {
        prompt
            .next_line()
            .map_err(|_| "--password-stdin: stdin is empty".to_owned())?
    } else if prompt.is_terminal() {
        prompt.secret("Password")?
    } else {
        return Err("no terminal to ask for the password: use --password-stdin".into());
    };
    let mut profile = Profile {
        pool_id: args.pool_id,
        client_id: args.client_id,
        client_secret: args.client_secret,
        endpoint: args.endpoint,
        username: username.clone(),
    };
    let cognito = args.profile.client(&profile, args.remember_device)?;
    let outcome = cognito
        .login(&username, &password)
        .await
        .map_err(|e| e.to_string())?;
    let tokens = answer_challenges(&cognito, outcome, &mut prompt, &username).await?;
    profile.username = tokens.username().to_owned();
    args.profile.save(&profile)?;
    print_tokens(&tokens, args.output);
    Ok(())
}

async fn stored(args: &SessionArgs) -> Result<(Cognito, TokenSet), String> {
    let profile = args.profile.load()?;
    let cognito = args.profile.client(&profile, false)?;
    let tokens = cognito
        .stored_tokens(&profile.username)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tokens for {}: log in again", profile.username))?;
    Ok((cognito, tokens))
}

/// `cognito refresh`.
pub async fn refresh(args: SessionArgs) -> Result<(), String> {
    let (cognito, mut tokens) = stored(&args).await?;
    cognito
        .renew(&mut tokens)
        .await
        .map_err(|e| e.to_string())?;
    print_tokens(&tokens, args.output);
    Ok(())
}

/// `cognito whoami`.
pub async fn whoami(args: SessionArgs) -> Result<(), String> {
    let (cognito, tokens) = stored(&args).await?;
    let user = cognito.get_user(&tokens).await.map_err(|e| e.to_string())?;
    let value = json!({
        "username": user.username,
        "attributes": user.attributes,
        "preferred_mfa": user.preferred_mfa,
        "mfa_methods": user.mfa_methods,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
    Ok(())
}

/// `cognito logout`.
pub async fn logout(args: SessionArgs) -> Result<(), String> {
    let (cognito, tokens) = stored(&args).await?;
    cognito.sign_out(&tokens).await.map_err(|e| e.to_string())?;
    eprintln!("signed out {} everywhere", tokens.username());
    Ok(())
}
