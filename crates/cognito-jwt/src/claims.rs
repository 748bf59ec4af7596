//! Typed claims of Cognito's id and access tokens.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Which token a pool accepts, and which one a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenUse {
    /// An id token (`token_use: "id"`): who the user is, for the app.
    Id,
    /// An access token (`token_use: "access"`): what the bearer may do, for APIs.
    Access,
    /// Either, said explicitly (configuration only; a token is never `Any`).
    Any,
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
            TokenUse::Any => "id or access",
        })
    }
}

/// The claims of a Cognito id token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdTokenClaims {
    /// The user's immutable id.
    pub sub: String,
    /// The user pool's issuer URL.
    pub iss: String,
    /// The app client id.
    pub aud: String,
    /// Always `"id"`.
    pub token_use: String,
    /// When the user authenticated (Unix seconds).
    pub auth_time: i64,
    /// Expiry (Unix seconds).
    pub exp: i64,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not before (Unix seconds), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Token id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// Id of the original authentication, shared by tokens refreshed from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_jti: Option<String>,
    /// The authentication event's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The user name in the pool.
    #[serde(rename = "cognito:username")]
    pub username: String,
    /// The user's groups.
    #[serde(rename = "cognito:groups", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// IAM roles of the user's groups.
    #[serde(rename = "cognito:roles", skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// The preferred IAM role.
    #[serde(
        rename = "cognito:preferred_role",
        skip_serializing_if = "Option::is_none"
    )]
    pub preferred_role: Option<String>,
    /// `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `email_verified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// `phone_number`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// `phone_number_verified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<bool>,
    /// `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `given_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// `family_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// `preferred_username`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// `nonce`, when the hosted UI was given one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// `custom:*` attributes, keyed without the `custom:` prefix.
    #[serde(skip)]
    pub custom: BTreeMap<String, String>,
}

/// The claims of a Cognito access token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessTokenClaims {
    /// The user's immutable id.
    pub sub: String,
    /// The user pool's issuer URL.
    pub iss: String,
    /// The app client id.
    pub client_id: String,
    /// Always `"access"`.
    pub token_use: String,
    /// Space-separated OAuth scopes, such as `aws.cognito.signin.user.admin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// When the user authenticated (Unix seconds).
    pub auth_time: i64,
    /// Expiry (Unix seconds).
    pub exp: i64,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not before (Unix seconds), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Token id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// Id of the original authentication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_jti: Option<String>,
    /// The authentication event's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The user name in the pool; `None` in a machine-to-machine token (client
    /// credentials), whose subject is the app client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's groups.
    #[serde(rename = "cognito:groups", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// The remembered device the user signed in with, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// Token format version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

impl AccessTokenClaims {
    /// The scopes, split.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.as_deref().unwrap_or("").split_whitespace()
    }
}

/// The claims of a verified token: an id token or an access token.
#[derive(Debug, Clone, PartialEq)]
pub enum CognitoClaims {
    /// An id token's.
    Id(IdTokenClaims),
    /// An access token's.
    Access(AccessTokenClaims),
}

impl CognitoClaims {
    /// `id` or `access`.
    pub fn token_use(&self) -> TokenUse {
        match self {
            Self::Id(_) => TokenUse::Id,
            Self::Access(_) => TokenUse::Access,
        }
    }

    /// The user's `sub`.
    pub fn sub(&self) -> &str {
        match self {
            Self::Id(c) => &c.sub,
            Self::Access(c) => &c.sub,
        }
    }

    /// The user name (`cognito:username` or `username`); `None` for a
    /// machine-to-machine access token, which names no user.
    pub fn username(&self) -> Option<&str> {
        match self {
            Self::Id(c) => Some(&c.username),
            Self::Access(c) => c.username.as_deref(),
        }
    }

    /// The app client: `aud` of an id token, `client_id` of an access token.
    pub fn client_id(&self) -> &str {
        match self {
            Self::Id(c) => &c.aud,
            Self::Access(c) => &c.client_id,
        }
    }

    /// The issuer.
    pub fn iss(&self) -> &str {
        match self {
            Self::Id(c) => &c.iss,
            Self::Access(c) => &c.iss,
        }
    }

    /// `cognito:groups`.
    pub fn groups(&self) -> &[String] {
        match self {
            Self::Id(c) => &c.groups,
            Self::Access(c) => &c.groups,
        }
    }

    /// Expiry (Unix seconds).
    pub fn exp(&self) -> i64 {
        match self {
            Self::Id(c) => c.exp,
            Self::Access(c) => c.exp,
        }
    }

    /// Not before (Unix seconds), when present.
    pub fn nbf(&self) -> Option<i64> {
        match self {
            Self::Id(c) => c.nbf,
            Self::Access(c) => c.nbf,
        }
    }

    /// The id token's claims, if it is one.
    pub fn as_id(&self) -> Option<&IdTokenClaims> {
        match self {
            Self::Id(c) => Some(c),
            Self::Access(_) => None,
        }
    }

    /// The access token's claims, if it is one.
    pub fn as_access(&self) -> Option<&AccessTokenClaims> {
        match self {
            Self::Access(c) => Some(c),
            Self::Id(_) => None,
        }
    }
}
