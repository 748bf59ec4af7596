//! cognito-srp: hex values, TIMESTAMP strings and challenge parameters from anywhere,
//! answered as a client would (which parses SALT, SRP_B and SECRET_BLOCK).
#![no_main]

use std::collections::HashMap;

use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge, check_srp_a};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = check_srp_a(text);
    let _ = Timestamp::parse(text);
    let _ = PoolId::parse(text);
    // Lines of NAME=VALUE as the parameters of a PASSWORD_VERIFIER challenge.
    let params: HashMap<String, String> = text
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    if let Ok(challenge) = VerifierChallenge::from_parameters(&params) {
        let client = ClientEphemeral::from_secret(&[7u8; 32]).expect("a secret");
        let pool = PoolId::parse("us-east-1_Fuzz1234").expect("a pool id");
        let when = Timestamp::from_unix(1_764_000_000).expect("a time");
        let _ = client.password_claim(&pool, "Passw0rd!", &challenge, when);
    }
});
