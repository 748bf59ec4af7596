//! Test keys, token minting, and a real JWKS server on 127.0.0.1 that counts its fetches.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

pub const POOL: &str = "us-east-1_TestPool1";
pub const CLIENT: &str = "1example23456789abcdefghij";

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// An RSA-2048 signing key with a kid.
pub struct Signer {
    pub kid: String,
    pair: KeyPair,
}

impl Signer {
    pub fn new(kid: &str) -> Self {
        Self {
            kid: kid.to_owned(),
            pair: KeyPair::generate(KeySize::Rsa2048).unwrap(),
        }
    }

    pub fn jwk(&self) -> Value {
        let public = self.pair.public_key();
        json!({
            "kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig",
            "n": b64(public.modulus().big_endian_without_leading_zero()),
            "e": b64(public.exponent().big_endian_without_leading_zero()),
        })
    }

    /// The DER public key bytes, as an attacker would use them for an HMAC secret.
    pub fn public_der(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }

    pub fn sign_raw(&self, header: &Value, claims: &Value) -> String {
        let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .unwrap();
        format!("{input}.{}", b64(signature))
    }

    pub fn sign(&self, claims: &Value) -> String {
        self.sign_raw(&json!({"alg": "RS256", "kid": self.kid}), claims)
    }
}

pub fn id_claims(iss: &str) -> Value {
    let t = now();
    json!({
        "sub": "5f1c7a4e-0000-4000-8000-000000000001", "iss": iss, "aud": CLIENT,
        "token_use": "id", "auth_time": t, "iat": t, "exp": t + 3600,
        "jti": "jti-1", "origin_jti": "ojti-1", "event_id": "ev-1",
        "cognito:username": "alice", "cognito:groups": ["admin"],
        "email": "alice@example.com", "email_verified": true,
        "custom:tier": "gold", "custom:age": 42,
    })
}

pub fn access_claims(iss: &str) -> Value {
    let t = now();
    json!({
        "sub": "5f1c7a4e-0000-4000-8000-000000000001", "iss": iss, "client_id": CLIENT,
        "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": t, "iat": t, "exp": t + 3600, "jti": "jti-2", "origin_jti": "ojti-1",
        "event_id": "ev-1", "username": "alice", "cognito:groups": ["admin"], "version": 2,
    })
}

/// A JWKS endpoint whose keys the test can change, counting how often it is fetched.
#[derive(Clone)]
pub struct JwksServer {
    pub base: String,
    pub keys: Arc<Mutex<Vec<Value>>>,
    pub fetches: Arc<AtomicUsize>,
    pub status: Arc<Mutex<StatusCode>>,
    pub delay: Arc<Mutex<Duration>>,
}

impl JwksServer {
    pub async fn start(keys: Vec<Value>) -> Self {
        let server = Self {
            base: String::new(),
            keys: Arc::new(Mutex::new(keys)),
            fetches: Arc::new(AtomicUsize::new(0)),
            status: Arc::new(Mutex::new(StatusCode::OK)),
            delay: Arc::new(Mutex::new(Duration::ZERO)),
        };
        async fn jwks(State(s): State<JwksServer>) -> (StatusCode, Json<Value>) {
            s.fetches.fetch_add(1, Ordering::SeqCst);
            let delay = *s.delay.lock().unwrap();
            tokio::time::sleep(delay).await;
            let status = *s.status.lock().unwrap();
            (status, Json(json!({ "keys": *s.keys.lock().unwrap() })))
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Self { base, ..server };
        let app = Router::new()
            .route("/{pool}/.well-known/jwks.json", get(jwks))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    pub fn issuer(&self, pool: &str) -> String {
        format!("{}/{pool}", self.base)
    }

    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}
