//! `UserType`, `AttributeType`, and AdminGetUser's (and GetUser's) answer.

use serde::Serialize;
use serde_json::Value;

use crate::clock::UnixTime;
use crate::domain::mfa::enabled_methods;
use crate::domain::records::UserRecord;
use crate::domain::state::{MfaMethod, UserStatus};

/// An `AttributeType` in an answer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

/// The user's attributes, `sub` first, optionally only some.
pub fn attributes(user: &UserRecord, only: Option<&[String]>) -> Vec<AttributeType> {
    let wanted = |name: &str| only.is_none_or(|names| names.iter().any(|n| n == name));
    let sub = wanted("sub").then(|| AttributeType {
        name: "sub".to_owned(),
        value: user.sub.clone(),
    });
    sub.into_iter()
        .chain(
            user.attributes
                .iter()
                .filter(|(name, _)| wanted(name))
                .map(|(name, value)| AttributeType {
                    name: name.clone(),
                    value: value.clone(),
                }),
        )
        .collect()
}

/// What `UserType` and AdminGetUser's answer share.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Common {
    username: String,
    user_create_date: UnixTime,
    user_last_modified_date: UnixTime,
    enabled: bool,
    user_status: UserStatus,
    #[serde(rename = "MFAOptions", skip_serializing_if = "Option::is_none")]
    mfa_options: Option<Value>,
}

impl Common {
    fn of(user: &UserRecord) -> Self {
        Self {
            username: user.username.clone(),
            user_create_date: user.created,
            user_last_modified_date: user.modified,
            enabled: user.enabled,
            user_status: user.status,
            mfa_options: user.mfa_options.clone(),
        }
    }
}

/// A `UserType`, as AdminCreateUser and ListUsers give it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserType {
    #[serde(flatten)]
    common: Common,
    attributes: Vec<AttributeType>,
}

impl UserType {
    /// The user, with all attributes or only some.
    pub fn of(user: &UserRecord, only: Option<&[String]>) -> Self {
        Self {
            common: Common::of(user),
            attributes: attributes(user, only),
        }
    }
}

/// AdminGetUser's and GetUser's answer, MFA settings included.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    #[serde(flatten)]
    common: Common,
    user_attributes: Vec<AttributeType>,
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Vec::is_empty")]
    mfa_setting_list: Vec<MfaMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_mfa_setting: Option<MfaMethod>,
}

impl GetUserResponse {
    /// The user's answer.
    pub fn of(user: &UserRecord) -> Self {
        Self {
            common: Common::of(user),
            user_attributes: attributes(user, None),
            mfa_setting_list: enabled_methods(&user.mfa),
            preferred_mfa_setting: user.mfa.preferred,
        }
    }
}
