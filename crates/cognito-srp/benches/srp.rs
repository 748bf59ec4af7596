//! Hot paths of Cognito's SRP, and the same client handshake on OpenSSL's BIGNUM
//! with the same exponent sizes, for the ratio `bench/srp.sh` prints.

use std::hint::black_box;
use std::time::Duration;

use cognito_srp::{
    ClientEphemeral, DeviceCredentials, Identity, PasswordClaim, PoolId, ServerEphemeral,
    Timestamp, Verifier, VerifierChallenge,
};
use criterion::{Criterion, criterion_group, criterion_main};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use sha2::{Digest, Sha256};

const POOL: &str = "us-east-1_AbCdEfGhI";
const USER: &str = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const PASSWORD: &str = "Correct-Horse-Battery-Staple-1!";
const SECRET_BLOCK: &str = "c2VydmVyIHN0YXRlIGZvciB0aGlzIGxvZ2lu";

struct Fixture {
    pool: PoolId,
    identity: Identity,
    verifier: Verifier,
    server: ServerEphemeral,
    challenge: VerifierChallenge,
}

fn fixture() -> Fixture {
    let mut rng = rand::rng();
    let pool = PoolId::parse(POOL).unwrap();
    let identity = Identity::for_user(&pool, USER);
    let verifier = Verifier::generate(&identity, PASSWORD, &mut rng);
    let server = ServerEphemeral::generate(&verifier, &mut rng);
    let challenge = VerifierChallenge {
        username: USER.into(),
        salt: verifier.salt_hex(),
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK.into(),
    };
    Fixture {
        pool,
        identity,
        verifier,
        server,
        challenge,
    }
}

/// The client handshake on OpenSSL BIGNUM (variable-time, its fastest), same exponent sizes.
mod openssl_client {
    use super::*;

    pub struct Group {
        pub n: BigNum,
        pub g: BigNum,
        pub k: BigNum,
    }

    fn enc(value: &BigNumRef) -> Vec<u8> {
        let bytes = value.to_vec();
        match bytes.first() {
            Some(b) if b & 0x80 == 0 => bytes,
            _ => [&[0u8][..], &bytes].concat(),
        }
    }

    fn num(bytes: &[u8]) -> BigNum {
        BigNum::from_slice(bytes).unwrap()
    }

    pub fn group() -> Group {
        let n = BigNum::from_hex_str(cognito_srp::N_HEX).unwrap();
        let g = BigNum::from_u32(2).unwrap();
        let k = num(&Sha256::new()
            .chain_update(enc(&n))
            .chain_update(enc(&g))
            .finalize());
        Group { n, g, k }
    }

    pub fn handshake(group: &Group, a_bytes: &[u8], challenge: &VerifierChallenge) -> String {
        let mut ctx = BigNumContext::new().unwrap();
        let a = num(a_bytes);
        let mut big_a = BigNum::new().unwrap();
        big_a.mod_exp(&group.g, &a, &group.n, &mut ctx).unwrap();
        let srp_a = big_a.to_hex_str().unwrap().to_lowercase();

        let big_b = BigNum::from_hex_str(&challenge.srp_b).unwrap();
        let salt = BigNum::from_hex_str(&challenge.salt).unwrap();
        let u = num(&Sha256::new()
            .chain_update(enc(&big_a))
            .chain_update(enc(&big_b))
            .finalize());
        let pool = POOL.split('_').nth(1).unwrap();
        let inner = Sha256::new()
            .chain_update(pool)
            .chain_update(&challenge.username)
            .chain_update(":")
            .chain_update(PASSWORD)
            .finalize();
        let x = num(&Sha256::new()
            .chain_update(enc(&salt))
            .chain_update(inner)
            .finalize());
        let mut g_x = BigNum::new().unwrap();
        g_x.mod_exp(&group.g, &x, &group.n, &mut ctx).unwrap();
        let mut k_g_x = BigNum::new().unwrap();
        k_g_x.mod_mul(&group.k, &g_x, &group.n, &mut ctx).unwrap();
        let mut base = BigNum::new().unwrap();
        base.mod_sub(&big_b, &k_g_x, &group.n, &mut ctx).unwrap();
        let mut u_x = BigNum::new().unwrap();
        u_x.checked_mul(&u, &x, &mut ctx).unwrap();
        let mut exponent = BigNum::new().unwrap();
        exponent.checked_add(&a, &u_x).unwrap();
        let mut s = BigNum::new().unwrap();
        s.mod_exp(&base, &exponent, &group.n, &mut ctx).unwrap();

        let mut key = [0u8; 16];
        Hkdf::<Sha256>::new(Some(&enc(&u)), &enc(&s))
            .expand(b"Caldera Derived Key", &mut key)
            .unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(pool.as_bytes());
        mac.update(challenge.username.as_bytes());
        mac.update(
            &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, SECRET_BLOCK)
                .unwrap(),
        );
        mac.update(Timestamp::now().to_string().as_bytes());
        let _signature = mac.finalize();
        srp_a
    }
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    let mut group = c.benchmark_group("client_handshake");
    group.bench_function("cognito-srp", |b| {
        b.iter(|| {
            let client = ClientEphemeral::generate(&mut rand::rng());
            let srp_a = client.srp_a();
            let answer = client.password_claim(&f.pool, PASSWORD, &f.challenge, Timestamp::now());
            black_box((srp_a, answer.unwrap()))
        })
    });
    let ossl = openssl_client::group();
    group.bench_function("openssl-bn", |b| {
        b.iter(|| {
            let mut a = [0u8; cognito_srp::EPHEMERAL_BYTES];
            rand::Rng::fill_bytes(&mut rand::rng(), &mut a);
            black_box(openssl_client::handshake(&ossl, &a, &f.challenge))
        })
    });
    group.finish();

    let client = ClientEphemeral::generate(&mut rand::rng());
    let srp_a = client.srp_a();
    let answer = client
        .password_claim(&f.pool, PASSWORD, &f.challenge, Timestamp::now())
        .unwrap();
    let claim = PasswordClaim {
        srp_a: &srp_a,
        secret_block: &answer.password_claim_secret_block,
        timestamp: &answer.timestamp,
        signature: &answer.password_claim_signature,
    };
    c.bench_function("server_verification", |b| {
        b.iter(|| {
            // B for the challenge, then the claim check: the server's whole share of a login.
            let server = ServerEphemeral::from_secret(&f.verifier, &f.server.secret()).unwrap();
            black_box(server.srp_b());
            server.verify(&f.verifier, &f.identity, &claim).unwrap()
        })
    });
    c.bench_function("password_check", |b| {
        b.iter(|| assert!(f.verifier.matches_password(&f.identity, PASSWORD)))
    });
    c.bench_function("device_verifier_generation", |b| {
        b.iter(|| {
            black_box(DeviceCredentials::generate(
                "us-east-1_0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0",
                "-Zt9Kq3Lw",
                &mut rand::rng(),
            ))
        })
    });
}

criterion_group! {
    name = srp;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(srp);
