//! The constraints Cognito checks on request members, with its messages (used by the
//! operations and the domain alike).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::error::{CognitoError, OpResult};

/// The model's pattern for user names and attribute names (`UsernameType`,
/// `AttributeNameType`): letters, marks, symbols, numbers and punctuation only, so no
/// control, format (U+200B, U+202E) or space characters.
const PRINTABLE: &str = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+";

fn printable(value: &str) -> bool {
    static WHOLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$").expect("the pattern compiles")
    });
    WHOLE.is_match(value)
}

/// The members every operation checks alike before its own rules, as the model
/// constrains them: `Username` (`UsernameType`, 1 to 128 characters), and in
/// `UserAttributes` the names (`AttributeNameType`, 1 to 32) and values
/// (`AttributeValueType`, at most 2048; the model sets them no pattern).
pub fn common_members(body: &Value) -> OpResult<()> {
    if let Some(name) = body.get("Username").and_then(Value::as_str) {
        let length = name.chars().count();
        if length == 0 || length > 128 {
            let constraint = if length == 0 {
                "Member must have length greater than or equal to 1"
            } else {
                "Member must have length less than or equal to 128"
            };
            return Err(CognitoError::validation_sensitive("username", constraint));
        }
        if !printable(name) {
            return Err(CognitoError::validation_sensitive(
                "username",
                &format!("Member must satisfy regular expression pattern: {PRINTABLE}"),
            ));
        }
    }
    let attributes = body.get("UserAttributes").and_then(Value::as_array);
    for (i, attribute) in attributes.into_iter().flatten().enumerate() {
        let Some(name) = attribute.get("Name").and_then(Value::as_str) else {
            continue;
        };
        if let Some(value) = attribute.get("Value").and_then(Value::as_str)
            && value.chars().count() > 2048
        {
            // AttributeValueType: at most 2048 characters, a sensitive member.
            return Err(CognitoError::validation_sensitive(
                &format!("userAttributes.{}.member.value", i + 1),
                "Member must have length less than or equal to 2048",
            ));
        }
        let member = format!("userAttributes.{}.member.name", i + 1);
        if !(1..=32).contains(&name.chars().count()) {
            return Err(CognitoError::validation(
                &member,
                Some(name),
                "Member must have length less than or equal to 32",
            ));
        }
        if !printable(name) {
            return Err(CognitoError::validation(
                &member,
                Some(name),
                &format!("Member must satisfy regular expression pattern: {PRINTABLE}"),
            ));
        }
    }
    Ok(())
}

/// `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters: the workspace's one rule
/// (`cognito_srp::PoolId`).
pub fn pool_id(member: &str, id: &str) -> OpResult<()> {
    if cognito_srp::PoolId::parse(id).is_ok() {
        Ok(())
    } else {
        Err(CognitoError::validation(
            member,
            Some(id),
            "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
        ))
    }
}

/// `[\w+]+`, 1 to 128 characters.
pub fn client_id(member: &str, id: &str) -> OpResult<()> {
    let ok = (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'+');
    if ok {
        Ok(())
    } else {
        Err(CognitoError::validation(
            member,
            Some(id),
            "Member must satisfy regular expression pattern: [\\w+]+",
        ))
    }
}

/// Names of pools, clients and groups: `[\w\s+=,.@-]+`, 1 to `max` characters.
pub fn name(member: &str, value: &str, max: usize) -> OpResult<()> {
    let length = value.chars().count();
    if !(1..=max).contains(&length) {
        return Err(CognitoError::validation(
            member,
            Some(value),
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    let ok = value
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(CognitoError::validation(
            member,
            Some(value),
            "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        ))
    }
}

/// A page size between 1 and `max`.
pub fn max_results(member: &str, value: i64, max: i64) -> OpResult<usize> {
    if (1..=max).contains(&value) {
        Ok(value as usize)
    } else if value < 1 {
        Err(CognitoError::validation(
            member,
            Some(&value.to_string()),
            "Member must have value greater than or equal to 1",
        ))
    } else {
        Err(CognitoError::validation(
            member,
            Some(&value.to_string()),
            &format!("Member must have value less than or equal to {max}"),
        ))
    }
}

/// A value from a fixed set.
pub fn one_of(member: &str, value: &str, allowed: &[&str]) -> OpResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(CognitoError::validation(
            member,
            Some(value),
            &format!(
                "Member must satisfy enum value set: [{}]",
                allowed.join(", ")
            ),
        ))
    }
}

/// A value of a named enum (`parse` and its `NAMES`), or the service's enum error.
pub fn named<T>(
    member: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> OpResult<T> {
    parse(value).ok_or_else(|| {
        CognitoError::validation(
            member,
            Some(value),
            &format!("Member must satisfy enum value set: [{}]", names.join(", ")),
        )
    })
}

/// A list of values of a named enum, each checked as [`named`] checks one.
pub fn all_named<T>(
    member: &str,
    values: &[String],
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> OpResult<Vec<T>> {
    values
        .iter()
        .map(|value| named(member, value, parse, names))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_follow_the_pattern() {
        assert!(pool_id("userPoolId", "us-east-1_AbCdEfGhI").is_ok());
        for bad in [
            "",
            "us-east-1",
            "us-east-1_",
            "us-east-1_a-b",
            &format!("us-east-1_{}", "a".repeat(50)),
        ] {
            let err = pool_id("userPoolId", bad).unwrap_err();
            assert!(
                err.message
                    .contains("at 'userPoolId' failed to satisfy constraint"),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_follow_the_pattern() {
        assert!(name("poolName", "My pool-1.test@x", 128).is_ok());
        assert!(name("poolName", "", 128).is_err());
        assert!(name("poolName", "bad/name", 128).is_err());
        assert!(name("poolName", &"a".repeat(129), 128).is_err());
    }
}
