//! `UserType`, `AttributeType`, and AdminGetUser's answer.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::put;
use crate::store::UserRecord;

/// An `AttributeType` in a request.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeIn {
    /// The name (`custom:` included for custom attributes).
    pub name: String,
    /// The value.
    pub value: Option<String>,
}

/// The user's attributes as `[{Name, Value}]`, `sub` first, optionally only some.
pub fn attributes(user: &UserRecord, only: Option<&[String]>) -> Value {
    let wanted = |name: &str| only.is_none_or(|names| names.iter().any(|n| n == name));
    let mut out = Vec::new();
    if wanted("sub") {
        out.push(json!({"Name": "sub", "Value": user.sub}));
    }
    for (name, value) in &user.attributes {
        if wanted(name) {
            out.push(json!({"Name": name, "Value": value}));
        }
    }
    Value::Array(out)
}

fn common(user: &UserRecord, out: &mut Map<String, Value>) {
    put(out, "Username", json!(user.username));
    put(out, "UserCreateDate", json!(user.created));
    put(out, "UserLastModifiedDate", json!(user.modified));
    put(out, "Enabled", json!(user.enabled));
    put(out, "UserStatus", json!(user.status));
    if let Some(options) = &user.mfa_options {
        put(out, "MFAOptions", options.clone());
    }
}

/// A `UserType`, as AdminCreateUser and ListUsers give it.
pub fn user_type(user: &UserRecord, only: Option<&[String]>) -> Value {
    let mut out = Map::new();
    common(user, &mut out);
    put(&mut out, "Attributes", attributes(user, only));
    Value::Object(out)
}

/// AdminGetUser's and GetUser's answer, MFA settings included.
pub fn admin_get_user(user: &UserRecord) -> Value {
    let mut out = Map::new();
    common(user, &mut out);
    put(&mut out, "UserAttributes", attributes(user, None));
    let mut methods = Vec::new();
    if user.mfa.sms_enabled {
        methods.push("SMS_MFA");
    }
    if user.mfa.totp_enabled {
        methods.push("SOFTWARE_TOKEN_MFA");
    }
    if !methods.is_empty() {
        put(&mut out, "UserMFASettingList", json!(methods));
    }
    put(&mut out, "PreferredMfaSetting", json!(user.mfa.preferred));
    Value::Object(out)
}
