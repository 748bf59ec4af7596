//! One pass over a token's payload: every Cognito claim read into place, duplicate
//! keys refused at any depth, unknown claims checked and skipped.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::claims::{AccessTokenClaims, CognitoClaims, IdTokenClaims};
use crate::token::{Key, Shape};

/// Every claim of an id or an access token, as read from the payload.
#[derive(Default)]
pub(crate) struct ClaimSet {
    pub iss: Option<String>,
    pub token_use: Option<String>,
    sub: Option<String>,
    aud: Option<String>,
    client_id: Option<String>,
    scope: Option<String>,
    username: Option<String>,
    cognito_username: Option<String>,
    jti: Option<String>,
    origin_jti: Option<String>,
    event_id: Option<String>,
    device_key: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    preferred_username: Option<String>,
    nonce: Option<String>,
    preferred_role: Option<String>,
    auth_time: Option<i64>,
    exp: Option<i64>,
    iat: Option<i64>,
    nbf: Option<i64>,
    version: Option<i64>,
    email_verified: Option<bool>,
    phone_number_verified: Option<bool>,
    groups: Option<Vec<String>>,
    roles: Option<Vec<String>>,
    custom: BTreeMap<String, String>,
}

impl ClaimSet {
    /// Reads a payload: a JSON object without duplicate keys whose known claims have their types.
    pub(crate) fn parse(payload: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(payload).map_err(|e| e.to_string())
    }

    /// The typed claims, by `token_use`.
    pub(crate) fn into_claims(self) -> Result<CognitoClaims, String> {
        fn need<T>(value: Option<T>, name: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("missing claim {name}"))
        }
        let token_use = need(self.token_use, "token_use")?;
        let (sub, iss) = (need(self.sub, "sub")?, need(self.iss, "iss")?);
        let auth_time = need(self.auth_time, "auth_time")?;
        let (exp, iat) = (need(self.exp, "exp")?, need(self.iat, "iat")?);
        let groups = self.groups.unwrap_or_default();
        match token_use.as_str() {
            "id" => Ok(CognitoClaims::Id(IdTokenClaims {
                sub,
                iss,
                aud: need(self.aud, "aud")?,
                token_use,
                auth_time,
                exp,
                iat,
                nbf: self.nbf,
                jti: self.jti,
                origin_jti: self.origin_jti,
                event_id: self.event_id,
                username: need(self.cognito_username, "cognito:username")?,
                groups,
                roles: self.roles.unwrap_or_default(),
                preferred_role: self.preferred_role,
                email: self.email,
                email_verified: self.email_verified,
                phone_number: self.phone_number,
                phone_number_verified: self.phone_number_verified,
                name: self.name,
                given_name: self.given_name,
                family_name: self.family_name,
                preferred_username: self.preferred_username,
                nonce: self.nonce,
                custom: self.custom,
            })),
            "access" => Ok(CognitoClaims::Access(AccessTokenClaims {
                sub,
                iss,
                client_id: need(self.client_id, "client_id")?,
                token_use,
                scope: self.scope,
                auth_time,
                exp,
                iat,
                nbf: self.nbf,
                jti: self.jti,
                origin_jti: self.origin_jti,
                event_id: self.event_id,
                username: self.username,
                groups,
                device_key: self.device_key,
                version: self.version,
            })),
            other => Err(format!("token_use {other:?} is neither id nor access")),
        }
    }
}

/// `true`, `false`, `"true"` or `"false"`: Cognito has sent both forms for `*_verified`.
struct LenientBool(bool);

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(Self(b)),
            Value::String(s) if s == "true" => Ok(Self(true)),
            Value::String(s) if s == "false" => Ok(Self(false)),
            other => Err(de::Error::custom(format!(
                "expected a boolean, got {other}"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for ClaimSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ClaimSetVisitor)
    }
}

struct ClaimSetVisitor;

/// Stores a claim's value, refusing a second one.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<T>,
    access: &mut A,
    name: &str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::custom(format!("duplicate key {name}")));
    }
    *slot = Some(access.next_value()?);
    Ok(())
}

