//! Failed sign-ins: counted on the user, and an exponential lockout after
//! [`LOCKOUT_AFTER`] in a row, as Cognito's documented lockout behaviour describes.
//! Every guessable secret of a sign-in counts: the password, the SRP proof, an MFA
//! code, ChangePassword's previous password. The count is forgotten after
//! [`FORGET_AFTER_SECONDS`] without a failure, and reset only by a complete sign-in.
//! Unknown users of clients that hide them count alike (in `phantoms`).

use super::records::{Failures, PoolRecord, StoredVerifier, UserRecord};
use super::state::{AuthEventKind, EventResponse};
use super::{Ctx, auth_events, users};
use crate::clock::UnixTime;
use crate::error::{CognitoError, OpResult};

/// Failed sign-ins before the user is locked out for a while.
const LOCKOUT_AFTER: u32 = 5;
/// The longest lockout, in seconds (15 minutes).
const LONGEST_SECONDS: i64 = 900;
/// Idle seconds after which earlier failures are forgotten (15 minutes).
const FORGET_AFTER_SECONDS: i64 = 900;

impl Failures {
    /// Whether sign-ins are refused now.
    pub fn is_locked(&self, now: UnixTime) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// Whether there is nothing left to remember: not locked, and idle long enough.
    pub fn is_stale(&self, now: UnixTime) -> bool {
        !self.is_locked(now)
            && self
                .last
                .is_none_or(|last| now.secs() - last.secs() >= FORGET_AFTER_SECONDS)
    }

    /// Counts one more failure; `true` when it locks out (for a time that doubles with
    /// each failure past [`LOCKOUT_AFTER`]).
    pub fn fail(&mut self, now: UnixTime) -> bool {
        if self.is_stale(now) {
            self.count = 0;
        }
        self.count += 1;
        self.last = Some(now);
        let locked = self.count >= LOCKOUT_AFTER;
        if locked {
            let exponent = (self.count - LOCKOUT_AFTER).min(10);
            let seconds = 2i64.pow(exponent).min(LONGEST_SECONDS);
            self.locked_until = Some(now.plus_secs(seconds));
        }
        locked
    }

    /// Forgets every failure; `false` when there were none (nothing changed).
    fn forget(&mut self) -> bool {
        let had = *self != Failures::default();
        *self = Failures::default();
        had
    }
}

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
    user.failures.is_locked(ctx.now)
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
/// (the operation fails, the count stays). `Ok(true)` when the user is now locked out.
/// The failure is also an auth event of `kind` (whose password was right or not).
pub fn count(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    kind: AuthEventKind,
    password_right: bool,
) -> OpResult<bool> {
    let locked = user.failures.fail(ctx.now);
    users::save_sign_in_state(ctx, pool, user)?;
    auth_events::record(
        ctx,
        pool,
        user,
        kind,
        EventResponse::Fail,
        Some(password_right),
    )?;
    ctx.commit_so_far()?;
    Ok(locked)
}

/// Counts a wrong password or SRP proof ([`count`]); returns the error to answer with.
pub fn failed(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> CognitoError {
    match count(ctx, pool, user, AuthEventKind::SignIn, false) {
        Ok(true) => exceeded(),
        Ok(false) => incorrect(),
        Err(e) => e,
    }
}

/// Forgets earlier failures once nothing guessable is left to ask (tokens, a refusal,
/// a new-password challenge), saving the user if there were any. A proven password
/// followed by an MFA challenge forgets nothing: wrong codes keep counting.
pub fn forget(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> OpResult<()> {
    if user.failures.forget() {
        users::save_sign_in_state(ctx, pool, user)?;
    }
    Ok(())
}
