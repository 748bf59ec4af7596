//! User attributes checked against the pool's schema, with the service's messages.

use serde::Deserialize;

use super::records::{PoolRecord, SchemaAttribute, UserRecord};
use crate::error::{CognitoError, OpResult};

/// An `AttributeType` in a request: a change to make.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeIn {
    /// The name (`custom:` included for custom attributes).
    pub name: String,
    /// The value.
    pub value: Option<String>,
}

/// Who is changing attributes: rules differ for admins, sign-up and users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// Admin operations: anything mutable, `*_verified` and developer-only attributes included.
    Admin,
    /// A user creating their account.
    SignUp,
    /// A signed-in user changing their own attributes (the client's WriteAttributes apply).
    User,
}

fn schema_error(message: impl std::fmt::Display) -> CognitoError {
    CognitoError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {message}"
    ))
}

fn schema_of<'p>(pool: &'p PoolRecord, name: &str) -> OpResult<&'p SchemaAttribute> {
    pool.schema.iter().find(|a| a.name == name).ok_or_else(|| {
        schema_error(format!(
            "Type for attribute {{{name}}} could not be determined"
        ))
    })
}

fn check_value(attribute: &SchemaAttribute, value: &str) -> OpResult<()> {
    let name = &attribute.name;
    let bound = |b: &Option<String>| b.as_deref().and_then(|v| v.parse::<f64>().ok());
    match attribute.data_type.as_str() {
        "Number" => {
            let number: f64 = value
                .parse()
                .map_err(|_| schema_error(format!("{name}: Number must be a valid number")))?;
            if bound(&attribute.min_value).is_some_and(|min| number < min)
                || bound(&attribute.max_value).is_some_and(|max| number > max)
            {
                return Err(schema_error(format!("{name}: Number is out of range")));
            }
        }
        "Boolean"
            if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") =>
        {
            return Err(schema_error(format!("{name}: Value must be true or false")));
        }
        _ => {
            let length = value.chars().count() as f64;
            if bound(&attribute.max_length).is_some_and(|max| length > max)
                || bound(&attribute.min_length).is_some_and(|min| length < min)
            {
                return Err(schema_error(format!(
                    "{name}: String is too long or too short"
                )));
            }
        }
    }
    match name.as_str() {
        "email" if !looks_like_email(value) => Err(CognitoError::invalid_parameter(
            "Invalid email address format.",
        )),
        "phone_number" if !looks_like_phone(value) => Err(CognitoError::invalid_parameter(
            "Invalid phone number format.",
        )),
        _ => Ok(()),
    }
}

/// `local@domain.tld`, loosely, as the service checks it.
pub fn looks_like_email(value: &str) -> bool {
    value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !value.contains(char::is_whitespace)
}

/// E.164: `+` and 1 to 15 digits.
pub fn looks_like_phone(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (1..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Applies attribute changes to a user; returns the names that changed value.
pub fn apply(
    pool: &PoolRecord,
    user: &mut UserRecord,
    changes: &[AttributeIn],
    writer: Writer,
) -> OpResult<Vec<String>> {
    let mut changed = Vec::new();
    for change in changes {
        let name = change.name.as_str();
        if name == "sub" {
            return Err(schema_error(
                "sub: Attribute cannot be updated. (changing an immutable attribute)",
            ));
        }
        let attribute = schema_of(pool, name)?;
        let mut value = change.value.clone().unwrap_or_default();
        // Booleans are taken in any case (`email_verified="True"`) and kept lowercase.
        if attribute.data_type == "Boolean" {
            value = value.to_ascii_lowercase();
        }
        let verified_flag = name.ends_with("_verified");
        if verified_flag && writer != Writer::Admin {
            return Err(schema_error(format!(
                "{name}: Attribute can only be changed by an administrator"
            )));
        }
        if attribute.developer_only && writer != Writer::Admin {
            return Err(schema_error(format!(
                "{name}: Attribute is for developers only"
            )));
        }
        let current = user.attributes.get(name);
        if !attribute.mutable && writer != Writer::SignUp && current.is_some_and(|c| *c != value) {
            return Err(schema_error(format!(
                "{name}: Attribute cannot be updated. (changing an immutable attribute)"
            )));
        }
        check_value(attribute, &value)?;
        if current != Some(&value) {
            user.attributes.insert(name.to_owned(), value);
            changed.push(name.to_owned());
        }
    }
    Ok(changed)
}

/// Checks that every required attribute has a value.
pub fn check_required(pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    for attribute in pool.schema.iter().filter(|a| a.required && a.name != "sub") {
        if user
            .attributes
            .get(&attribute.name)
            .is_none_or(String::is_empty)
        {
            return Err(schema_error(format!(
                "{}: The attribute is required",
                attribute.name
            )));
        }
    }
    Ok(())
}

/// Removes attributes; required ones cannot go.
pub fn delete(
    pool: &PoolRecord,
    user: &mut UserRecord,
    names: &[String],
    writer: Writer,
) -> OpResult<()> {
    for name in names {
        let attribute = schema_of(pool, name)?;
        if attribute.required || name == "sub" {
            return Err(schema_error(format!("{name}: The attribute is required")));
        }
        if attribute.developer_only && writer != Writer::Admin {
            return Err(schema_error(format!(
                "{name}: Attribute is for developers only"
            )));
        }
        user.attributes.remove(name);
        if name == "email" || name == "phone_number" {
            user.attributes.remove(&format!("{name}_verified"));
        }
    }
    Ok(())
}
