//! The user import CSV, by the developer guide's rules ("Creating the user import .csv
//! file"): the header of GetCSVHeader in any order, every column present; values
//! unquoted, a comma inside one escaped as `\,`, white space trimmed; at most 16,000
//! characters a row. One row is one user, imported in RESET_REQUIRED without a
//! password; it is skipped if the user exists and fails (the job going on) if it breaks
//! a rule: no auto-verified attribute true, a `_verified` flag without its value, a
//! missing required attribute, an MFA flag the pool's MFA setting does not allow, or
//! a value the schema refuses. Log lines name rows by line number and never hold
//! user data.

use super::attributes::{self, AttributeIn, Writer};
use super::imported_hashes::{self, ImportedHashRecord};
use super::records::PoolRecord;
use super::state::{HashAlgorithm, MfaConfiguration, UserStatus};
use super::{Ctx, users};
use crate::error::{ErrorKind, OpResult};

/// The longest row the service reads.
pub const MAX_ROW_CHARS: usize = 16_000;
/// The most rows a file may hold, header not counted.
pub const MAX_ROWS: usize = 500_000;

const USERNAME: &str = "cognito:username";
const MFA_ENABLED: &str = "cognito:mfa_enabled";

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `[SUCCEEDED] ... - The import succeeded.`
    Imported,
    /// `[SKIPPED] ... - The user already exists.`
    Skipped,
    /// `[FAILED] ... - <why>`
    Failed(&'static str),
}

impl Outcome {
    /// The CloudWatch line AWS writes for the row at `line` (1 is the header).
    pub fn log_line(&self, line: usize) -> String {
        match self {
            Outcome::Imported => format!("[SUCCEEDED] Line Number {line} - The import succeeded."),
            Outcome::Skipped => format!("[SKIPPED] Line Number {line} - The user already exists."),
            Outcome::Failed(why) => format!("[FAILED] Line Number {line} - {why}"),
        }
    }
}

const NOT_VERIFIED: &str = "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).";
const SCHEMA: &str = "The user data doesn't match the schema.";
const COLUMNS: &str = "The row does not have a value for every column of the header.";
const TOO_LONG: &str = "The row is longer than 16000 characters.";
const BAD_USERNAME: &str = "The cognito:username value is empty or contains spaces or tabs.";
const MFA: &str = "The cognito:mfa_enabled value does not match the user pool's MFA configuration.";

/// The fields of one line: split at commas not escaped as `\,`, each trimmed.
pub fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                chars.next();
                if let Some(last) = out.last_mut() {
                    last.push(',');
                }
            }
            ',' => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out.into_iter().map(|f| f.trim().to_owned()).collect()
}

/// The column of imported password hashes (jobs with a PasswordHashingAlgorithm).
pub const PASSWORD_HASH: &str = "password_hash";

/// The header's problem, if it is not the pool's: every column of GetCSVHeader, in
/// any order, and no other; with a hashing algorithm, `password_hash` too ("If an
/// algorithm is set but the column is missing, the job fails").
pub fn check_header(
    pool: &PoolRecord,
    header: &[String],
    hashing: Option<HashAlgorithm>,
) -> Result<(), String> {
    let mut expected = csv_header(pool);
    if hashing.is_some() {
        expected.push(PASSWORD_HASH.to_owned());
    }
    let missing: Vec<&String> = expected.iter().filter(|c| !header.contains(c)).collect();
    let unknown: Vec<&String> = header.iter().filter(|c| !expected.contains(c)).collect();
    match (missing.first(), unknown.first()) {
        (None, None) => Ok(()),
        (Some(column), _) => Err(format!("The CSV header has no column {column}.")),
        (None, Some(column)) => Err(format!("The CSV header has an unknown column {column}.")),
    }
}

/// GetCSVHeader's columns: the pool's attributes but `sub`, then the two of Cognito.
pub fn csv_header(pool: &PoolRecord) -> Vec<String> {
    let mut header: Vec<String> = pool
        .schema
        .iter()
        .filter(|a| a.name != "sub")
        .map(|a| a.name.clone())
        .collect();
    header.push(MFA_ENABLED.to_owned());
    header.push(USERNAME.to_owned());
    header
}

