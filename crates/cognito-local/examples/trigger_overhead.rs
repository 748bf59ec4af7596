//! What a webhook trigger adds to a USER_PASSWORD_AUTH login, measured: one in-process
//! server, two pools alike but for a PreAuthentication trigger POSTed to an axum
//! webhook on loopback, logins alternating between them (so both see the same machine
//! load), median and p99 of each and their difference. Run by `bash bench/triggers.sh`.
//!
//! `cargo run --release -p cognito-local --example trigger_overhead [LOGINS]`

use std::time::{Duration, Instant};

use serde_json::json;

mod common;
use common::call;

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-authentication";

/// A pool (with the trigger or not), a client and a user; the client's id.
async fn pool(http: &reqwest::Client, url: &str, trigger: bool) -> String {
    let mut create = json!({"PoolName": "bench"});
    if trigger {
        create["LambdaConfig"] = json!({"PreAuthentication": ARN});
    }
    let pool_id = call(http, url, "CreateUserPool", create).await["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = call(
        http,
        url,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "bench", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}),
    )
    .await;
    call(
        http,
        url,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "ann", "MessageAction": "SUPPRESS"}),
    )
    .await;
    call(
        http,
        url,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "ann", "Password": "Passw0rd-Bench1", "Permanent": true}),
    )
    .await;
    client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn login(http: &reqwest::Client, url: &str, client_id: &str) -> Duration {
    let started = Instant::now();
    let out = call(
        http,
        url,
        "InitiateAuth",
        json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ann", "PASSWORD": "Passw0rd-Bench1"}}),
    )
    .await;
    let took = started.elapsed();
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    took
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let logins: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    // The webhook: answers the event unchanged, as a PreAuthentication that allows.
    let app = axum::Router::new().route(
        "/pre-authentication",
        axum::routing::post(|body: axum::body::Bytes| async move { body }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!(
        "http://{}/pre-authentication",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let server = cognito_local::Server::builder()
        .lambda(ARN, cognito_local::Target::parse(&hook).unwrap())
        .start()
        .await
        .unwrap();
    let url = server.url();
    let http = reqwest::Client::new();
    let plain = pool(&http, &url, false).await;
    let hooked = pool(&http, &url, true).await;
    // Warm up both paths.
    for _ in 0..50 {
        login(&http, &url, &plain).await;
        login(&http, &url, &hooked).await;
    }
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for _ in 0..logins {
        without.push(login(&http, &url, &plain).await);
        with.push(login(&http, &url, &hooked).await);
    }
    without.sort();
    with.sort();
    let (p50, p99) = (percentile(&without, 0.5), percentile(&without, 0.99));
    let (t50, t99) = (percentile(&with, 0.5), percentile(&with, 0.99));
    println!("USER_PASSWORD_AUTH login, {logins} each, alternating:");
    println!(
        "  without a trigger:          median {:.3} ms, p99 {:.3} ms",
        ms(p50),
        ms(p99)
    );
    println!(
        "  with a webhook trigger:     median {:.3} ms, p99 {:.3} ms",
        ms(t50),
        ms(t99)
    );
    println!(
        "  added by the trigger:       median {:+.3} ms, p99 {:+.3} ms (ratio {:.2}x)",
        ms(t50) - ms(p50),
        ms(t99) - ms(p99),
        ms(t50) / ms(p50)
    );
    server.shutdown().await;
}
