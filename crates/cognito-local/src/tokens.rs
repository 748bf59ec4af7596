//! Token signing: a key per pool, id and access tokens, the JWKS, and checking access
//! tokens that come back to the API.

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

use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{ClientRecord, KeyRecord, PoolRecord, SignInRecord, UserRecord};

/// Parsed signing keys by `kid`.
static KEYS: LazyLock<Mutex<HashMap<String, Arc<SigningKey>>>> = LazyLock::new(Default::default);

/// Tokens an operation asked for, signed only after its transaction commits: RSA signing
/// is the costliest part of a login and needs no lock. Each stands in the response as a
/// random placeholder that no request can guess, so nothing else in a response is signed.
#[derive(Default)]
pub struct Signatures {
    pending: std::cell::RefCell<Vec<(String, Arc<SigningKey>, Value)>>,
}

impl Signatures {
    /// A placeholder for the token `key` will sign over `claims`.
    pub fn defer(&self, key: &Arc<SigningKey>, claims: Value) -> String {
        let mut bytes = [0u8; 16];
        aws_lc_rs::rand::fill(&mut bytes).expect("the system RNG works");
        let placeholder = crate::hex::encode(&bytes);
        self.pending
            .borrow_mut()
            .push((placeholder.clone(), key.clone(), claims));
        placeholder
    }

    /// Signs the deferred tokens into the response, in place of their placeholders.
    pub fn apply(self, response: &mut Value) -> OpResult<()> {
        let pending = self.pending.into_inner();
        if pending.is_empty() {
            return Ok(());
        }
        fn walk(value: &mut Value, pending: &[(String, Arc<SigningKey>, Value)]) -> OpResult<()> {
            match value {
                Value::String(text) => {
                    if let Some((_, key, claims)) = pending.iter().find(|(p, _, _)| p == text) {
                        *text = key.sign(claims)?;
                    }
                }
                Value::Object(map) => map.values_mut().try_for_each(|v| walk(v, pending))?,
                Value::Array(items) => items.iter_mut().try_for_each(|v| walk(v, pending))?,
                _ => {}
            }
            Ok(())
        }
        walk(response, &pending)
    }
}

/// A pool's RSA-2048 signing key.
pub struct SigningKey {
    kid: String,
    pair: KeyPair,
    /// The public half, parsed once for checking access tokens.
    public: ParsedPublicKey,
}

impl SigningKey {
    /// A new key and the record that keeps it.
    pub fn generate() -> OpResult<(Self, KeyRecord)> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(CognitoError::internal)?;
        let der = pair.as_der().map_err(CognitoError::internal)?;
        let kid = URL_SAFE_NO_PAD.encode(
            &aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, pair.public_key().as_ref())
                .as_ref()[..16],
        );
        let record = KeyRecord {
            kid: kid.clone(),
            pkcs8: STANDARD.encode(der.as_ref()),
        };
        Ok((Self::new(kid, pair)?, record))
    }

    fn new(kid: String, pair: KeyPair) -> OpResult<Self> {
        let public = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, pair.public_key().as_ref())
            .map_err(CognitoError::internal)?;
        Ok(Self { kid, pair, public })
    }

    /// The key a record keeps. Parsed keys are cached by `kid` (a hash of the public key):
    /// parsing and checking an RSA private key costs more than signing with it.
    pub fn load(record: &KeyRecord) -> OpResult<Arc<Self>> {
        let mut cache = KEYS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = cache.get(&record.kid) {
            return Ok(key.clone());
        }
        let der = STANDARD
            .decode(&record.pkcs8)
            .map_err(CognitoError::internal)?;
        let pair = KeyPair::from_pkcs8(&der).map_err(CognitoError::internal)?;
        let key = Arc::new(Self::new(record.kid.clone(), pair)?);
        cache.insert(record.kid.clone(), key.clone());
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

/// A pool's issuer: `{base}/{pool_id}`.
pub fn issuer(base: &str, pool: &PoolRecord) -> String {
    format!("{}/{}", base.trim_end_matches('/'), pool.id)
}

/// Attributes an id token carries: all, or the client's ReadAttributes.
fn readable(client: &ClientRecord, name: &str) -> bool {
    client.read_attributes.is_empty() || client.read_attributes.iter().any(|a| a == name)
}

/// What a token needs to know about its issue.
pub struct Issue<'a> {
    /// The issuer base URL.
    pub base: &'a str,
    /// The pool.
    pub pool: &'a PoolRecord,
    /// The app client.
    pub client: &'a ClientRecord,
    /// The user.
    pub user: &'a UserRecord,
    /// The user's groups, in `cognito:groups` order.
    pub groups: &'a [String],
    /// The sign-in the tokens belong to.
    pub sign_in: &'a SignInRecord,
    /// Now, in seconds.
    pub now: i64,
}

/// The id token's and the access token's claims.
pub fn claims(issue: &Issue<'_>) -> (Value, Value) {
    let Issue {
        base,
        pool,
        client,
        user,
        groups,
        sign_in,
        now,
    } = issue;
    let iss = issuer(base, pool);
    let event_id = uuid::Uuid::new_v4().to_string();
    let mut id = Map::new();
    id.insert("sub".into(), json!(user.sub));
    if !groups.is_empty() {
        id.insert("cognito:groups".into(), json!(groups));
    }
    for (name, value) in &user.attributes {
        if !readable(client, name) {
            continue;
        }
        let value = if name.ends_with("_verified") {
            json!(value == "true")
        } else {
            json!(value)
        };
        id.insert(name.clone(), value);
    }
    id.insert("iss".into(), json!(iss));
    id.insert("cognito:username".into(), json!(user.username));
    id.insert("origin_jti".into(), json!(sign_in.origin_jti));
    id.insert("aud".into(), json!(client.id));
    id.insert("event_id".into(), json!(event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(sign_in.auth_time));
    id.insert("exp".into(), json!(now + client.lifetimes.id as i64));
    id.insert("iat".into(), json!(now));
    id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));

    let mut access = Map::new();
    access.insert("sub".into(), json!(user.sub));
    if !groups.is_empty() {
        access.insert("cognito:groups".into(), json!(groups));
    }
    if let Some(device) = &sign_in.device_key {
        access.insert("device_key".into(), json!(device));
    }
    access.insert("iss".into(), json!(iss));
    access.insert("client_id".into(), json!(client.id));
    access.insert("origin_jti".into(), json!(sign_in.origin_jti));
    access.insert("event_id".into(), json!(event_id));
    access.insert("token_use".into(), json!("access"));
    access.insert("scope".into(), json!("aws.cognito.signin.user.admin"));
    access.insert("auth_time".into(), json!(sign_in.auth_time));
    access.insert("exp".into(), json!(now + client.lifetimes.access as i64));
    access.insert("iat".into(), json!(now));
    access.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    access.insert("username".into(), json!(user.username));
    (Value::Object(id), Value::Object(access))
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
