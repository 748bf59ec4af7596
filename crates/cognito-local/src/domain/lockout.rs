//! Failed sign-ins: counted on the user, and an exponential lockout after
//! [`LOCKOUT_AFTER`] in a row, as Cognito's documented lockout behaviour describes.
//! Every guessable secret of a sign-in counts: the password, the SRP proof, an MFA
//! code, ChangePassword's previous password. The count is forgotten after
//! [`FORGET_AFTER_SECONDS`] without a failure, and reset only by a complete sign-in.

use super::records::{PoolRecord, StoredVerifier, UserRecord};
use super::{Ctx, users};
use crate::error::{CognitoError, OpResult};

/// Failed sign-ins before the user is locked out for a while.
const LOCKOUT_AFTER: u32 = 5;
/// The longest lockout, in seconds (15 minutes).
const LONGEST_SECONDS: i64 = 900;
/// Idle seconds after which earlier failures are forgotten (15 minutes).
const FORGET_AFTER_SECONDS: i64 = 900;

/// The service's answer to a wrong password (or an unknown user, when hidden).
pub fn incorrect() -> CognitoError {
    CognitoError::not_authorized("Incorrect username or password.")
}

/// The service's answer while a user is locked out.
pub fn exceeded() -> CognitoError {
    CognitoError::not_authorized("Password attempts exceeded")
}

/// Whether the user is locked out now.
pub fn is_locked(ctx: &Ctx<'_>, user: &UserRecord) -> bool {
    user.locked_until.is_some_and(|until| ctx.now < until)
}

/// Refuses disabled and locked-out users.
pub fn check(ctx: &Ctx<'_>, user: &UserRecord) -> OpResult<()> {
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if is_locked(ctx, user) {
        return Err(exceeded());
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

/// Counts a failed sign-in, committed at once with whatever the operation wrote so far
/// (the operation fails, the count stays), and locks out after [`LOCKOUT_AFTER`] in a
/// row for a time that doubles with each further failure. `Ok(true)` when the user is
/// now locked out.
pub fn count(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> OpResult<bool> {
    let idle = user
        .last_failed_sign_in
        .is_some_and(|last| ctx.now.secs() - last.secs() >= FORGET_AFTER_SECONDS);
    if idle && !is_locked(ctx, user) {
        user.failed_sign_ins = 0;
    }
    user.failed_sign_ins += 1;
    user.last_failed_sign_in = Some(ctx.now);
    let locked = user.failed_sign_ins >= LOCKOUT_AFTER;
    if locked {
        let exponent = (user.failed_sign_ins - LOCKOUT_AFTER).min(10);
        let seconds = 2i64.pow(exponent).min(LONGEST_SECONDS);
        user.locked_until = Some(ctx.now.plus_secs(seconds));
    }
    users::save(ctx, pool, user)?;
    ctx.commit_so_far()?;
    Ok(locked)
}

/// Counts a wrong password or SRP proof ([`count`]); returns the error to answer with.
pub fn failed(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> CognitoError {
    match count(ctx, pool, user) {
        Ok(true) => exceeded(),
        Ok(false) => incorrect(),
        Err(e) => e,
    }
}

/// Forgets earlier failures once nothing guessable is left to ask (tokens, a refusal,
/// a new-password challenge), saving the user if there were any. A proven password
/// followed by an MFA challenge forgets nothing: wrong codes keep counting.
pub fn forget(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> OpResult<()> {
    if succeeded(user) {
        users::save(ctx, pool, user)?;
    }
    Ok(())
}

/// Forgets earlier failures; `false` when there were none (nothing to save).
fn succeeded(user: &mut UserRecord) -> bool {
    let had = user.failed_sign_ins != 0
        || user.locked_until.is_some()
        || user.last_failed_sign_in.is_some();
    user.failed_sign_ins = 0;
    user.locked_until = None;
    user.last_failed_sign_in = None;
    had
}
