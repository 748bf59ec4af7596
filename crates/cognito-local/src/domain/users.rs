//! Users: kept in their pool's scope by user name; found by user name, `sub` or sign-in
//! alias through lookups that keep names and aliases unique.

use super::attributes::{self, AttributeIn};
use super::records::{DeviceRecord, MembershipRecord, PoolRecord, SignInRecord, UserRecord};
use super::state::UserStatus;
use super::{Ctx, LINK_USER};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The stored form of a user name or alias value: lowercased when the pool ignores case.
pub fn normalise(pool: &PoolRecord, name: &str) -> String {
    if pool.username_case_sensitive {
        name.to_owned()
    } else {
        name.to_lowercase()
    }
}

/// Attributes that sign a user in besides the user name, and whether they must be verified first.
fn sign_in_attributes(pool: &PoolRecord) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = pool
        .username_attributes
        .iter()
        .map(|a| (a.as_str(), false))
        .collect();
    for alias in &pool.alias_attributes {
        out.push((alias.as_str(), alias != "preferred_username"));
    }
    out
}

/// A user by user name, `sub`, or sign-in alias.
pub fn find(ctx: &Ctx<'_>, pool: &PoolRecord, name: &str) -> OpResult<Option<UserRecord>> {
    let key = normalise(pool, name);
    if let Some(user) = ctx.tx().get::<UserRecord>(&pool.id, &key)? {
        return Ok(Some(user));
    }
    for (attribute, _) in sign_in_attributes(pool) {
        if let Some(username) = ctx.tx().lookup::<UserRecord>(&pool.id, attribute, &key)? {
            return Ok(ctx.tx().get(&pool.id, &username)?);
        }
    }
    Ok(None)
}

/// A user, or `UserNotFoundException: User does not exist.`
pub fn require(ctx: &Ctx<'_>, pool: &PoolRecord, name: &str) -> OpResult<UserRecord> {
    find(ctx, pool, name)?.ok_or_else(user_not_found)
}

/// The service's error for an unknown user.
pub fn user_not_found() -> CognitoError {
    CognitoError::new(ErrorKind::UserNotFoundException, "User does not exist.")
}

/// Saves a user and its lookups; fails without writing if an alias or user-name
/// attribute belongs to another user.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    super::recovery::check_writable(ctx, pool)?;
    write(ctx, pool, user, true)
}

/// Saves a user as [`save`] does, also while a point-in-time recovery pauses the
/// pool's writes and without a journal entry: what signing in and guessing codes keep
/// (failed attempts, a device group), for "sign-in and read operations continue to
/// work" (API reference, InitiatePointInTimeRecovery), and so that unauthenticated
/// guesses add nothing to the journal.
pub fn save_sign_in_state(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    write(ctx, pool, user, false)
}

fn write(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord, journaled: bool) -> OpResult<()> {
    let store = ctx.tx();
    let mut wanted = Vec::new();
    for (attribute, needs_verification) in sign_in_attributes(pool) {
        let value = user.attributes.get(attribute);
        let verified = user
            .attributes
            .get(&format!("{attribute}_verified"))
            .is_some_and(|v| v == "true");
        match value {
            Some(value) if !needs_verification || verified => {
                let value = normalise(pool, value);
                if let Some(owner) = store.lookup::<UserRecord>(&pool.id, attribute, &value)?
                    && owner != user.username
                {
                    let message = format!("An account with the given {attribute} already exists.");
                    let kind = if pool.username_attributes.iter().any(|a| a == attribute) {
                        ErrorKind::UsernameExistsException
                    } else {
                        ErrorKind::AliasExistsException
                    };
                    return Err(CognitoError::new(kind, message));
                }
                wanted.push((attribute, Some(value)));
            }
            _ => wanted.push((attribute, None)),
        }
    }
    if user.password.is_some() {
        // A password set (a reset, an admin's, the first sign-in) replaces an imported hash.
        super::imported_hashes::delete(ctx, pool, &user.username)?;
    }
    if journaled {
        store.put(&pool.id, &user.username, user)?;
    } else {
        store.put_unjournaled(&pool.id, &user.username, user)?;
    }
    store.clear_lookup::<UserRecord>(&pool.id, "sub", &user.username)?;
    store.set_lookup::<UserRecord>(&pool.id, "sub", &user.sub, &user.username)?;
    for (attribute, value) in wanted {
        store.clear_lookup::<UserRecord>(&pool.id, attribute, &user.username)?;
        if let Some(value) = value {
            store.set_lookup::<UserRecord>(&pool.id, attribute, &value, &user.username)?;
        }
    }
    Ok(())
}

