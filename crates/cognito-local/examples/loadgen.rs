//! A login load generator for `bench/local.sh`: sets up a pool, client and user on any
//! Cognito-compatible endpoint over plain HTTP, then signs in from N concurrent clients
//! for a while and prints one JSON line of logins/s and p50/p99 latency.
//!
//! `cargo run --release -p cognito-local --example loadgen -- ENDPOINT FLOW CONCURRENCY SECONDS`
//! with FLOW `password` (USER_PASSWORD_AUTH) or `srp` (USER_SRP_AUTH + PASSWORD_VERIFIER).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
use serde_json::{Value, json};

const SIGNED: &str = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20250203/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00";
const PASSWORD: &str = "Bench-Passw0rd!";

async fn call(http: &reqwest::Client, url: &str, op: &str, body: Value) -> Result<Value, String> {
    let response = http
        .post(url)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .header("authorization", SIGNED)
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{op}: {e}"))?;
    if status.is_success() {
        Ok(value)
    } else {
        Err(format!("{op}: {value}"))
    }
}

async fn login(
    http: &reqwest::Client,
    url: &str,
    pool: &PoolId,
    client_id: &str,
    flow: &str,
) -> Result<(), String> {
    if flow == "password" {
        let out = call(
            http,
            url,
            "InitiateAuth",
            json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "bench", "PASSWORD": PASSWORD}}),
        )
        .await?;
        return out["AuthenticationResult"]["AccessToken"]
            .as_str()
            .map(|_| ())
            .ok_or_else(|| format!("no tokens: {out}"));
    }
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let started = call(
        http,
        url,
        "InitiateAuth",
        json!({"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": {"USERNAME": "bench", "SRP_A": ephemeral.srp_a()}}),
    )
    .await?;
    let params: HashMap<String, String> =
        serde_json::from_value(started["ChallengeParameters"].clone())
            .map_err(|e| e.to_string())?;
    let mut challenge = VerifierChallenge::from_parameters(&params).map_err(|e| e.to_string())?;
    // moto's SECRET_BLOCK is not base64 (it checks no signature): sign over its bytes
    // instead, so that the client does the same work, and send the block back as given.
    let sent_block = challenge.secret_block.clone();
    if STANDARD.decode(&sent_block).is_err() {
        challenge.secret_block = STANDARD.encode(sent_block.as_bytes());
    }
    let mut answer = ephemeral
        .password_claim(pool, PASSWORD, &challenge, Timestamp::now())
        .map_err(|e| e.to_string())?;
    answer.password_claim_secret_block = sent_block;
    // As pycognito does: USERNAME as the challenge gave it (moto finds the user by it).
    if let Some(username) = params.get("USERNAME") {
        answer.username = username.clone();
    }
    let mut body = json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": answer.into_map()});
    if let Some(session) = started["Session"].as_str() {
        body["Session"] = json!(session);
    }
    let out = call(http, url, "RespondToAuthChallenge", body).await?;
    out["AuthenticationResult"]["AccessToken"]
        .as_str()
        .map(|_| ())
        .ok_or_else(|| format!("no tokens: {out}"))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, flow, concurrency, seconds] = args.as_slice() else {
        return Err("usage: loadgen ENDPOINT password|srp CONCURRENCY SECONDS".into());
    };
    let concurrency: usize = concurrency.parse().map_err(|_| "bad concurrency")?;
    let seconds: f64 = seconds.parse().map_err(|_| "bad seconds")?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| e.to_string())?;

    let pool = call(&http, url, "CreateUserPool", json!({"PoolName": "bench"})).await?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool id")?
        .to_owned();
    let client = call(&http, url, "CreateUserPoolClient", json!({"UserPoolId": pool_id, "ClientName": "bench",
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})).await?;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or("no client id")?
        .to_owned();
    call(
        &http,
        url,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "bench", "MessageAction": "SUPPRESS"}),
    )
    .await?;
    call(&http, url, "AdminSetUserPassword", json!({"UserPoolId": pool_id, "Username": "bench", "Password": PASSWORD, "Permanent": true})).await?;
    let pool = PoolId::parse(&pool_id).map_err(|e| e.to_string())?;
    login(&http, url, &pool, &client_id, flow).await?; // warm up, and fail early

    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let shared = Arc::new((http, url.clone(), pool, client_id, flow.clone()));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let shared = shared.clone();
            tokio::spawn(async move {
                let (http, url, pool, client_id, flow) = &*shared;
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    login(http, url, pool, client_id, flow).await?;
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{}",
        json!({"logins": all.len(), "per_second": all.len() as f64 / elapsed, "p50_ms": pick(0.5), "p99_ms": pick(0.99)})
    );
    Ok(())
}