impl<'de> Visitor<'de> for ClaimSetVisitor {
    type Value = ClaimSet;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<ClaimSet, A::Error> {
        let mut c = ClaimSet::default();
        let mut others: Vec<Key<'de>> = Vec::new();
        while let Some(key) = access.next_key::<Key<'de>>()? {
            let a = &mut access;
            match key.as_str() {
                "iss" => once(&mut c.iss, a, "iss")?,
                "token_use" => once(&mut c.token_use, a, "token_use")?,
                "sub" => once(&mut c.sub, a, "sub")?,
                "aud" => once(&mut c.aud, a, "aud")?,
                "client_id" => once(&mut c.client_id, a, "client_id")?,
                "scope" => once(&mut c.scope, a, "scope")?,
                "username" => once(&mut c.username, a, "username")?,
                "cognito:username" => once(&mut c.cognito_username, a, "cognito:username")?,
                "jti" => once(&mut c.jti, a, "jti")?,
                "origin_jti" => once(&mut c.origin_jti, a, "origin_jti")?,
                "event_id" => once(&mut c.event_id, a, "event_id")?,
                "device_key" => once(&mut c.device_key, a, "device_key")?,
                "email" => once(&mut c.email, a, "email")?,
                "phone_number" => once(&mut c.phone_number, a, "phone_number")?,
                "name" => once(&mut c.name, a, "name")?,
                "given_name" => once(&mut c.given_name, a, "given_name")?,
                "family_name" => once(&mut c.family_name, a, "family_name")?,
                "preferred_username" => once(&mut c.preferred_username, a, "preferred_username")?,
                "nonce" => once(&mut c.nonce, a, "nonce")?,
                "cognito:preferred_role" => {
                    once(&mut c.preferred_role, a, "cognito:preferred_role")?
                }
                "auth_time" => once(&mut c.auth_time, a, "auth_time")?,
                "exp" => once(&mut c.exp, a, "exp")?,
                "iat" => once(&mut c.iat, a, "iat")?,
                "nbf" => once(&mut c.nbf, a, "nbf")?,
                "version" => once(&mut c.version, a, "version")?,
                "cognito:groups" => once(&mut c.groups, a, "cognito:groups")?,
                "cognito:roles" => once(&mut c.roles, a, "cognito:roles")?,
                "email_verified" | "phone_number_verified" => {
                    let slot = if key.as_str() == "email_verified" {
                        &mut c.email_verified
                    } else {
                        &mut c.phone_number_verified
                    };
                    let mut value: Option<LenientBool> = slot.map(LenientBool);
                    once(&mut value, a, key.as_str())?;
                    *slot = value.map(|v| v.0);
                }
                name if name.starts_with("custom:") => {
                    let value = match access.next_value::<Value>()? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    let attribute = name["custom:".len()..].to_owned();
                    if c.custom.insert(attribute, value).is_some() {
                        return Err(de::Error::custom(format!("duplicate key {name}")));
                    }
                }
                _ => {
                    if others.iter().any(|k| k.as_str() == key.as_str()) {
                        return Err(de::Error::custom(format!("duplicate key {}", key.as_str())));
                    }
                    access.next_value::<Shape>()?;
                    others.push(key);
                }
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        for payload in [
            r#"{"sub":"a","sub":"b"}"#,
            r#"{"x":1,"x":2}"#,
            r#"{"custom:a":"1","custom:a":"2"}"#,
            r#"{"email_verified":true,"email_verified":false}"#,
            r#"{"x":{"y":1,"y":2}}"#,
            r#"{"x":[{"y":1,"y":2}]}"#,
        ] {
            let err = ClaimSet::parse(payload.as_bytes()).err().unwrap();
            assert!(err.contains("duplicate"), "{payload}: {err}");
        }
    }

    #[test]
    fn the_payload_must_be_an_object_with_typed_claims() {
        for payload in [
            "[1]",
            "1",
            "\"x\"",
            "not json",
            r#"{"exp":"soon"}"#,
            r#"{"cognito:groups":"a"}"#,
        ] {
            assert!(ClaimSet::parse(payload.as_bytes()).is_err(), "{payload}");
        }
        let set = ClaimSet::parse(br#"{"token_use":"access","email_verified":"true"}"#).unwrap();
        assert_eq!(set.email_verified, Some(true));
        assert_eq!(set.into_claims().err().unwrap(), "missing claim sub");
    }
}