/// Whether a new user named `given` (stored as `username`) would clash with an existing
/// user name or sign-in alias.
pub fn name_taken(ctx: &Ctx<'_>, pool: &PoolRecord, given: &str, username: &str) -> OpResult<bool> {
    Ok(find(ctx, pool, given)?.is_some()
        || ctx.tx().get::<UserRecord>(&pool.id, username)?.is_some())
}

/// Whether another user holds this user-name attribute value already (for sign-up).
pub fn taken(ctx: &Ctx<'_>, pool: &PoolRecord, attribute: &str, value: &str) -> OpResult<bool> {
    Ok(ctx
        .tx()
        .lookup::<UserRecord>(&pool.id, attribute, &normalise(pool, value))?
        .is_some())
}

/// A user by the user name it is stored under (as sessions and sign-ins remember it).
pub fn by_username(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
) -> OpResult<Option<UserRecord>> {
    Ok(ctx.tx().get(&pool.id, username)?)
}

/// With ForceAliasCreation, an alias another user holds moves to this one.
pub fn steal_aliases(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    for alias in &pool.alias_attributes {
        let Some(value) = user.attributes.get(alias) else {
            continue;
        };
        if let Some(owner) =
            ctx.tx()
                .lookup::<UserRecord>(&pool.id, alias, &normalise(pool, value))?
            && owner != user.username
            && let Some(mut other) = by_username(ctx, pool, &owner)?
        {
            other.attributes.remove(&format!("{alias}_verified"));
            save(ctx, pool, &other)?;
        }
    }
    Ok(())
}

/// Deletes a user, its group memberships and its devices.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    super::recovery::check_writable(ctx, pool)?;
    let tx = ctx.tx();
    tx.delete_linked::<MembershipRecord>(&pool.id, LINK_USER, &user.username)?;
    tx.delete_linked::<DeviceRecord>(&pool.id, LINK_USER, &user.username)?;
    // Its sign-ins go too: their refresh and access tokens stop working at once.
    tx.delete_linked::<SignInRecord>(&pool.id, LINK_USER, &user.username)?;
    super::sessions::close_all_of(ctx, &pool.id, &user.username)?;
    super::auth_events::delete_all(ctx, pool, &user.username)?;
    super::imported_hashes::delete(ctx, pool, &user.username)?;
    super::provider_links::delete_all_of(ctx, pool, &user.username)?;
    tx.delete::<UserRecord>(&pool.id, &user.username)?;
    Ok(())
}

/// A pool's users in user-name order after `after`, at most `limit`, each with its key.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, UserRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}

/// A new user record for a name given in a request, and the attribute the name stands
/// for in pools where email or phone is the user name (the user name is then the `sub`).
pub fn new_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    given: &str,
    status: UserStatus,
) -> OpResult<(UserRecord, Option<AttributeIn>)> {
    let (username, from_name) = new_username(pool, given)?;
    let mut user = blank(ctx, &username, status);
    if from_name.is_some() {
        user.sub = username;
    }
    Ok((user, from_name))
}

/// A new user record under `username` (as stored), with a new `sub` and nothing else.
pub fn blank(ctx: &Ctx<'_>, username: &str, status: UserStatus) -> UserRecord {
    UserRecord {
        username: username.to_owned(),
        sub: uuid::Uuid::new_v4().to_string(),
        attributes: Default::default(),
        enabled: true,
        status,
        created: ctx.now,
        modified: ctx.now,
        password: None,
        temporary_password_expires: None,
        pending_code: None,
        code_guard: Default::default(),
        mfa_options: None,
        failures: Default::default(),
        mfa: Default::default(),
        device_group_key: None,
    }
}

/// The user name a new user is stored under, and the attribute the name gave.
fn new_username(pool: &PoolRecord, given: &str) -> OpResult<(String, Option<AttributeIn>)> {
    if given.is_empty() || given.chars().count() > 128 {
        return Err(CognitoError::validation(
            "username",
            Some(given),
            "Member must have length between 1 and 128",
        ));
    }
    if pool.username_attributes.is_empty() {
        if given.contains(char::is_whitespace) {
            return Err(CognitoError::validation(
                "username",
                Some(given),
                "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
            ));
        }
        return Ok((normalise(pool, given), None));
    }
    let attribute = if attributes::looks_like_email(given)
        && pool.username_attributes.iter().any(|a| a == "email")
    {
        "email"
    } else if attributes::looks_like_phone(given)
        && pool.username_attributes.iter().any(|a| a == "phone_number")
    {
        "phone_number"
    } else {
        let expected = pool
            .username_attributes
            .join(" or ")
            .replace("phone_number", "phone number");
        return Err(CognitoError::invalid_parameter(format!(
            "Username should be an {expected}."
        )));
    };
    let attribute = AttributeIn {
        name: attribute.to_owned(),
        value: Some(given.to_owned()),
    };
    Ok((uuid::Uuid::new_v4().to_string(), Some(attribute)))
}
