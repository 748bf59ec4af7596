//! Token signing: a pool's RSA key, compact JWS signing and checking, the JWK, refresh
//! tokens and their hashes. It knows no record: the domain keeps keys, `ops::auth`
//! says what tokens claim.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{
    KeyPair as _, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

use crate::error::{CognitoError, ErrorKind, OpResult};

/// Parsed signing keys by `kid`.
static KEYS: LazyLock<Mutex<HashMap<String, Arc<SigningKey>>>> = LazyLock::new(Default::default);

/// A pool's RSA-2048 signing key.
pub struct SigningKey {
    kid: String,
    pair: KeyPair,
    /// The public half, parsed once for checking access tokens.
    public: ParsedPublicKey,
}

impl SigningKey {
    /// A new key, its `kid`, and its private half (PKCS#8 DER, base64) to keep.
    pub fn generate() -> OpResult<(Self, String, String)> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(CognitoError::internal)?;
        let der = pair.as_der().map_err(CognitoError::internal)?;
        let kid = URL_SAFE_NO_PAD.encode(
            &aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, pair.public_key().as_ref())
                .as_ref()[..16],
        );
        let pkcs8 = STANDARD.encode(der.as_ref());
        Ok((Self::new(kid.clone(), pair)?, kid, pkcs8))
    }

    fn new(kid: String, pair: KeyPair) -> OpResult<Self> {
        let public = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, pair.public_key().as_ref())
            .map_err(CognitoError::internal)?;
        Ok(Self { kid, pair, public })
    }

    /// The key kept as `pkcs8` (base64 DER). Parsed keys are cached by `kid` (a hash of
    /// the public key): parsing and checking an RSA private key costs more than signing.
    pub fn load(kid: &str, pkcs8: &str) -> OpResult<Arc<Self>> {
        let mut cache = KEYS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = cache.get(kid) {
            return Ok(key.clone());
        }
        let der = STANDARD.decode(pkcs8).map_err(CognitoError::internal)?;
        let pair = KeyPair::from_pkcs8(&der).map_err(CognitoError::internal)?;
        let key = Arc::new(Self::new(kid.to_owned(), pair)?);
        cache.insert(kid.to_owned(), key.clone());
        Ok(key)
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Value {
        let public = self.pair.public_key();
        json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "use": "sig",
        })
    }

    /// A compact RS256 JWS of `claims`.
    pub fn sign(&self, claims: &Value) -> OpResult<String> {
        let header = json!({"kid": self.kid, "alg": "RS256"});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .map_err(CognitoError::internal)?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    /// The claims of a token this key signed, if the signature holds.
    pub fn verify(&self, token: &str) -> Option<Map<String, Value>> {
        let (input, signature) = token.rsplit_once('.')?;
        let (header, payload) = input.split_once('.')?;
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header["alg"] != "RS256" || header["kid"] != self.kid.as_str() {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.public.verify_sig(input.as_bytes(), &signature).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }
}

/// SHA-256 of a refresh token, hex: all the store keeps of it.
pub fn refresh_hash(token: &str) -> String {
    crate::hex::encode(
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes()).as_ref(),
    )
}

/// A new opaque refresh token.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 48];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system RNG works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The pool id an access token claims to come from (read before its signature is checked).
pub fn claimed_pool(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims["iss"]
        .as_str()?
        .rsplit('/')
        .next()
        .map(str::to_owned)
}

/// The service's answer to an access token it does not accept.
pub fn invalid_access_token() -> CognitoError {
    CognitoError::new(ErrorKind::NotAuthorizedException, "Invalid Access Token")
}

/// A token in an answer: claims while the operation's transaction is open, signed once
/// it has committed (RSA signing is the costliest part of a login and needs no lock).
pub enum Jwt {
    /// To be signed by `key`.
    Unsigned {
        /// The pool's key.
        key: Arc<SigningKey>,
        /// What the token claims.
        claims: Value,
    },
    /// The compact JWS.
    Signed(String),
}

impl Jwt {
    /// A token to sign later.
    pub fn unsigned(key: &Arc<SigningKey>, claims: Value) -> Self {
        Jwt::Unsigned {
            key: key.clone(),
            claims,
        }
    }

    /// A claim of a token not yet signed (`None` once signed: read before signing).
    pub fn claim(&self, name: &str) -> Option<&Value> {
        match self {
            Jwt::Unsigned { claims, .. } => claims.get(name),
            Jwt::Signed(_) => None,
        }
    }

    /// Signs it (a signed token stays as it is).
    pub fn sign(&mut self) -> OpResult<()> {
        if let Jwt::Unsigned { key, claims } = self {
            *self = Jwt::Signed(key.sign(claims)?);
        }
        Ok(())
    }
}

impl std::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Jwt::Unsigned { .. } => f.write_str("Jwt::Unsigned"),
            Jwt::Signed(_) => f.write_str("Jwt::Signed(..)"),
        }
    }
}

impl serde::Serialize for Jwt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Jwt::Signed(token) => s.serialize_str(token),
            Jwt::Unsigned { .. } => Err(serde::ser::Error::custom("a token was not signed")),
        }
    }
}
