//! Every request checked against its shape in the service model before any handler
//! runs, with the service's messages:
//!
//! - a JSON value of the wrong type is a `SerializationException`;
//! - every violated constraint is reported, members by name, in one
//!   `InvalidParameterException`: `2 validation errors detected: Value 'x' at
//!   'userPoolId' failed to satisfy constraint: Member must satisfy regular
//!   expression pattern: [\w-]+_[0-9a-zA-Z]+; ...`;
//! - paths are camelCase, list elements numbered from 1 (`userAttributes.1.member.value`);
//!   a list of plain values, or a map, is reported once at the list or map with the
//!   constraints its elements must meet;
//! - a sensitive member's value is left out (`Value at 'password' ...`).

use base64::Engine;
use serde_json::Value;

use super::model::{Bounds, Kind, MODEL, Shape};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// Checks a request body for an operation of the model (one the model does not
/// know passes).
pub(crate) fn check(operation: &str, body: &Value) -> OpResult<()> {
    let Some(input) = MODEL.input_of(operation) else {
        return Ok(());
    };
    let mut found = Vec::new();
    check_value(input, body, "", false, &mut found)?;
    match found.len() {
        0 => Ok(()),
        1 => Err(CognitoError::new(
            ErrorKind::InvalidParameterException,
            format!("1 validation error detected: {}", found[0]),
        )),
        n => Err(CognitoError::new(
            ErrorKind::InvalidParameterException,
            format!("{n} validation errors detected: {}", found.join("; ")),
        )),
    }
}

/// A constraint a value breaks, as the message says it.
fn violation(path: &str, value: Option<&str>, sensitive: bool, constraint: &str) -> String {
    match (sensitive, value) {
        (true, _) => format!("Value at '{path}' failed to satisfy constraint: {constraint}"),
        (false, Some(value)) => {
            format!("Value '{value}' at '{path}' failed to satisfy constraint: {constraint}")
        }
        (false, None) => {
            format!("Value null at '{path}' failed to satisfy constraint: {constraint}")
        }
    }
}

fn shape(name: &str) -> Option<&'static Shape> {
    MODEL.shape(name)
}

/// Checks one value of a shape, adding what it breaks to `found`. Inside a sensitive
/// shape (`inherited`), every member is sensitive too.
fn check_value(
    name: &str,
    value: &Value,
    path: &str,
    inherited: bool,
    found: &mut Vec<String>,
) -> OpResult<()> {
    let Some(shape) = shape(name) else {
        return Ok(());
    };
    let hidden = inherited || shape.sensitive;
    match &shape.kind {
        Kind::Structure(members) => {
            let Some(object) = value.as_object() else {
                return Err(wrong_type(value, "a structure"));
            };
            for member in members {
                let path = join(path, &member.path);
                match object.get(&member.name).filter(|v| !v.is_null()) {
                    Some(v) => check_value(&member.shape, v, &path, hidden, found)?,
                    None if member.required => {
                        let sensitive = hidden || shape_of(&member.shape).sensitive;
                        found.push(violation(&path, None, sensitive, "Member must not be null"));
                    }
                    None => {}
                }
            }
        }
        Kind::List { member, length } => {
            let Some(items) = value.as_array() else {
                return Err(wrong_type(value, "a list"));
            };
            let element = shape_of(member);
            let sensitive = hidden || element.sensitive;
            let shown = || show(value);
            for constraint in length_violations(items.len(), *length) {
                found.push(violation(path, Some(&shown()), sensitive, &constraint));
            }
            if is_scalar(element) {
                let mut broken = false;
                for item in items {
                    broken |= !scalar_violations(element, item)?.is_empty();
                }
                if broken {
                    let constraint = format!(
                        "Member must satisfy constraint: [{}]",
                        describe(element).join(", ")
                    );
                    found.push(violation(path, Some(&shown()), sensitive, &constraint));
                }
            } else {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{path}.{}.member", i + 1);
                    check_value(member, item, &path, hidden, found)?;
                }
            }
        }
        Kind::Map {
            key,
            value: value_shape,
            length,
        } => {
            let Some(entries) = value.as_object() else {
                return Err(wrong_type(value, "a map"));
            };
            let (key_shape, value_of) = (shape_of(key), shape_of(value_shape));
            let sensitive = hidden || value_of.sensitive;
            let shown = || show(value);
            for constraint in length_violations(entries.len(), *length) {
                found.push(violation(path, Some(&shown()), sensitive, &constraint));
            }
            let (mut bad_key, mut bad_value) = (false, false);
            for (k, v) in entries {
                bad_key |= !scalar_violations(key_shape, &Value::String(k.clone()))?.is_empty();
                if v.is_null() {
                    continue;
                }
                if is_scalar(value_of) {
                    bad_value |= !scalar_violations(value_of, v)?.is_empty();
                } else {
                    check_value(value_shape, v, &join(path, k), hidden, found)?;
                }
            }
            if bad_key {
                let constraint = format!(
                    "Map keys must satisfy constraint: [{}]",
                    describe(key_shape).join(", ")
                );
                found.push(violation(path, Some(&shown()), sensitive, &constraint));
            }
            if bad_value {
                let constraint = format!(
                    "Map value must satisfy constraint: [{}]",
                    describe(value_of).join(", ")
                );
                found.push(violation(path, Some(&shown()), sensitive, &constraint));
            }
        }
        _ => {
            let shown = show(value);
            for constraint in scalar_violations(shape, value)? {
                found.push(violation(path, Some(&shown), hidden, &constraint));
            }
        }
    }
    Ok(())
}

