//! The server role: verifiers stored instead of passwords, `B`, and checking a client's claim.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crypto_bigint::U3072;
use hmac::Mac;
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::device::DeviceSecretVerifierConfig;
use crate::encoding::{
    GROUP_BYTES, enc_bytes, enc_uint, hex_lower, hex_unpadded, uint_from_be, uint_from_hex,
};
use crate::group::{Exponent, group};
use crate::identity::Identity;
use crate::kdf::{claim_mac, private_key, scrambler, session_key};
use crate::{EPHEMERAL_BYTES, SrpError};

/// Random bytes in a salt the server makes for a password.
pub const SALT_BYTES: usize = 16;

/// What a server stores instead of a password: the salt and `v = g^x`.
///
/// The verifier allows an offline guessing attack like a password hash does,
/// so it is kept out of `Debug` output; compare passwords with
/// [`matches_password`](Self::matches_password), which runs in constant time.
///
/// ```
/// use cognito_srp::{Identity, PoolId, Verifier};
///
/// let pool = PoolId::parse("us-east-1_AbCdEfGhI")?;
/// let alice = Identity::for_user(&pool, "alice");
/// let stored = Verifier::generate(&alice, "Correct-Horse-1!", &mut rand::rng());
/// // Persist these two byte strings, never the password:
/// let (salt, v) = (stored.salt().to_vec(), stored.verifier_bytes());
/// let loaded = Verifier::from_parts(&salt, &v)?;
/// assert!(loaded.matches_password(&alice, "Correct-Horse-1!"));
/// assert!(!loaded.matches_password(&alice, "correct-horse-1!"));
/// # Ok::<(), cognito_srp::SrpError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    salt: Vec<u8>,
    v: U3072,
}

impl Verifier {
    /// A verifier with a fresh random salt.
    pub fn generate<R: CryptoRng + ?Sized>(
        identity: &Identity,
        password: &str,
        rng: &mut R,
    ) -> Self {
        let mut salt = [0u8; SALT_BYTES];
        rng.fill_bytes(&mut salt);
        Self::with_salt(identity, password, &salt)
    }

    /// The verifier for a given salt (big-endian bytes, as sent in `SALT`).
    pub fn with_salt(identity: &Identity, password: &str, salt: &[u8]) -> Self {
        let x = private_key(identity, password, &enc_bytes(salt));
        Self {
            salt: salt.to_vec(),
            v: group().pow_g(&x).retrieve(),
        }
    }

    /// A stored verifier, from [`salt`](Self::salt) and [`verifier_bytes`](Self::verifier_bytes).
    pub fn from_parts(salt: &[u8], verifier: &[u8]) -> Result<Self, SrpError> {
        let v = uint_from_be("verifier", verifier)?;
        if group().is_zero_mod_n(&v) || v >= *group().n() {
            return Err(SrpError::ValueTooLarge("verifier"));
        }
        Ok(Self {
            salt: salt.to_vec(),
            v,
        })
    }

    /// A device's verifier, from the `DeviceSecretVerifierConfig` of ConfirmDevice.
    pub fn from_device_config(config: &DeviceSecretVerifierConfig) -> Result<Self, SrpError> {
        let decode = |field, text: &str| {
            STANDARD
                .decode(text)
                .map_err(|_| SrpError::InvalidBase64(field))
        };
        let salt = decode("Salt", &config.salt)?;
        let verifier = decode("PasswordVerifier", &config.password_verifier)?;
        Self::from_parts(&salt, &verifier)
    }

    /// The verifier as ConfirmDevice sends it.
    pub fn to_device_config(&self) -> DeviceSecretVerifierConfig {
        DeviceSecretVerifierConfig {
            password_verifier: STANDARD.encode(enc_uint(&self.v)),
            salt: STANDARD.encode(enc_bytes(&self.salt)),
        }
    }

    /// The salt, as given.
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }

    /// `SALT` for the challenge, in a form every client hashes as `x` does here (the
    /// salt's `enc`). Clients read it two ways: amazon-cognito-identity-js parses it as a
    /// number and re-encodes it; pycognito hashes the string as sent after padding it (a
    /// `0` for odd lengths, `00` before a high first digit). So the salt goes as its `enc`
    /// when that is no longer than the salt itself (a device's salt, given by the client
    /// in that form, comes back as it was given), and as the unpadded number otherwise,
    /// as the service sends the salts it makes (`BigInteger.toString(16)`: 32 digits at
    /// most). The raw hex broke pycognito whenever a salt's first byte was zero.
    pub fn salt_hex(&self) -> String {
        let enc = enc_bytes(&self.salt);
        if enc.len() <= self.salt.len() {
            return hex_lower(&enc);
        }
        let full = hex_lower(&self.salt);
        match full.trim_start_matches('0') {
            "" => "0".to_owned(),
            digits => digits.to_owned(),
        }
    }

    /// `v` as minimal big-endian bytes, for storage.
    pub fn verifier_bytes(&self) -> Vec<u8> {
        enc_uint(&self.v)
    }

    #[cfg(test)]
    pub(crate) fn v_for_tests(&self) -> U3072 {
        self.v
    }

    /// Whether `password` is the one this verifier was made from; constant time in the password's hash.
    pub fn matches_password(&self, identity: &Identity, password: &str) -> bool {
        let candidate = Self::with_salt(identity, password, &self.salt);
        bool::from(candidate.v.ct_eq(&self.v))
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("salt", &self.salt_hex())
            .field("v", &"<redacted>")
            .finish()
    }
}

