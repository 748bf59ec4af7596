//! SECRET_HASH, for app clients that have a client secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn mac(client_secret: &str, username: &str, client_id: &str) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()).expect("HMAC takes any key");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    mac
}

/// `Base64(HMAC-SHA256(client secret, username ‖ client id))`.
///
/// ```
/// let hash = cognito_srp::secret_hash(
///     "example0client0secret0value0abcdefghijklmnopqrstuvwxy",
///     "alice@example.com",
///     "1example23456789abcdefghij",
/// );
/// assert_eq!(hash, "I/Z+Vt8bixA9eYIpwvHkW9CqD1xdfEil9r+b7mRySTo=");
/// ```
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    STANDARD.encode(
        mac(client_secret, username, client_id)
            .finalize()
            .into_bytes(),
    )
}

/// Whether `claimed` is the SECRET_HASH of `username` for this client, compared in constant time.
///
/// ```
/// let secret = "example0client0secret0value0abcdefghijklmnopqrstuvwxy";
/// let id = "1example23456789abcdefghij";
/// let hash = cognito_srp::secret_hash(secret, "alice", id);
/// assert!(cognito_srp::verify_secret_hash(secret, "alice", id, &hash));
/// assert!(!cognito_srp::verify_secret_hash(secret, "bob", id, &hash));
/// assert!(!cognito_srp::verify_secret_hash(secret, "alice", id, "not base64!"));
/// ```
pub fn verify_secret_hash(
    client_secret: &str,
    username: &str,
    client_id: &str,
    claimed: &str,
) -> bool {
    match STANDARD.decode(claimed) {
        Ok(bytes) => mac(client_secret, username, client_id)
            .verify_slice(&bytes)
            .is_ok(),
        Err(_) => false,
    }
}