/// Imports one row (its fields under `header`). With a hashing algorithm, a row with a
/// `password_hash` makes a CONFIRMED user who signs in with that password; without
/// one, the user must reset it (RESET_REQUIRED).
pub fn import(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    header: &[String],
    line: &str,
    hashing: Option<HashAlgorithm>,
) -> OpResult<Outcome> {
    if line.chars().count() > MAX_ROW_CHARS {
        return Ok(Outcome::Failed(TOO_LONG));
    }
    let values = fields(line);
    if values.len() != header.len() {
        return Ok(Outcome::Failed(COLUMNS));
    }
    let value = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .map(|i| values[i].as_str())
            .filter(|v| !v.is_empty())
    };
    let Some(username) = value(USERNAME).filter(|u| !u.contains([' ', '\t'])) else {
        return Ok(Outcome::Failed(BAD_USERNAME));
    };
    let is_true = |name: &str| value(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    // At least one auto-verified attribute must be verified, and a verified flag
    // needs its value.
    if !pool
        .auto_verified_attributes
        .iter()
        .any(|a| is_true(&format!("{a}_verified")))
    {
        return Ok(Outcome::Failed(NOT_VERIFIED));
    }
    for attribute in ["email", "phone_number"] {
        if is_true(&format!("{attribute}_verified")) && value(attribute).is_none() {
            return Ok(Outcome::Failed(SCHEMA));
        }
    }
    // "If MFA is required ... true or blank"; off: "false or blank".
    let mfa = value(MFA_ENABLED).map(|v| v.to_ascii_lowercase());
    let mfa_ok = match (pool.mfa_configuration, mfa.as_deref()) {
        (_, None) => true,
        (MfaConfiguration::On, Some(v)) => v == "true",
        (MfaConfiguration::Off, Some(v)) => v == "false",
        (MfaConfiguration::Optional, Some(v)) => v == "true" || v == "false",
    };
    if !mfa_ok {
        return Ok(Outcome::Failed(MFA));
    }
    let hash = match (hashing, value(PASSWORD_HASH)) {
        (Some(algorithm), Some(hash)) if imported_hashes::check(algorithm, hash) => {
            Some(ImportedHashRecord {
                algorithm,
                hash: hash.to_owned(),
            })
        }
        (Some(_), Some(_)) => return Ok(Outcome::Failed(imported_hashes::MALFORMED)),
        _ => None,
    };
    let status = if hash.is_some() {
        UserStatus::Confirmed
    } else {
        UserStatus::ResetRequired
    };
    let (mut user, from_name) = match users::new_user(ctx, pool, username, status) {
        Ok(made) => made,
        Err(_) => return Ok(Outcome::Failed(SCHEMA)),
    };
    if users::name_taken(ctx, pool, username, &user.username)? {
        return Ok(Outcome::Skipped);
    }
    let mut given: Vec<AttributeIn> = header
        .iter()
        .zip(&values)
        .filter(|(name, v)| {
            !name.starts_with("cognito:") && name.as_str() != PASSWORD_HASH && !v.is_empty()
        })
        .map(|(name, v)| AttributeIn {
            name: name.clone(),
            value: Some(v.clone()),
        })
        .collect();
    given.extend(from_name);
    let applied = attributes::apply(pool, &mut user, &given, Writer::Admin)
        .and_then(|_| attributes::check_required(pool, &user));
    if applied.is_err() {
        return Ok(Outcome::Failed(SCHEMA));
    }
    // An alias or user-name attribute of another user: the row fails, nothing written.
    // Any other error (a store failure, a recovery pausing writes) stops the chunk.
    match users::save(ctx, pool, &user) {
        Ok(()) => {
            if let Some(hash) = &hash {
                imported_hashes::put(ctx, pool, &user.username, hash)?;
            }
            Ok(Outcome::Imported)
        }
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::AliasExistsException | ErrorKind::UsernameExistsException
            ) =>
        {
            Ok(Outcome::Failed(SCHEMA))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_commas_stay_in_their_field() {
        assert_eq!(fields(" a , b\\,c ,,d"), ["a", "b,c", "", "d"]);
    }
}
