//! `cognito messages`: the outbox of a local server (codes, temporary passwords).

use clap::Args;
use serde_json::Value;

/// Options of `cognito messages`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  cognito messages --pool-id us-east-1_AbCdEfGhI --username alice
  cognito messages --code --username alice      # only the latest code, for scripts")]
pub struct MessagesArgs {
    /// The local server.
    #[arg(
        long,
        env = "COGNITO_ENDPOINT",
        default_value = "http://127.0.0.1:9229"
    )]
    endpoint: String,
    /// Only this pool's messages.
    #[arg(long)]
    pool_id: Option<String>,
    /// Only this user's messages (the user name as stored: the sub in email-as-username pools).
    #[arg(long)]
    username: Option<String>,
    /// Print only the code (or temporary password) of the latest message.
    #[arg(long)]
    code: bool,
    /// Print the messages as JSON.
    #[arg(long, conflicts_with = "code")]
    json: bool,
}

/// A local server's outbox, oldest first, optionally for one pool and one user.
pub async fn fetch(
    endpoint: &str,
    pool_id: Option<&str>,
    username: Option<&str>,
) -> Result<Vec<Value>, String> {
    let mut url = reqwest::Url::parse(endpoint)
        .and_then(|u| u.join("/_local/messages"))
        .map_err(|e| format!("invalid endpoint {endpoint:?}: {e}"))?;
    {
        let mut query = url.query_pairs_mut();
        if let Some(pool) = pool_id {
            query.append_pair("pool_id", pool);
        }
        if let Some(user) = username {
            query.append_pair("username", user);
        }
    }
    let response = reqwest::get(url.clone())
        .await
        .map_err(|e| format!("cannot reach {endpoint}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|_| format!("{url} is not a cognito-local outbox"))?;
    Ok(value["messages"].as_array().cloned().unwrap_or_default())
}

/// The code (or temporary password) of the latest message that has one.
pub fn latest_code(messages: &[Value]) -> Result<&str, String> {
    messages
        .iter()
        .rev()
        .find_map(|m| m["code"].as_str())
        .ok_or_else(|| "no message with a code".to_owned())
}

/// Prints the outbox.
pub async fn run(args: MessagesArgs) -> Result<(), String> {
    let messages = fetch(
        &args.endpoint,
        args.pool_id.as_deref(),
        args.username.as_deref(),
    )
    .await?;
    if args.code {
        println!("{}", latest_code(&messages)?);
    } else if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&messages).map_err(|e| e.to_string())?
        );
    } else if messages.is_empty() {
        println!("no messages");
    } else {
        for m in &messages {
            let text = |k: &str| m[k].as_str().unwrap_or("").to_owned();
            println!(
                "#{} {} {} to {} ({}, user {} in {}): {}",
                m["id"],
                text("medium"),
                text("purpose"),
                text("destination"),
                m["created"],
                text("username"),
                text("pool_id"),
                text("body")
            );
        }
    }
    Ok(())
}