/// A shape the model names, or an unconstrained one.
fn shape_of(name: &str) -> &'static Shape {
    static NONE: Shape = Shape {
        kind: Kind::Document,
        sensitive: false,
    };
    shape(name).unwrap_or(&NONE)
}

fn is_scalar(shape: &Shape) -> bool {
    !matches!(
        shape.kind,
        Kind::Structure(_) | Kind::List { .. } | Kind::Map { .. }
    )
}

/// What a scalar value breaks, in the service's order: enum, lengths, pattern, range.
fn scalar_violations(shape: &Shape, value: &Value) -> OpResult<Vec<String>> {
    let mut broken = Vec::new();
    match &shape.kind {
        Kind::String {
            length,
            pattern,
            values,
        } => {
            let Some(text) = value.as_str() else {
                return Err(wrong_type(value, "a string"));
            };
            if let Some(values) = values
                && !values.iter().any(|v| v == text)
            {
                broken.push(enum_constraint(values));
            }
            broken.extend(length_violations(text.chars().count(), *length));
            if let Some(pattern) = pattern
                && !pattern.matches(text)
            {
                broken.push(format!(
                    "Member must satisfy regular expression pattern: {}",
                    pattern.shown
                ));
            }
        }
        Kind::Number { range, bits } => {
            let number = integer(value, *bits)?;
            if let Some(min) = range.min
                && number < min
            {
                broken.push(format!(
                    "Member must have value greater than or equal to {min}"
                ));
            }
            if let Some(max) = range.max
                && number > max
            {
                broken.push(format!(
                    "Member must have value less than or equal to {max}"
                ));
            }
        }
        Kind::Boolean if !value.is_boolean() => return Err(wrong_type(value, "a boolean")),
        Kind::Blob { length } => {
            let bytes = value
                .as_str()
                .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
                .ok_or_else(|| wrong_type(value, "base64 bytes"))?;
            broken.extend(length_violations(bytes.len(), *length));
        }
        Kind::Timestamp if !(value.is_number() || value.is_string()) => {
            return Err(wrong_type(value, "a timestamp"));
        }
        _ => {}
    }
    Ok(broken)
}

/// The constraints a scalar shape sets, as the service lists them for the elements
/// of a list or map: `Member must have length less than or equal to 128, ...`.
fn describe(shape: &Shape) -> Vec<String> {
    let mut all = Vec::new();
    let lengths = |all: &mut Vec<String>, b: Bounds| {
        if let Some(max) = b.max {
            all.push(format!(
                "Member must have length less than or equal to {max}"
            ));
        }
        if let Some(min) = b.min {
            all.push(format!(
                "Member must have length greater than or equal to {min}"
            ));
        }
    };
    match &shape.kind {
        Kind::String {
            length,
            pattern,
            values,
        } => {
            if let Some(values) = values {
                all.push(enum_constraint(values));
            }
            lengths(&mut all, *length);
            if let Some(pattern) = pattern {
                all.push(format!(
                    "Member must satisfy regular expression pattern: {}",
                    pattern.shown
                ));
            }
        }
        Kind::Number { range, .. } => {
            if let Some(max) = range.max {
                all.push(format!(
                    "Member must have value less than or equal to {max}"
                ));
            }
            if let Some(min) = range.min {
                all.push(format!(
                    "Member must have value greater than or equal to {min}"
                ));
            }
        }
        Kind::Blob { length } => lengths(&mut all, *length),
        _ => {}
    }
    all
}

fn enum_constraint(values: &[String]) -> String {
    format!(
        "Member must satisfy enum value set: [{}]",
        values.join(", ")
    )
}

