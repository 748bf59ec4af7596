//! JSON Web Keys: a JWKS document parsed once into ready-to-use RSA verification keys.

use std::collections::HashMap;
use std::sync::Arc;

use aws_lc_rs::rsa::PublicKeyComponents;
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use serde::Deserialize;

/// The one algorithm Cognito signs with.
pub(crate) const RS256: &str = "RS256";

#[derive(Deserialize)]
struct JwkDocument {
    kid: Option<String>,
    kty: String,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
struct JwksDocument {
    /// Each key read on its own: one that is not even a JWK is skipped alone.
    keys: Vec<serde_json::Value>,
}

/// An RSA public key from a JWK, parsed for verification (RSA-2048 to 8192, SHA-256).
pub(crate) struct VerifyingKey {
    /// The JWK's declared `alg`, if any; a token's `alg` must match it.
    pub alg: Option<String>,
    key: ParsedPublicKey,
}

impl VerifyingKey {
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.key.verify_sig(message, signature).is_ok()
    }
}

/// The keys of one issuer, by `kid`.
#[derive(Default)]
pub(crate) struct KeySet {
    keys: HashMap<String, Arc<VerifyingKey>>,
}

impl KeySet {
    /// Parses a JWKS document. RSA signing keys with a `kid` are kept; other keys
    /// (other types, encryption keys) are skipped, and so is a malformed RSA key (with
    /// a warning in the log): one bad key does not make the good ones unusable. A
    /// document that is not a JWKS at all is an error.
    pub(crate) fn parse(json: &[u8]) -> Result<Self, String> {
        let doc: JwksDocument =
            serde_json::from_slice(json).map_err(|e| format!("not a JWKS document: {e}"))?;
        let mut keys = HashMap::new();
        for value in doc.keys {
            let jwk: JwkDocument = match serde_json::from_value(value) {
                Ok(jwk) => jwk,
                Err(e) => {
                    tracing::warn!(error = %e, "skipping a JWKS entry that is not a JWK");
                    continue;
                }
            };
            if jwk.kty != "RSA" || jwk.use_.as_deref().is_some_and(|u| u != "sig") {
                continue;
            }
            match Self::rsa_key(jwk) {
                Ok((kid, key)) => {
                    keys.insert(kid, Arc::new(key));
                }
                Err(why) => tracing::warn!(key = %why, "skipping a JWKS key"),
            }
        }
        Ok(Self { keys })
    }

    /// A signing key from a JWK of type RSA, or what is wrong with it.
    fn rsa_key(jwk: JwkDocument) -> Result<(String, VerifyingKey), String> {
        let kid = jwk.kid.ok_or("an RSA key has no kid")?;
        let component = |value: Option<String>, name: &str| {
            let text = value.ok_or_else(|| format!("key {kid:?} has no {name}"))?;
            base64_simd::URL_SAFE_NO_PAD
                .decode_to_vec(text.trim_end_matches('='))
                .map_err(|_| format!("key {kid:?}: {name} is not base64url"))
        };
        let components = PublicKeyComponents {
            n: component(jwk.n, "n")?,
            e: component(jwk.e, "e")?,
        };
        let key = components
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .map_err(|e| format!("key {kid:?} is not a usable RSA key: {e}"))?;
        Ok((kid, VerifyingKey { alg: jwk.alg, key }))
    }

    pub(crate) fn get(&self, kid: &str) -> Option<&Arc<VerifyingKey>> {
        self.keys.get(kid)
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}
