//! `UserPoolType`, `UserPoolDescriptionType`, `SchemaAttributeType`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::put;
use crate::domain::records::{PoolRecord, SchemaAttribute};

/// Settings of CreateUserPool and UpdateUserPool that are kept and echoed back as given.
pub const ECHOED_SETTINGS: &[&str] = &[
    "LambdaConfig",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "UserAttributeUpdateSettings",
    "UserPoolTier",
    "KeyConfiguration",
    "IssuerConfiguration",
    "AcrConfiguration",
    "DcrConfiguration",
];

/// A `SchemaAttributeType` in a request.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttributeIn {
    /// The name, without `custom:` for custom attributes.
    pub name: Option<String>,
    /// `String`, `Number`, `DateTime` or `Boolean`.
    pub attribute_data_type: Option<String>,
    /// Admin-only.
    pub developer_only_attribute: Option<bool>,
    /// Changeable.
    pub mutable: Option<bool>,
    /// Required at sign-up.
    pub required: Option<bool>,
    /// Number bounds.
    pub number_attribute_constraints: Option<Bounds>,
    /// Length bounds.
    pub string_attribute_constraints: Option<Bounds>,
}

/// Min and max, as strings on the wire.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Bounds {
    /// `MinValue` or `MinLength`.
    #[serde(alias = "MinValue", alias = "MinLength")]
    pub min: Option<String>,
    /// `MaxValue` or `MaxLength`.
    #[serde(alias = "MaxValue", alias = "MaxLength")]
    pub max: Option<String>,
}

/// A standard attribute: name, data type, mutable, and length bounds for strings.
pub type StandardAttribute = (
    &'static str,
    &'static str,
    bool,
    Option<(&'static str, &'static str)>,
);

/// The standard attributes every pool has.
pub const STANDARD_ATTRIBUTES: &[StandardAttribute] = &[
    ("sub", "String", false, Some(("1", "2048"))),
    ("name", "String", true, Some(("0", "2048"))),
    ("given_name", "String", true, Some(("0", "2048"))),
    ("family_name", "String", true, Some(("0", "2048"))),
    ("middle_name", "String", true, Some(("0", "2048"))),
    ("nickname", "String", true, Some(("0", "2048"))),
    ("preferred_username", "String", true, Some(("0", "2048"))),
    ("profile", "String", true, Some(("0", "2048"))),
    ("picture", "String", true, Some(("0", "2048"))),
    ("website", "String", true, Some(("0", "2048"))),
    ("email", "String", true, Some(("0", "2048"))),
    ("email_verified", "Boolean", true, None),
    ("gender", "String", true, Some(("0", "2048"))),
    ("birthdate", "String", true, Some(("10", "10"))),
    ("zoneinfo", "String", true, Some(("0", "2048"))),
    ("locale", "String", true, Some(("0", "2048"))),
    ("phone_number", "String", true, Some(("0", "2048"))),
    ("phone_number_verified", "Boolean", true, None),
    ("address", "String", true, Some(("0", "2048"))),
    ("updated_at", "Number", true, None),
];

/// The standard schema, before a request's changes.
pub fn standard_schema() -> Vec<SchemaAttribute> {
    STANDARD_ATTRIBUTES
        .iter()
        .map(|&(name, data_type, mutable, lengths)| SchemaAttribute {
            name: name.to_owned(),
            data_type: data_type.to_owned(),
            developer_only: false,
            mutable,
            required: name == "sub",
            min_value: (name == "updated_at").then(|| "0".to_owned()),
            max_value: None,
            min_length: lengths.map(|(min, _)| min.to_owned()),
            max_length: lengths.map(|(_, max)| max.to_owned()),
        })
        .collect()
}

/// A `SchemaAttributeType`.
pub fn schema_attribute(a: &SchemaAttribute) -> Value {
    let mut out = Map::new();
    put(&mut out, "Name", json!(a.name));
    put(&mut out, "AttributeDataType", json!(a.data_type));
    put(&mut out, "DeveloperOnlyAttribute", json!(a.developer_only));
    put(&mut out, "Mutable", json!(a.mutable));
    put(&mut out, "Required", json!(a.required));
    if a.data_type == "Number" {
        let mut bounds = Map::new();
        put(&mut bounds, "MinValue", json!(a.min_value));
        put(&mut bounds, "MaxValue", json!(a.max_value));
        out.insert("NumberAttributeConstraints".into(), Value::Object(bounds));
    }
    if a.data_type == "String" {
        let mut bounds = Map::new();
        put(&mut bounds, "MinLength", json!(a.min_length));
        put(&mut bounds, "MaxLength", json!(a.max_length));
        out.insert("StringAttributeConstraints".into(), Value::Object(bounds));
    }
    Value::Object(out)
}