/// The client's claim in answer to a verifier challenge, as the server receives it.
#[derive(Clone, Copy, Debug)]
pub struct PasswordClaim<'a> {
    /// `SRP_A` from the client's first request, hex.
    pub srp_a: &'a str,
    /// `PASSWORD_CLAIM_SECRET_BLOCK`, base64.
    pub secret_block: &'a str,
    /// `TIMESTAMP`, exactly as sent (it is signed as text).
    pub timestamp: &'a str,
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub signature: &'a str,
}

/// A server's SRP ephemeral for one login: the secret `b` and `B = k·v + g^b`.
///
/// ```
/// use cognito_srp::{ClientEphemeral, Identity, PasswordClaim, PoolId, ServerEphemeral,
///                   SrpError, Timestamp, Verifier, VerifierChallenge};
///
/// let mut rng = rand::rng();
/// let pool = PoolId::parse("eu-west-1_Example1")?;
/// let alice = Identity::for_user(&pool, "alice");
/// let stored = Verifier::generate(&alice, "Correct-Horse-1!", &mut rng);
///
/// let client = ClientEphemeral::generate(&mut rng);
/// let server = ServerEphemeral::generate(&stored, &mut rng);
/// let challenge = VerifierChallenge {
///     username: "alice".into(),
///     salt: stored.salt_hex(),
///     srp_b: server.srp_b(),
///     secret_block: "b3BhcXVl".into(),
/// };
/// let answer = client.password_claim(&pool, "Correct-Horse-1!", &challenge, Timestamp::now())?;
/// let srp_a = client.srp_a();
/// let claim = PasswordClaim {
///     srp_a: &srp_a,
///     secret_block: &answer.password_claim_secret_block,
///     timestamp: &answer.timestamp,
///     signature: &answer.password_claim_signature,
/// };
/// assert_eq!(server.verify(&stored, &alice, &claim), Ok(()));
///
/// let wrong = client.password_claim(&pool, "guess", &challenge, Timestamp::now())?;
/// let claim = PasswordClaim { signature: &wrong.password_claim_signature, ..claim };
/// assert_eq!(server.verify(&stored, &alice, &claim), Err(SrpError::SignatureMismatch));
/// # Ok::<(), SrpError>(())
/// ```
pub struct ServerEphemeral {
    b: Exponent,
    b_pub: U3072,
}

impl ServerEphemeral {
    /// A fresh ephemeral of [`EPHEMERAL_BYTES`] random bytes for this verifier.
    pub fn generate<R: CryptoRng + ?Sized>(verifier: &Verifier, rng: &mut R) -> Self {
        loop {
            let mut bytes = Zeroizing::new([0u8; EPHEMERAL_BYTES]);
            rng.fill_bytes(bytes.as_mut());
            if let Ok(ephemeral) = Self::from_secret(verifier, bytes.as_ref()) {
                return ephemeral;
            }
        }
    }

    /// The ephemeral for a given secret `b` (big-endian bytes): for test vectors, and for
    /// a server that keeps `b` between the two requests of a login (see [`secret`](Self::secret)).
    pub fn from_secret(verifier: &Verifier, b: &[u8]) -> Result<Self, SrpError> {
        let group = group();
        let b = Exponent::from_be(b)?;
        let b_pub = (*group.k() * group.monty(&verifier.v) + group.pow_g(&b)).retrieve();
        if group.is_zero_mod_n(&b_pub) {
            return Err(SrpError::IllegalServerPublicValue);
        }
        Ok(Self { b, b_pub })
    }

    /// The ephemeral a server kept between the two requests of a login: its secret `b`
    /// and the `SRP_B` it sent (as [`srp_b`](Self::srp_b) gave it). Unlike
    /// [`from_secret`](Self::from_secret) it does not compute `B` again: the caller
    /// vouches that `srp_b` came from this `b`.
    pub fn restore(b: &[u8], srp_b: &str) -> Result<Self, SrpError> {
        let b = Exponent::from_be(b)?;
        let b_pub = uint_from_hex("SRP_B", srp_b)?;
        if group().is_zero_mod_n(&b_pub) {
            return Err(SrpError::IllegalServerPublicValue);
        }
        Ok(Self { b, b_pub })
    }

