//! The OAuth side of the command: `cognito login --browser` (the code grant with PKCE,
//! back to a loopback listener) and `cognito token --client-credentials`.

use std::time::Duration;

use axum::extract::RawQuery;
use axum::http::{StatusCode, Uri};
use axum::response::Html;
use axum::routing::get;
use clap::Args;
use cognito::oauth::{Callback, OAuthClient, OAuthClientBuilder, OAuthTokens};
use serde_json::json;
use tokio::sync::mpsc;

use crate::session::Output;

/// How long `login --browser` waits for the browser to come back.
const WAIT: Duration = Duration::from_secs(300);

/// Where the hosted endpoints are, and who issues the tokens: `--domain` (with the
/// pool, and a local endpoint as issuer, when given), else a local server's
/// `{endpoint}/{pool_id}`.
fn hosted(
    builder: OAuthClientBuilder,
    domain: Option<&str>,
    endpoint: Option<&str>,
    pool_id: Option<&str>,
) -> Result<OAuthClientBuilder, String> {
    match (domain, endpoint, pool_id) {
        (Some(domain), endpoint, pool_id) => {
            let mut builder = builder.domain(domain);
            if let Some(pool_id) = pool_id {
                builder = builder.pool_id(pool_id);
            }
            if let Some(endpoint) = endpoint {
                builder = builder.issuer_base(endpoint);
            }
            Ok(builder)
        }
        (None, Some(endpoint), Some(pool_id)) => Ok(builder.local(endpoint, pool_id)),
        _ => Err("--domain is required (the pool's domain, https://PREFIX.auth.REGION.amazoncognito.com), or --endpoint and --pool-id for a local server".into()),
    }
}

/// What `login --browser` needs.
pub struct BrowserLogin<'a> {
    pub pool_id: &'a str,
    pub client_id: &'a str,
    pub client_secret: Option<&'a str>,
    pub endpoint: Option<&'a str>,
    pub domain: Option<&'a str>,
    pub redirect_uri: &'a str,
    pub scopes: &'a [String],
    pub idp: Option<&'a str>,
    pub open: bool,
    pub output: Output,
}

/// `cognito login --browser`: listens on the redirect URI's loopback port, sends the
/// browser to the authorize URL (or prints it), and exchanges the code it brings back.
pub async fn browser_login(login: BrowserLogin<'_>) -> Result<(), String> {
    let redirect = url_parts(login.redirect_uri)?;
    let builder = OAuthClient::builder()
        .client_id(login.client_id)
        .redirect_uri(login.redirect_uri);
    let mut builder = hosted(builder, login.domain, login.endpoint, Some(login.pool_id))?;
    if let Some(secret) = login.client_secret {
        builder = builder.client_secret(secret);
    }
    let oauth = builder.build().map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", redirect.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", redirect.port))?;
    let scopes: Vec<&str> = login.scopes.iter().map(String::as_str).collect();
    let request = match login.idp {
        Some(provider) => oauth.authorize_through(provider, &scopes),
        None => oauth.authorize(&scopes),
    };
    let (sent, mut received) = mpsc::channel::<String>(1);
    let (path, state) = (redirect.path.clone(), request.state.clone());
    // Any page the browser shows may send it here: only the redirect path with this
    // sign-in's state is its callback; anything else is refused and the wait goes on.
    let app = axum::Router::new().fallback(get(move |uri: Uri, RawQuery(query): RawQuery| {
        let (sent, path, state) = (sent.clone(), path.clone(), state.clone());
        async move {
            let query = query.unwrap_or_default();
            let ours = uri.path() == path
                && matches!(Callback::parse(&query), Ok(Callback::Code { state: Some(s), .. } | Callback::Error { state: Some(s), .. }) if s == state);
            if !ours {
                return (StatusCode::BAD_REQUEST, Html("<!doctype html><title>Not this sign-in</title><p>This is not the callback of the sign-in the terminal waits for.</p>"));
            }
            let _ = sent.send(query).await;
            (StatusCode::OK, Html("<!doctype html><title>Signed in</title><p>Done: you can close this tab and go back to the terminal.</p>"))
        }
    }));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    eprintln!("Sign in in your browser:\n  {}", request.url);
    if login.open {
        open_browser(&request.url);
    }
    let query = tokio::time::timeout(WAIT, received.recv())
        .await
        .map_err(|_| "the browser did not come back within 5 minutes".to_owned())?
        .ok_or("the redirect listener stopped")?;
    server.abort();
    let tokens = oauth
        .finish(&request, &query)
        .await
        .map_err(|e| e.to_string())?;
    print_oauth_tokens(&tokens, login.output);
    Ok(())
}

