//! The client role: the ephemeral `a`, `SRP_A`, and the answer to the verifier challenge.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crypto_bigint::U3072;
use hmac::Mac;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::challenge::{ChallengeResponses, VerifierChallenge};
use crate::device::DeviceCredentials;
use crate::encoding::{enc_bytes, hex_unpadded, parse_hex, uint_from_hex};
use crate::group::{Exponent, group};
use crate::identity::{Identity, PoolId};
use crate::kdf::{claim_mac, private_key, scrambler, session_key};
use crate::{EPHEMERAL_BYTES, SrpError, Timestamp};

/// A client's SRP ephemeral: the secret `a` and the public `A = g^a`.
///
/// Use one per login attempt, and a fresh one for the device step.
///
/// ```
/// use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
/// # use cognito_srp::{Identity, ServerEphemeral, Verifier};
/// # let mut rng = rand::rng();
/// # let pool = PoolId::parse("us-east-1_AbCdEfGhI")?;
/// # let verifier = Verifier::generate(&Identity::for_user(&pool, "alice"), "pw", &mut rng);
/// # let server = ServerEphemeral::generate(&verifier, &mut rng);
///
/// let ephemeral = ClientEphemeral::generate(&mut rand::rng());
/// // InitiateAuth with AuthFlow USER_SRP_AUTH and AuthParameters SRP_A:
/// let srp_a: String = ephemeral.srp_a();
/// // ...the PASSWORD_VERIFIER challenge comes back:
/// let challenge = VerifierChallenge {
///     username: "alice".into(), // USER_ID_FOR_SRP
///     salt: verifier.salt_hex(),
///     srp_b: server.srp_b(),
///     secret_block: "c2VjcmV0".into(),
/// };
/// let answer = ephemeral.password_claim(&pool, "pw", &challenge, Timestamp::now())?;
/// let responses = answer.into_map(); // for RespondToAuthChallenge
/// assert!(responses.contains_key("PASSWORD_CLAIM_SIGNATURE"));
/// # Ok::<(), cognito_srp::SrpError>(())
/// ```
pub struct ClientEphemeral {
    a: Exponent,
    a_pub: U3072,
}

impl ClientEphemeral {
    /// A fresh ephemeral of [`EPHEMERAL_BYTES`] random bytes.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        loop {
            let mut bytes = Zeroizing::new([0u8; EPHEMERAL_BYTES]);
            rng.fill_bytes(bytes.as_mut());
            if let Ok(ephemeral) = Self::from_secret(bytes.as_ref()) {
                return ephemeral;
            }
        }
    }

    /// The ephemeral for a given secret `a` (big-endian bytes), for tests and test vectors.
    /// Its width (the byte length) is public; it must not be zero.
    pub fn from_secret(a: &[u8]) -> Result<Self, SrpError> {
        let a = Exponent::from_be(a)?;
        let a_pub = group().pow_g(&a).retrieve();
        Ok(Self { a, a_pub })
    }

    /// `SRP_A`: unpadded lowercase hex of `A`.
    pub fn srp_a(&self) -> String {
        hex_unpadded(&self.a_pub)
    }

    /// Answers PASSWORD_VERIFIER for a user's password.
    ///
    /// The identity is the pool name and the challenge's `USER_ID_FOR_SRP`, never
    /// the alias the user typed.
    pub fn password_claim(
        &self,
        pool: &PoolId,
        password: &str,
        challenge: &VerifierChallenge,
        timestamp: Timestamp,
    ) -> Result<ChallengeResponses, SrpError> {
        let identity = Identity::for_user(pool, &challenge.username);
        self.claim(&identity, password, challenge, timestamp, None)
    }

    /// Answers DEVICE_PASSWORD_VERIFIER for a remembered device.
    ///
    /// Use a fresh ephemeral (the one sent as `SRP_A` in DEVICE_SRP_AUTH), not the password flow's.
    pub fn device_claim(
        &self,
        device: &DeviceCredentials,
        challenge: &VerifierChallenge,
        timestamp: Timestamp,
    ) -> Result<ChallengeResponses, SrpError> {
        let identity = device.identity();
        let key = Some(device.device_key().to_owned());
        self.claim(&identity, device.password(), challenge, timestamp, key)
    }

    fn claim(
        &self,
        identity: &Identity,
        password: &str,
        challenge: &VerifierChallenge,
        timestamp: Timestamp,
        device_key: Option<String>,
    ) -> Result<ChallengeResponses, SrpError> {
        let group = group();
        let b_pub = uint_from_hex("SRP_B", &challenge.srp_b)?;
        if group.is_zero_mod_n(&b_pub) {
            return Err(SrpError::IllegalServerPublicValue);
        }
        let u = scrambler(&self.a_pub, &b_pub)?;
        let salt = enc_bytes(&parse_hex("SALT", &challenge.salt)?);
        let secret_block = STANDARD
            .decode(&challenge.secret_block)
            .map_err(|_| SrpError::InvalidBase64("SECRET_BLOCK"))?;

        let x = private_key(identity, password, &salt);
        // S = (B - k·g^x)^(a + u·x)
        let base = group.monty(&b_pub) - *group.k() * group.pow_g(&x);
        let s = Zeroizing::new(group.pow(&base, &self.a.plus_product(&u, &x)).retrieve());
        let key = session_key(&s, &u);

        let timestamp = timestamp.to_string();
        let signature = claim_mac(&key, identity, &secret_block, &timestamp).finalize();
        Ok(ChallengeResponses {
            username: challenge.username.clone(),
            password_claim_secret_block: challenge.secret_block.clone(),
            password_claim_signature: STANDARD.encode(signature.into_bytes()),
            timestamp,
            device_key,
        })
    }
}

impl fmt::Debug for ClientEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientEphemeral")
            .field("a", &"<redacted>")
            .field("srp_a", &self.srp_a())
            .finish()
    }
}
