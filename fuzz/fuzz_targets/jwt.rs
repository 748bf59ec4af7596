//! cognito-jwt: any string as a token, and any bytes as the claims of a token signed
//! with the right key (so that claim parsing and policy are reached too).
#![no_main]

use std::sync::OnceLock;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use libfuzzer_sys::fuzz_target;

const POOL: &str = "us-east-1_Fuzz1234";

struct Setup {
    key: KeyPair,
    verifier: CognitoJwtVerifier,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let key = KeyPair::generate(KeySize::Rsa2048).expect("a key");
        let public = key.public_key();
        let jwks = serde_json::json!({"keys": [{
            "kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        }]});
        let config = PoolConfig::new(POOL, TokenUse::Any, ClientIds::Any)
            .and_then(|c| c.static_jwks(&jwks.to_string()))
            .expect("a config");
        let verifier = CognitoJwtVerifier::new(config).expect("a verifier");
        Setup { key, verifier }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = setup.verifier.verify_cached(text);
    }
    // The bytes as claims, signed for real.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"k1"}"#);
    let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(data));
    let mut signature = vec![0u8; setup.key.public_modulus_len()];
    if setup
        .key
        .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), input.as_bytes(), &mut signature)
        .is_ok()
    {
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(&signature));
        let _ = setup.verifier.verify_cached(&token);
    }
});
