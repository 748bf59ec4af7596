//! A login load generator for `bench/local.sh`: sets up a pool, client and user on any
//! Cognito-compatible endpoint over plain HTTP, then signs in from N concurrent clients
//! for a while and prints one JSON line of logins/s and p50/p99 latency.
//!
//! `cargo run --release -p cognito-local --example loadgen -- ENDPOINT FLOW CONCURRENCY SECONDS [SERVER_PID]`
//! with FLOW `password` (USER_PASSWORD_AUTH) or `srp` (USER_SRP_AUTH + PASSWORD_VERIFIER).
//! With the server's pid, it also reports the server's CPU time per login (Linux
//! `/proc/PID/stat`, over the load phase only).
//!
//! `loadgen floor` measures the crypto floor of a login in this process: an RS256
//! signature, the server's SRP share (B, then the proof) and a password check against a
//! verifier, each as a median over many runs.

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

/// User plus system CPU time of a process so far, in milliseconds (Linux).
fn cpu_ms(pid: &str) -> Result<f64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| e.to_string())?;
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let rest = stat.rsplit_once(')').ok_or("bad stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .ok_or("bad stat")
    };
    // utime and stime are fields 14 and 15: 11 and 12 after the state.
    let clock_ticks = 100.0; // USER_HZ on Linux
    Ok((ticks(11)? + ticks(12)?) * 1000.0 / clock_ticks)
}

/// The median of `runs` timings of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

/// The crypto a login cannot avoid, measured here: one JSON line.
fn floor() -> Result<(), String> {
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::RSA_PKCS1_SHA256;
    use cognito_srp::{Identity, PasswordClaim, ServerEphemeral, Verifier};

    let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|e| e.to_string())?;
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let message = [b'x'; 900]; // about the size of an id token's header and claims
    let mut signature = vec![0u8; pair.public_modulus_len()];
    let rs256 = median_ms(400, || {
        pair.sign(&RSA_PKCS1_SHA256, &rng, &message, &mut signature)
            .expect("signs");
    });

    let pool = PoolId::parse("us-east-1_Bench1234").map_err(|e| e.to_string())?;
    let identity = Identity::for_user(&pool, "bench");
    let verifier = Verifier::generate(&identity, PASSWORD, &mut rand::rng());
    let password_check = median_ms(200, || {
        assert!(verifier.matches_password(&identity, PASSWORD));
    });
    // The server's share of SRP: B for the challenge, then the proof checked.
    let client = ClientEphemeral::generate(&mut rand::rng());
    let server = ServerEphemeral::generate(&verifier, &mut rand::rng());
    let params = HashMap::from([
        ("SALT".to_owned(), verifier.salt_hex()),
        ("SRP_B".to_owned(), server.srp_b()),
        ("SECRET_BLOCK".to_owned(), STANDARD.encode([7u8; 64])),
        ("USER_ID_FOR_SRP".to_owned(), "bench".to_owned()),
        ("USERNAME".to_owned(), "bench".to_owned()),
    ]);
    let challenge = VerifierChallenge::from_parameters(&params).map_err(|e| e.to_string())?;
    let answer = client
        .password_claim(&pool, PASSWORD, &challenge, Timestamp::now())
        .map_err(|e| e.to_string())?;
    let srp_a = client.srp_a();
    let claim = PasswordClaim {
        srp_a: &srp_a,
        secret_block: &answer.password_claim_secret_block,
        timestamp: &answer.timestamp,
        signature: &answer.password_claim_signature,
    };
    let b = server.secret();
    let srp_b = server.srp_b();
    let srp_server = median_ms(200, || {
        let fresh = ServerEphemeral::generate(&verifier, &mut rand::rng());
        std::hint::black_box(fresh.srp_b());
        let restored = ServerEphemeral::restore(&b, &srp_b).expect("restores");
        restored
            .verify(&verifier, &identity, &claim)
            .expect("verifies");
    });
    println!(
        "{}",
        json!({"rs256_ms": rs256, "password_check_ms": password_check, "srp_server_ms": srp_server})
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("floor") {
        return floor();
    }
    let (url, flow, concurrency, seconds, server_pid) = match args.as_slice() {
        [_, url, flow, concurrency, seconds] => (url, flow, concurrency, seconds, None),
        [_, url, flow, concurrency, seconds, pid] => (url, flow, concurrency, seconds, Some(pid)),
        _ => {
            return Err(
                "usage: loadgen ENDPOINT password|srp CONCURRENCY SECONDS [SERVER_PID] | loadgen floor"
                    .into(),
            );
        }
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
    let cpu_before = server_pid.map(|pid| cpu_ms(pid)).transpose()?;
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
    let server_cpu_ms = match (server_pid, cpu_before) {
        (Some(pid), Some(before)) => Some((cpu_ms(pid)? - before) / all.len() as f64),
        _ => None,
    };
    all.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{}",
        json!({"logins": all.len(), "per_second": all.len() as f64 / elapsed, "p50_ms": pick(0.5),
            "p99_ms": pick(0.99), "server_cpu_ms_per_login": server_cpu_ms})
    );
    Ok(())
}