/// The redirect URI's port and path; it must be a loopback `http` URI.
struct Redirect {
    port: u16,
    path: String,
}

fn url_parts(uri: &str) -> Result<Redirect, String> {
    let refuse =
        || format!("--redirect-uri {uri:?}: expected http://localhost:PORT/PATH (or 127.0.0.1)");
    let rest = uri.strip_prefix("http://").ok_or_else(refuse)?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = authority.rsplit_once(':').ok_or_else(refuse)?;
    if !matches!(host, "localhost" | "127.0.0.1") {
        return Err(refuse());
    }
    let port = port.parse().map_err(|_| refuse())?;
    let path = if path.is_empty() { "/" } else { path };
    Ok(Redirect {
        port,
        path: path.split('?').next().unwrap_or("/").to_owned(),
    })
}

/// Opens `url` in the desktop's browser, if there is one; the URL is printed anyway.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let opened = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("(no browser to open: open the URL yourself)");
    }
}

fn print_oauth_tokens(tokens: &OAuthTokens, output: Output) {
    match output {
        Output::Json => {
            let value = json!({
                "username": tokens.claims().and_then(|c| c.username()),
                "id_token": tokens.id_token,
                "access_token": tokens.access_token,
                "refresh_token": tokens.refresh_token,
                "expires_in": tokens.expires_in,
                "scope": tokens.scope,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        Output::Env => {
            if let Some(id) = &tokens.id_token {
                println!("export COGNITO_ID_TOKEN='{}'", shell_safe(id));
            }
            println!(
                "export COGNITO_ACCESS_TOKEN='{}'",
                shell_safe(&tokens.access_token)
            );
            if let Some(refresh) = &tokens.refresh_token {
                println!("export COGNITO_REFRESH_TOKEN='{}'", shell_safe(refresh));
            }
        }
    }
}

/// A token as it may go between single quotes for `eval`: the server's answer is not
/// trusted to hold only a token's characters (a quote would end the string).
fn shell_safe(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/'))
        .collect()
}

/// Options of `cognito token`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  cognito token --client-credentials --domain https://example.auth.eu-west-1.amazoncognito.com \\
      --client-id ID --client-secret SECRET --scope orders/read
  eval \"$(cognito token --client-credentials --endpoint http://127.0.0.1:9229 --pool-id ID \\
      --client-id ID --client-secret SECRET --output env)\"   # COGNITO_ACCESS_TOKEN")]
pub struct TokenArgs {
    /// The client_credentials grant (machine-to-machine): the only grant this command makes.
    #[arg(long, required = true)]
    client_credentials: bool,
    /// The app client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    client_id: String,
    /// The app client's secret.
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    client_secret: String,
    /// The pool's domain (https://PREFIX.auth.REGION.amazoncognito.com or a custom domain).
    #[arg(long, env = "COGNITO_DOMAIN")]
    domain: Option<String>,
    /// A local server's endpoint (with --pool-id): its endpoints are under {endpoint}/{pool_id}.
    #[arg(long, env = "COGNITO_ENDPOINT")]
    endpoint: Option<String>,
    /// The user pool id (with --endpoint).
    #[arg(long, env = "COGNITO_POOL_ID")]
    pool_id: Option<String>,
    /// A scope to ask for (repeatable; none asks for all the client's scopes).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// How to print the token.
    #[arg(long, value_enum, default_value = "json")]
    output: Output,
}

/// `cognito token --client-credentials`.
pub async fn token(args: TokenArgs) -> Result<(), String> {
    debug_assert!(args.client_credentials);
    let builder = OAuthClient::builder()
        .client_id(&args.client_id)
        .client_secret(&args.client_secret);
    let oauth = hosted(
        builder,
        args.domain.as_deref(),
        args.endpoint.as_deref(),
        args.pool_id.as_deref(),
    )?
    .build()
    .map_err(|e| e.to_string())?;
    let scopes: Vec<&str> = args.scopes.iter().map(String::as_str).collect();
    let token = oauth
        .client_credentials(&scopes)
        .token()
        .await
        .map_err(|e| e.to_string())?;
    match args.output {
        Output::Json => println!(
            "{}",
            json!({ "access_token": token, "token_type": "Bearer" })
        ),
        Output::Env => println!("export COGNITO_ACCESS_TOKEN='{}'", shell_safe(&token)),
    }
    Ok(())
}