/// One message per bound a length breaks (never "between").
fn length_violations(length: usize, bounds: Bounds) -> Vec<String> {
    let length = i64::try_from(length).unwrap_or(i64::MAX);
    let mut broken = Vec::new();
    if let Some(min) = bounds.min
        && length < min
    {
        broken.push(format!(
            "Member must have length greater than or equal to {min}"
        ));
    }
    if let Some(max) = bounds.max
        && length > max
    {
        broken.push(format!(
            "Member must have length less than or equal to {max}"
        ));
    }
    broken
}

/// A JSON integer of the given width, or the service's `SerializationException` (a
/// fraction, or a value out of range).
fn integer(value: &Value, bits: u32) -> OpResult<i64> {
    let limit = if bits == 32 {
        i64::from(i32::MAX)
    } else {
        i64::MAX
    };
    match value.as_i64() {
        Some(n) if n <= limit && n >= -limit - 1 => Ok(n),
        _ => Err(wrong_type(
            value,
            if bits == 32 { "an Integer" } else { "a Long" },
        )),
    }
}

/// The `SerializationException` for a value of the wrong JSON type.
fn wrong_type(value: &Value, expected: &str) -> CognitoError {
    let message = match value {
        Value::Object(_) => "Start of structure or map found where not expected.".to_owned(),
        Value::Array(_) => "Start of list found where not expected.".to_owned(),
        Value::String(_) => format!("STRING_VALUE can not be converted to {expected}"),
        Value::Number(_) => format!("NUMBER_VALUE can not be converted to {expected}"),
        Value::Bool(_) => format!("BOOLEAN_VALUE can not be converted to {expected}"),
        Value::Null => format!("null can not be converted to {expected}"),
    };
    CognitoError::new(ErrorKind::SerializationException, message)
}

/// A value as Java prints it in messages: strings bare, lists `[a, b]`, maps `{k=v}`.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}={}", show(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(op: &str, body: Value) -> String {
        check(op, &body).unwrap_err().message
    }

    #[test]
    fn every_broken_constraint_is_reported() {
        assert_eq!(
            message(
                "SignUp",
                json!({"ClientId": "abc", "Username": "", "Password": " "})
            ),
            "3 validation errors detected: \
             Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$; \
             Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
        );
    }

    #[test]
    fn nulls_pool_ids_and_ranges() {
        assert_eq!(
            message("ListUsers", json!({"UserPoolId": "x", "Limit": 61})),
            "2 validation errors detected: \
             Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60; \
             Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"
        );
        assert_eq!(
            message("AdminGetUser", json!({"UserPoolId": "us-east-1_abc"})),
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            message("DescribeUserPool", json!({})),
            "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn lists_of_values_are_reported_once() {
        let text = message(
            "CreateUserPoolClient",
            json!({"UserPoolId": "us-east-1_abc", "ClientName": "c",
                   "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "NOPE", "ALSO_NOT"]}),
        );
        assert!(
            text.starts_with(
                "1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, NOPE, ALSO_NOT]' at \
                 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: \
                 [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, "
            ),
            "{text}"
        );
        assert!(text.ends_with("ALLOW_CLIENT_TOKEN_AUTH]]"), "{text}");
    }

    #[test]
    fn list_elements_are_numbered_from_one() {
        let long = "v".repeat(2049);
        assert_eq!(
            message(
                "AdminCreateUser",
                json!({"UserPoolId": "us-east-1_abc", "Username": "u",
                       "UserAttributes": [{"Name": "email", "Value": "a"}, {"Name": "", "Value": long}]})
            ),
            "3 validation errors detected: \
             Value '' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+; \
             Value at 'userAttributes.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048"
        );
    }

    #[test]
    fn client_ids_are_printed_and_types_are_checked() {
        assert!(
            message(
                "InitiateAuth",
                json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "a b"})
            )
            .contains("Value 'a b' at 'clientId'")
        );
        let err = check(
            "ListUsers",
            &json!({"UserPoolId": "us-east-1_abc", "Limit": "5"}),
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::SerializationException);
        let err = check("SignUp", &json!({"ClientId": {"a": 1}})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::SerializationException);
        let err = check(
            "ListUsers",
            &json!({"UserPoolId": "us-east-1_abc", "Limit": 5.5}),
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::SerializationException);
        // Inside a sensitive structure, values are not echoed.
        let long = "e".repeat(131_073);
        let text = message(
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "abc",
                   "UserContextData": {"EncodedData": long}}),
        );
        assert!(
            text.contains("Value at 'userContextData.encodedData'"),
            "{text}"
        );
        assert!(!text.contains("eeee"));
    }
}
