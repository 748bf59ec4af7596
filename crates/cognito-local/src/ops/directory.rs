//! Finding users by user name or sign-in alias, and keeping names and aliases unique.

use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{PoolRecord, UserRecord};

use super::Ctx;

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
    if let Some(user) = ctx.store.get::<UserRecord>(&pool.id, &key)? {
        return Ok(Some(user));
    }
    for (attribute, _) in sign_in_attributes(pool) {
        if let Some(username) = ctx.store.lookup::<UserRecord>(&pool.id, attribute, &key)? {
            return Ok(ctx.store.get(&pool.id, &username)?);
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
    let store = ctx.store;
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
    store.put(&pool.id, &user.username, user)?;
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
        || ctx.store.get::<UserRecord>(&pool.id, username)?.is_some())
}

/// Whether another user holds this user-name attribute value already (for sign-up).
pub fn taken(ctx: &Ctx<'_>, pool: &PoolRecord, attribute: &str, value: &str) -> OpResult<bool> {
    Ok(ctx
        .store
        .lookup::<UserRecord>(&pool.id, attribute, &normalise(pool, value))?
        .is_some())
}
