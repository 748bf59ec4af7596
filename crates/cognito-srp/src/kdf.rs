//! The hashes of Cognito's SRP: u, x, the HKDF session key and the claim signature.

use crypto_bigint::U3072;
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::SrpError;
use crate::encoding::{enc_secret, enc_uint, uint_from_be};
use crate::group::Exponent;
use crate::identity::Identity;

/// HKDF info of Cognito's session key.
const HKDF_INFO: &[u8] = b"Caldera Derived Key";

/// The 16-byte session key both sides derive; zeroized on drop, never printed.
pub(crate) struct SessionKey([u8; 16]);

impl SessionKey {
    #[cfg(test)]
    pub(crate) fn bytes_for_tests(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for SessionKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// u = H(enc(A) ‖ enc(B)), refused when zero.
pub(crate) fn scrambler(a_pub: &U3072, b_pub: &U3072) -> Result<U3072, SrpError> {
    let mut hasher = Sha256::new();
    hasher.update(enc_uint(a_pub));
    hasher.update(enc_uint(b_pub));
    nonzero_scrambler(&hasher.finalize())
}

/// The digest as u, unless it is zero.
fn nonzero_scrambler(digest: &[u8]) -> Result<U3072, SrpError> {
    let u = uint_from_be("u", digest)?;
    if u == U3072::ZERO {
        return Err(SrpError::ZeroScrambler);
    }
    Ok(u)
}

/// x = H(enc(salt) ‖ H(realm ‖ user ‖ ":" ‖ password)).
pub(crate) fn private_key(identity: &Identity, password: &str, salt_enc: &[u8]) -> Exponent {
    let mut inner = Sha256::new();
    inner.update(identity.realm().as_bytes());
    inner.update(identity.user().as_bytes());
    inner.update(b":");
    inner.update(password.as_bytes());
    let inner = Zeroizing::new(<[u8; 32]>::from(inner.finalize()));
    let mut outer = Sha256::new();
    outer.update(salt_enc);
    outer.update(inner.as_ref());
    let x = Zeroizing::new(<[u8; 32]>::from(outer.finalize()));
    // A SHA-256 output is 32 bytes, so this never fails; x = 0 has probability 2^-256.
    Exponent::from_be(x.as_ref()).unwrap_or_else(|_| Exponent::from_be(&[1]).expect("non-zero"))
}

/// The session key: HKDF-SHA256(ikm = enc(S), salt = enc(u), info = "Caldera Derived Key"), 16 bytes.
pub(crate) fn session_key(s: &U3072, u: &U3072) -> SessionKey {
    let ikm = enc_secret(s);
    let salt = enc_uint(u);
    let mut key = [0u8; 16];
    Hkdf::<Sha256>::new(Some(&salt), &ikm)
        .expand(HKDF_INFO, &mut key)
        .expect("16 bytes is a valid HKDF-SHA256 length");
    SessionKey(key)
}

/// The MAC behind PASSWORD_CLAIM_SIGNATURE, fed with realm ‖ user ‖ secret block ‖ timestamp.
pub(crate) fn claim_mac(
    key: &SessionKey,
    identity: &Identity,
    secret_block: &[u8],
    timestamp: &str,
) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes any key length");
    mac.update(identity.realm().as_bytes());
    mac.update(identity.user().as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_scrambler_is_refused() {
        assert_eq!(nonzero_scrambler(&[0u8; 32]), Err(SrpError::ZeroScrambler));
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(nonzero_scrambler(&one), Ok(U3072::ONE));
    }
}
