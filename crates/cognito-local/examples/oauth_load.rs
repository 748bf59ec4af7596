//! Machine-to-machine tokens against password logins, measured: one in-process server,
//! 16 connections, rounds alternating between the client_credentials grant at
//! `/oauth2/token` (one RS256 signature a token) and USER_PASSWORD_AUTH through
//! InitiateAuth (a password check and three tokens, two signatures), so both see the
//! same machine load. Prints each one's rate, median and p99, and their ratio. Run by
//! `bash bench/oauth.sh`.
//!
//! `cargo run --release -p cognito-local --example oauth_load [ROUNDS] [SECONDS_PER_ROUND]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

mod common;
use common::call;

const CONNECTIONS: usize = 16;
const PASSWORD: &str = "Passw0rd-Bench1";

/// What the load needs: the token endpoint with a service client's Basic credentials,
/// and the API with a password client and one user a connection.
struct Setup {
    url: String,
    token_url: String,
    basic: String,
    password_client: String,
}

async fn setup(http: &reqwest::Client, url: &str) -> Setup {
    let pool = call(http, url, "CreateUserPool", json!({"PoolName": "bench"})).await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    call(
        http,
        url,
        "CreateUserPoolDomain",
        json!({"UserPoolId": pool_id, "Domain": "oauth-bench"}),
    )
    .await;
    call(
        http,
        url,
        "CreateResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "orders", "Name": "Orders",
               "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]}),
    )
    .await;
    let service = call(
        http,
        url,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "svc", "GenerateSecret": true,
               "AllowedOAuthFlowsUserPoolClient": true,
               "AllowedOAuthFlows": ["client_credentials"],
               "AllowedOAuthScopes": ["orders/read"]}),
    )
    .await;
    let service = &service["UserPoolClient"];
    let basic = STANDARD.encode(format!(
        "{}:{}",
        service["ClientId"].as_str().unwrap(),
        service["ClientSecret"].as_str().unwrap()
    ));
    let password = call(
        http,
        url,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "app",
               "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await;
    for n in 0..CONNECTIONS {
        let username = format!("user{n}");
        call(
            http,
            url,
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS"}),
        )
        .await;
        call(
            http,
            url,
            "AdminSetUserPassword",
            json!({"UserPoolId": pool_id, "Username": username, "Password": PASSWORD, "Permanent": true}),
        )
        .await;
    }
    Setup {
        url: url.to_owned(),
        token_url: format!("{url}/{pool_id}/oauth2/token"),
        basic,
        password_client: password["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

#[derive(Clone, Copy)]
enum Load {
    ClientCredentials,
    Password,
}

/// One request of `load` from connection `n`: its latency.
async fn one(http: &reqwest::Client, setup: &Setup, load: Load, n: usize) -> Duration {
    let started = Instant::now();
    match load {
        Load::ClientCredentials => {
            let response = http
                .post(&setup.token_url)
                .header("authorization", format!("Basic {}", setup.basic))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&scope=orders%2Fread")
                .send()
                .await
                .expect("the token endpoint answers");
            assert_eq!(response.status(), 200);
            let body = response.bytes().await.expect("a body");
            assert!(body.windows(14).any(|w| w == b"\"access_token\""));
        }
        Load::Password => {
            let out = call(
                http,
                &setup.url,
                "InitiateAuth",
                json!({"ClientId": setup.password_client, "AuthFlow": "USER_PASSWORD_AUTH",
                       "AuthParameters": {"USERNAME": format!("user{n}"), "PASSWORD": PASSWORD}}),
            )
            .await;
            assert!(out["AuthenticationResult"]["AccessToken"].is_string());
        }
    }
    started.elapsed()
}

/// `load` from every connection for `length`: each request's latency, and how long
/// the round took until its last request was answered.
async fn round(
    clients: &[reqwest::Client],
    setup: &Arc<Setup>,
    load: Load,
    length: Duration,
) -> (Vec<Duration>, Duration) {
    let started = Instant::now();
    let until = started + length;
    let tasks: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(n, http)| {
            let (http, setup) = (http.clone(), setup.clone());
            tokio::spawn(async move {
                let mut took = Vec::new();
                while Instant::now() < until {
                    took.push(one(&http, &setup, load, n).await);
                }
                took
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a load task"));
    }
    (all, started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(6).max(1);
    let seconds: f64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(2.0);
    let length = Duration::from_secs_f64(seconds);
    let server = cognito_local::Server::builder()
        .in_memory()
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let setup = Arc::new(setup(&http, &server.url()).await);
    // One client a connection: each keeps its own keep-alive connection.
    let clients: Vec<reqwest::Client> = (0..CONNECTIONS)
        .map(|_| {
            reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .unwrap()
        })
        .collect();
    // Warm up both paths.
    round(
        &clients,
        &setup,
        Load::ClientCredentials,
        Duration::from_millis(300),
    )
    .await;
    round(&clients, &setup, Load::Password, Duration::from_millis(300)).await;
    let (mut tokens, mut logins) = (Vec::new(), Vec::new());
    let (mut token_time, mut login_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let (took, time) = round(&clients, &setup, Load::ClientCredentials, length).await;
        tokens.extend(took);
        token_time += time;
        let (took, time) = round(&clients, &setup, Load::Password, length).await;
        logins.extend(took);
        login_time += time;
    }
    let token_rate = tokens.len() as f64 / token_time.as_secs_f64();
    let login_rate = logins.len() as f64 / login_time.as_secs_f64();
    tokens.sort();
    logins.sort();
    println!(
        "{CONNECTIONS} connections, {rounds} alternating rounds of {seconds} s each, in-memory store:"
    );
    println!(
        "  client_credentials (/oauth2/token): {token_rate:8.0} tokens/s, median {:.3} ms, p99 {:.3} ms",
        percentile(&tokens, 0.5),
        percentile(&tokens, 0.99)
    );
    println!(
        "  USER_PASSWORD_AUTH (InitiateAuth):  {login_rate:8.0} logins/s, median {:.3} ms, p99 {:.3} ms",
        percentile(&logins, 0.5),
        percentile(&logins, 0.99)
    );
    println!(
        "  ratio: {:.2}x (goal: at least 1.8x)",
        token_rate / login_rate
    );
}
