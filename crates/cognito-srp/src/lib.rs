//! Amazon Cognito's flavour of SRP-6a, for both sides of a login.
//!
//! Cognito user pools log users in with SRP (`USER_SRP_AUTH`) and remembered
//! devices with a second SRP exchange (`DEVICE_SRP_AUTH`). This crate holds the
//! maths of both, for the client ([`ClientEphemeral`], [`DeviceCredentials`])
//! and for a server ([`Verifier`], [`ServerEphemeral`]), plus the two small
//! things every Cognito client needs: [`secret_hash`] and the [`Timestamp`]
//! format. It is pure and synchronous: no I/O, no async, no clock except
//! [`Timestamp::now`].
//!
//! # The protocol
//! * Group: the 3072-bit prime of RFC 5054, `g = 2`, `k = H(enc(N) ‖ enc(g))`,
//!   where `H` is SHA-256 and `enc` the minimal big-endian two's-complement
//!   encoding (a leading `0x00` when the top bit is set).
//! * `u = H(enc(A) ‖ enc(B))`; `x = H(enc(salt) ‖ H(realm ‖ user ‖ ":" ‖ password))`
//!   where (realm, user) is the [`Identity`]: (pool name, `USER_ID_FOR_SRP`) for a
//!   password, (device group key, device key) for a device.
//! * Session key: HKDF-SHA256 with salt `enc(u)`, input `enc(S)`, info
//!   `"Caldera Derived Key"`, 16 bytes.
//! * `PASSWORD_CLAIM_SIGNATURE = Base64(HMAC-SHA256(key, realm ‖ user ‖ secret block ‖ TIMESTAMP))`.
//!
//! Every value reproduces the test vectors cross-checked against pycognito and
//! amazon-cognito-identity-js byte for byte (`tests/data/srp.json`).
//!
//! # Safety checks
//! The client refuses `B ≡ 0 (mod N)` and `u = 0`; the server refuses
//! `A ≡ 0 (mod N)` and `u = 0`. Claim signatures and passwords are compared in
//! constant time. Secret exponents, `x`, `S` and the session key are zeroized
//! when dropped and shown as `<redacted>` by `Debug`.
//!
//! # Sizes of the secret exponents
//! Ephemeral exponents `a` and `b` are [`EPHEMERAL_BYTES`] = 32 random bytes
//! (256 bits). The 3072-bit group offers about 128 bits of security (NIST SP
//! 800-57); a discrete logarithm of a 256-bit exponent costs about 2^128 with
//! Pollard's kangaroo, so 256 bits matches the group, as RFC 5054 (at least 256
//! bits) and NIST SP 800-56A (at least twice the security strength) ask. N is a
//! safe prime, so the short-exponent attacks that need a smooth group order do
//! not apply. pycognito and amazon-cognito-identity-js draw 1024 bits; that buys
//! no security over the group's and costs four times the work. The other side
//! cannot tell the difference, and [`ClientEphemeral::from_secret`] accepts any
//! width, so their vectors still reproduce.
//!
//! All exponentiations with a secret exponent or base are constant-time for
//! the exponent's public width (crypto-bigint's Montgomery arithmetic). Powers
//! of `g` with exponents of at most 256 bits (`A`, `g^b`, `v = g^x`) use a
//! table of `g^(j·16^i)` built once per process (about 5 ms, 384 KiB), read
//! with constant-time selection: 64 multiplications instead of 256 squarings
//! and 64 multiplications.
//!
//! # A whole login, both sides
//! ```
//! use cognito_srp::{ClientEphemeral, Identity, PasswordClaim, PoolId, ServerEphemeral,
//!                   Timestamp, Verifier, VerifierChallenge};
//!
//! let mut rng = rand::rng();
//! let pool = PoolId::parse("us-east-1_AbCdEfGhI")?;
//! let user = Identity::for_user(&pool, "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
//! let stored = Verifier::generate(&user, "Correct-Horse-Battery-Staple-1!", &mut rng);
//!
//! // Client: InitiateAuth(USER_SRP_AUTH, SRP_A)
//! let client = ClientEphemeral::generate(&mut rng);
//! // Server: the PASSWORD_VERIFIER challenge
//! let server = ServerEphemeral::generate(&stored, &mut rng);
//! let challenge = VerifierChallenge {
//!     username: user.user().to_owned(),
//!     salt: stored.salt_hex(),
//!     srp_b: server.srp_b(),
//!     secret_block: "b3BhcXVlIHNlcnZlciBzdGF0ZQ==".to_owned(),
//! };
//! // Client: RespondToAuthChallenge(PASSWORD_VERIFIER, ...)
//! let answer = client.password_claim(
//!     &pool, "Correct-Horse-Battery-Staple-1!", &challenge, Timestamp::now())?;
//! // Server: check the claim
//! let srp_a = client.srp_a();
//! server.verify(&stored, &user, &PasswordClaim {
//!     srp_a: &srp_a,
//!     secret_block: &answer.password_claim_secret_block,
//!     timestamp: &answer.timestamp,
//!     signature: &answer.password_claim_signature,
//! })?;
//! # Ok::<(), cognito_srp::SrpError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod challenge;
mod client;
mod device;
mod encoding;
mod error;
mod group;
mod identity;
mod kdf;
mod secret_hash;
mod server;
mod timestamp;

#[cfg(test)]
mod vectors;

pub use challenge::{ChallengeResponses, VerifierChallenge};
pub use client::ClientEphemeral;
pub use device::{
    DEVICE_PASSWORD_BYTES, DEVICE_SALT_BYTES, DeviceCredentials, DeviceSecretVerifierConfig,
};
pub use error::SrpError;
pub use group::{G, N_HEX};
pub use identity::{Identity, PoolId};
pub use secret_hash::{secret_hash, verify_secret_hash};
pub use server::{PasswordClaim, SALT_BYTES, ServerEphemeral, Verifier, check_srp_a};
pub use timestamp::Timestamp;

/// Random bytes in a fresh ephemeral exponent `a` or `b` (256 bits; see the crate docs).
pub const EPHEMERAL_BYTES: usize = 32;
