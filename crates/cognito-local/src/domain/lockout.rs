//! Failed sign-ins: counted on the user, and an exponential lockout after
//! [`LOCKOUT_AFTER`] in a row, as Cognito's documented lockout behaviour describes.

use super::records::{PoolRecord, StoredVerifier, UserRecord};
use super::{Ctx, users};
use crate::error::{CognitoError, OpResult};

/// Failed sign-ins before the user is locked out for a while.
const LOCKOUT_AFTER: u32 = 5;
/// The longest lockout, in seconds (15 minutes).
const LONGEST_SECONDS: i64 = 900;

/// The service's answer to a wrong password (or an unknown user, when hidden).
pub fn incorrect() -> CognitoError {
    CognitoError::not_authorized("Incorrect username or password.")
}

/// Refuses disabled and locked-out users.
pub fn check(ctx: &Ctx<'_>, user: &UserRecord) -> OpResult<()> {
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if user.locked_until.is_some_and(|until| ctx.now < until) {
        return Err(CognitoError::not_authorized("Password attempts exceeded"));
    }
    Ok(())
}

/// The user as it is now, after a password or SRP check that ran without the store's
/// lock: a user whose password is no longer the `checked` one is refused as for a wrong
/// password, and one disabled or locked out meanwhile as [`check`] refuses it.
pub fn reread(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    checked: &Option<StoredVerifier>,
) -> OpResult<UserRecord> {
    let user = users::by_username(ctx, pool, username)?
        .filter(|u| u.password == *checked)
        .ok_or_else(incorrect)?;
    check(ctx, &user)?;
    Ok(user)
}

/// Counts a failed sign-in, committed at once (the operation fails, the count stays),
/// and locks out after [`LOCKOUT_AFTER`] in a row for a time that doubles with each
/// further failure. Returns the error to answer with.
pub fn failed(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> CognitoError {
    user.failed_sign_ins += 1;
    let mut error = incorrect();
    if user.failed_sign_ins >= LOCKOUT_AFTER {
        let exponent = (user.failed_sign_ins - LOCKOUT_AFTER).min(10);
        let seconds = 2i64.pow(exponent).min(LONGEST_SECONDS);
        user.locked_until = Some(ctx.now.plus_secs(seconds));
        error = CognitoError::not_authorized("Password attempts exceeded");
    }
    match users::save(ctx, pool, user).and_then(|()| ctx.commit_so_far()) {
        Ok(()) => error,
        Err(e) => e,
    }
}

/// Forgets earlier failures after a sign-in proved the password; `false` when there
/// were none (nothing to save).
pub fn succeeded(user: &mut UserRecord) -> bool {
    let had = user.failed_sign_ins != 0 || user.locked_until.is_some();
    user.failed_sign_ins = 0;
    user.locked_until = None;
    had
}