    /// `SRP_B`: unpadded lowercase hex of `B`.
    pub fn srp_b(&self) -> String {
        hex_unpadded(&self.b_pub)
    }

    /// The secret `b` as big-endian bytes, zeroized on drop; keep it sealed.
    pub fn secret(&self) -> Zeroizing<Vec<u8>> {
        let bytes = Zeroizing::new(self.b.value().to_be_bytes());
        let width = bytes.as_ref().len() - (self.b.bits() as usize).div_ceil(8);
        Zeroizing::new(bytes.as_ref()[width..].to_vec())
    }

    /// Checks a client's PASSWORD_CLAIM_SIGNATURE; `Ok` means the client knows the password.
    ///
    /// The timestamp's freshness is the caller's policy: see
    /// [`Timestamp::check_fresh`](crate::Timestamp::check_fresh).
    pub fn verify(
        &self,
        verifier: &Verifier,
        identity: &Identity,
        claim: &PasswordClaim<'_>,
    ) -> Result<(), SrpError> {
        let group = group();
        let a_pub = client_public(claim.srp_a)?;
        let u = scrambler(&a_pub, &self.b_pub)?;
        let secret_block = STANDARD
            .decode(claim.secret_block)
            .map_err(|_| SrpError::InvalidBase64("PASSWORD_CLAIM_SECRET_BLOCK"))?;
        let signature = STANDARD
            .decode(claim.signature)
            .map_err(|_| SrpError::InvalidBase64("PASSWORD_CLAIM_SIGNATURE"))?;

        // S = (A · v^u)^b
        let u_exponent = Exponent::from_uint(u, 256);
        let v_u = group.pow(&group.monty(&verifier.v), &u_exponent);
        let s = Zeroizing::new(group.pow(&(group.monty(&a_pub) * v_u), &self.b).retrieve());
        let key = session_key(&s, &u);
        claim_mac(&key, identity, &secret_block, claim.timestamp)
            .verify_slice(&signature)
            .map_err(|_| SrpError::SignatureMismatch)
    }
}

/// Checks a client's `SRP_A` as a server must before it keeps or uses it: hexadecimal,
/// no wider than the group (at most 770 digits, room for a sign byte), and not 0 mod N.
///
/// ```
/// use cognito_srp::{ClientEphemeral, SrpError, check_srp_a};
///
/// let client = ClientEphemeral::generate(&mut rand::rng());
/// assert!(check_srp_a(&client.srp_a()).is_ok());
/// assert_eq!(check_srp_a("0"), Err(SrpError::IllegalClientPublicValue));
/// assert_eq!(check_srp_a("xyz"), Err(SrpError::InvalidHex("SRP_A")));
/// assert_eq!(check_srp_a(&"1".repeat(100_000)), Err(SrpError::ValueTooLarge("SRP_A")));
/// ```
pub fn check_srp_a(srp_a: &str) -> Result<(), SrpError> {
    client_public(srp_a).map(|_| ())
}

/// The client's public value A, checked as [`check_srp_a`] says.
fn client_public(srp_a: &str) -> Result<U3072, SrpError> {
    if srp_a.len() > 2 * GROUP_BYTES + 2 {
        return Err(SrpError::ValueTooLarge("SRP_A"));
    }
    let a_pub = uint_from_hex("SRP_A", srp_a)?;
    if group().is_zero_mod_n(&a_pub) {
        return Err(SrpError::IllegalClientPublicValue);
    }
    Ok(a_pub)
}

impl fmt::Debug for ServerEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerEphemeral")
            .field("b", &"<redacted>")
            .field("srp_b", &self.srp_b())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Identity;

    /// `SALT` hashes to the salt's `enc` for pycognito (which pads the string as sent)
    /// and amazon-cognito-identity-js (which re-encodes the number) alike.
    #[test]
    fn salt_is_sent_as_its_encoding() {
        let pool = crate::PoolId::parse("us-east-1_AbCdEfGhI").unwrap();
        let identity = Identity::for_user(&pool, "ann");
        let sent = |salt: &[u8]| Verifier::with_salt(&identity, "pw", salt).salt_hex();
        assert_eq!(sent(&[0, 0, 0x54, 0x21]), "5421");
        assert_eq!(sent(&[0, 0xa5, 0x4c]), "00a54c");
        assert_eq!(sent(&[0xf3, 0x01]), "f301");
        assert_eq!(sent(&[0x0a, 0x12]), "0a12");
    }
}