/// The pool's ARN (account `000000000000`: this server has no accounts).
pub fn arn(pool: &PoolRecord) -> String {
    format!(
        "arn:aws:cognito-idp:{}:000000000000:userpool/{}",
        pool.region, pool.id
    )
}

/// A `UserPoolType`.
pub fn user_pool(pool: &PoolRecord, estimated_users: u64) -> Value {
    let policy = &pool.password_policy;
    let mut out = Map::new();
    put(&mut out, "Id", json!(pool.id));
    put(&mut out, "Name", json!(pool.name));
    put(&mut out, "Arn", json!(arn(pool)));
    put(
        &mut out,
        "Policies",
        json!({"PasswordPolicy": {
            "MinimumLength": policy.minimum_length,
            "RequireUppercase": policy.require_uppercase,
            "RequireLowercase": policy.require_lowercase,
            "RequireNumbers": policy.require_numbers,
            "RequireSymbols": policy.require_symbols,
            "TemporaryPasswordValidityDays": policy.temporary_password_validity_days,
        }}),
    );
    put(
        &mut out,
        "DeletionProtection",
        json!(if pool.deletion_protection {
            "ACTIVE"
        } else {
            "INACTIVE"
        }),
    );
    put(&mut out, "LambdaConfig", json!({}));
    put(&mut out, "LastModifiedDate", json!(pool.modified));
    put(&mut out, "CreationDate", json!(pool.created));
    put(
        &mut out,
        "SchemaAttributes",
        Value::Array(pool.schema.iter().map(schema_attribute).collect()),
    );
    if !pool.auto_verified_attributes.is_empty() {
        put(
            &mut out,
            "AutoVerifiedAttributes",
            json!(pool.auto_verified_attributes),
        );
    }
    if !pool.alias_attributes.is_empty() {
        put(&mut out, "AliasAttributes", json!(pool.alias_attributes));
    }
    if !pool.username_attributes.is_empty() {
        put(
            &mut out,
            "UsernameAttributes",
            json!(pool.username_attributes),
        );
    }
    put(
        &mut out,
        "UsernameConfiguration",
        json!({"CaseSensitive": pool.username_case_sensitive}),
    );
    put(&mut out, "MfaConfiguration", json!(pool.mfa_configuration));
    if let Some(d) = pool.devices {
        put(
            &mut out,
            "DeviceConfiguration",
            json!({
                "ChallengeRequiredOnNewDevice": d.challenge_required_on_new_device,
                "DeviceOnlyRememberedOnUserPrompt": d.device_only_remembered_on_user_prompt,
            }),
        );
    }
    put(&mut out, "EstimatedNumberOfUsers", json!(estimated_users));
    put(
        &mut out,
        "AdminCreateUserConfig",
        json!({"AllowAdminCreateUserOnly": pool.admin_create_user_only}),
    );
    for (key, value) in &pool.settings {
        out.insert(key.clone(), value.clone());
    }
    aws_defaults(&mut out);
    Value::Object(out)
}

/// What DescribeUserPool shows where the pool was given nothing, as AWS shows it: email
/// through Cognito (`COGNITO_DEFAULT`), codes by default (`CONFIRM_WITH_CODE`), and the
/// verification messages mirrored between the top-level members and
/// VerificationMessageTemplate (either one set shows in both).
fn aws_defaults(out: &mut Map<String, Value>) {
    out.entry("EmailConfiguration")
        .or_insert_with(|| json!({"EmailSendingAccount": "COGNITO_DEFAULT"}));
    let mut template = match out.get("VerificationMessageTemplate") {
        Some(Value::Object(t)) => t.clone(),
        _ => Map::new(),
    };
    template
        .entry("DefaultEmailOption")
        .or_insert_with(|| json!("CONFIRM_WITH_CODE"));
    for (top, inner) in [
        ("SmsVerificationMessage", "SmsMessage"),
        ("EmailVerificationMessage", "EmailMessage"),
        ("EmailVerificationSubject", "EmailSubject"),
    ] {
        match (out.get(top).cloned(), template.get(inner).cloned()) {
            (Some(value), None) => {
                template.insert(inner.to_owned(), value);
            }
            (None, Some(value)) => {
                out.insert(top.to_owned(), value);
            }
            _ => {}
        }
    }
    out.insert(
        "VerificationMessageTemplate".to_owned(),
        Value::Object(template),
    );
}

/// A `UserPoolDescriptionType`, as ListUserPools gives.
pub fn description(pool: &PoolRecord) -> Value {
    json!({
        "Id": pool.id,
        "Name": pool.name,
        "LambdaConfig": pool.settings.get("LambdaConfig").cloned().unwrap_or(json!({})),
        "LastModifiedDate": pool.modified,
        "CreationDate": pool.created,
    })
}
