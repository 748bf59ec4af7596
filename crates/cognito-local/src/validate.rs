//! The constraints Cognito checks on request members, with its messages (used by the
//! operations and the domain alike).

use crate::error::{CognitoError, OpResult};

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

/// A page size: the model bounds `Limit` and `MaxResults` to 0..=60 (the handlers see
/// only valid values); 0, which `QueryLimitType` allows, and no value read as 60.
pub fn page_size(value: Option<i64>) -> usize {
    match value {
        Some(n @ 1..=60) => n as usize,
        _ => 60,
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
}
