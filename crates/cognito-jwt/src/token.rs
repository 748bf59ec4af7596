//! Strict decomposition of a compact JWS: three base64url parts, JSON objects without duplicate keys.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::VerifyError;

/// The default limit on a token's length, in bytes. Cognito's tokens are a few KiB
/// even with many groups and attributes.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

/// A JWS header, as far as verification needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Header {
    /// `alg`.
    pub alg: String,
    /// `kid`.
    pub kid: String,
    /// `typ`, if present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
}

/// A token split into its parts, signature not yet checked.
pub(crate) struct Decomposed<'t> {
    pub header: Header,
    /// The payload's JSON: an object without duplicate keys.
    pub payload: Vec<u8>,
    /// `header.payload`, the signed bytes.
    pub signing_input: &'t [u8],
    pub signature: Vec<u8>,
}

fn malformed(what: impl Into<String>) -> VerifyError {
    VerifyError::Malformed(what.into())
}

fn decode_part(part: &str, name: &str) -> Result<Vec<u8>, VerifyError> {
    base64_simd::URL_SAFE_NO_PAD
        .decode_to_vec(part)
        .map_err(|_| malformed(format!("{name} is not base64url")))
}

/// Splits and decodes a token, refusing anything but three strict parts.
pub(crate) fn decompose(token: &str, max_bytes: usize) -> Result<Decomposed<'_>, VerifyError> {
    if token.len() > max_bytes {
        return Err(VerifyError::TooLarge {
            len: token.len(),
            max: max_bytes,
        });
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("a JWT has three dot-separated parts"));
    };
    let signing_input = &token.as_bytes()[..header.len() + 1 + payload.len()];
    // Derived deserialisers refuse a duplicate known field, and unknown ones are ignored.
    let header: Header = serde_json::from_slice(&decode_part(header, "header")?)
        .map_err(|e| malformed(format!("header: {e}")))?;
    let payload = decode_part(payload, "payload")?;
    let signature = decode_part(signature, "signature")?;
    Ok(Decomposed {
        header,
        payload,
        signing_input,
        signature,
    })
}

/// Whether a JSON value is an object, learnt while refusing duplicate keys at any depth
/// (serde_json's maps would silently keep the last one), without building the value.
pub(crate) enum Shape {
    Object,
    Other,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

/// An object key, borrowed from the input unless it had escapes.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<Shape>()?.is_some() {}
        Ok(Shape::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Shape, A::Error> {
        let mut keys: Vec<Key<'de>> = Vec::new();
        while let Some(key) = access.next_key::<Key<'de>>()? {
            if keys.iter().any(|k| k.0 == key.0) {
                return Err(de::Error::custom("duplicate key"));
            }
            keys.push(key);
            access.next_value::<Shape>()?;
        }
        Ok(Shape::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(json: &str) -> String {
        base64_simd::URL_SAFE_NO_PAD.encode_to_string(json)
    }

    #[test]
    fn parts_must_be_three_base64url_json_objects() {
        let header = b64(r#"{"alg":"RS256","kid":"k"}"#);
        let payload = b64(r#"{"sub":"a"}"#);
        assert!(decompose(&format!("{header}.{payload}.c2ln"), 1000).is_ok());
        for bad in [
            String::new(),
            format!("{header}.{payload}"),
            format!("{header}.{payload}.c2ln.c2ln"),
            format!("{header}.{payload}=.c2ln"),
            format!("{header}.{payload}.c2l+"),
            format!("{}.{payload}.c2ln", b64("[1]")),
            format!("{}.{payload}.c2ln", b64(r#"{"alg":"RS256"}"#)),
            format!("{}.{payload}.c2ln", b64(r#"{"alg":1,"kid":"k"}"#)),
        ] {
            assert!(
                matches!(decompose(&bad, 1000), Err(VerifyError::Malformed(_))),
                "{bad}"
            );
        }
        let long = format!("{header}.{payload}.{}", "A".repeat(2000));
        assert_eq!(
            decompose(&long, 1000).err(),
            Some(VerifyError::TooLarge {
                len: long.len(),
                max: 1000
            })
        );
    }
}
