//! Full verification of a cached-key RS256 Cognito token against the raw RS256
//! signature check of the same crypto library. Writes the token and its JWKS to
//! `target/jwt-bench/` so that `bench/jwt.sh` can time PyJWT and aws-jwt-verify on them.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

const POOL: &str = "us-east-1_BenchPool1";
const CLIENT: &str = "1example23456789abcdefghij";

fn benches(c: &mut Criterion) {
    let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    let public = pair.public_key();
    let (n, e) = (
        public.modulus().big_endian_without_leading_zero().to_vec(),
        public.exponent().big_endian_without_leading_zero().to_vec(),
    );
    let jwks = json!({"keys": [{"kty": "RSA", "kid": "bench", "alg": "RS256", "use": "sig",
        "n": B64.encode(&n), "e": B64.encode(&e)}]});
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({
        "sub": "5f1c7a4e-0000-4000-8000-000000000001",
        "iss": format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}"),
        "client_id": CLIENT, "origin_jti": "8a3f2b5c-1111-4222-8333-944445555666",
        "event_id": "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b", "token_use": "access",
        "scope": "aws.cognito.signin.user.admin", "auth_time": now, "exp": now + 86_400,
        "iat": now, "jti": "2f7e9d1c-2222-4333-8444-a5555666b777", "username": "alice",
        "cognito:groups": ["admin", "editors"], "version": 2,
    });
    let input = format!(
        "{}.{}",
        B64.encode(json!({"kid": "bench", "alg": "RS256"}).to_string()),
        B64.encode(claims.to_string())
    );
    let mut signature = vec![0u8; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .unwrap();
    let token = format!("{input}.{}", B64.encode(&signature));

    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/jwt-bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("token"), &token).unwrap();
    std::fs::write(out.join("jwks.json"), jwks.to_string()).unwrap();
    std::fs::write(
        out.join("params.json"),
        json!({"pool": POOL, "client": CLIENT}).to_string(),
    )
    .unwrap();

    let pool = PoolConfig::new(POOL, TokenUse::Access, ClientIds::one(CLIENT))
        .unwrap()
        .static_jwks(&jwks.to_string())
        .unwrap();
    let verifier = CognitoJwtVerifier::new(pool).unwrap();
    verifier
        .verify_cached(&token)
        .expect("the bench token verifies");
    let key = PublicKeyComponents {
        n: &n[..],
        e: &e[..],
    }
    .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
    .unwrap();

    let mut group = c.benchmark_group("verify");
    group.bench_function("cognito-jwt", |b| {
        b.iter(|| black_box(verifier.verify_cached(black_box(&token)).unwrap()))
    });
    group.bench_function("raw-rs256", |b| {
        b.iter(|| {
            key.verify_sig(black_box(input.as_bytes()), black_box(&signature))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = verify;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(verify);
