//! One-time codes sent to users (sign-up, password reset, attribute verification):
//! kept on the user, used up when right. Within an hour, a user gets at most
//! [`SENDS_PER_HOUR`] codes from the requests users make themselves, and may give
//! [`ATTEMPTS`] wrong codes; a new code forgets neither (LimitExceededException, as
//! the service answers).

use super::message_hooks::{self, Message, MessageSource};
use super::outbox::{self, Delivery};
use super::records::{CodeGuard, PendingCode, PoolRecord, UserRecord};
use super::state::{CodePurpose, MessagePurpose, VerifiableAttribute};
use super::{Ctx, users};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};

/// How long a verification or reset code stays valid.
pub const LIFETIME_SECONDS: i64 = 24 * 3600;
/// Wrong codes within the window after which codes are refused.
const ATTEMPTS: u32 = 5;
/// Codes a user may ask for within the window.
const SENDS_PER_HOUR: usize = 5;
/// The window of both limits, in seconds.
const WINDOW_SECONDS: i64 = 3600;

/// The service's answer past either limit.
pub fn limit_exceeded() -> CognitoError {
    CognitoError::new(
        ErrorKind::LimitExceededException,
        "Attempt limit exceeded, please try after some time.",
    )
}

impl CodeGuard {
    /// Forgets what is older than the window.
    fn prune(&mut self, now: UnixTime) {
        let start = now.plus_secs(-WINDOW_SECONDS);
        self.sent.retain(|t| *t > start);
        if self.first_wrong.is_some_and(|t| t <= start) {
            self.wrong = 0;
            self.first_wrong = None;
        }
    }

    /// Whether another code may be asked for now.
    pub fn may_send(&mut self, now: UnixTime) -> bool {
        self.prune(now);
        self.sent.len() < SENDS_PER_HOUR
    }

    /// Records a code sent now.
    pub fn sent(&mut self, now: UnixTime) {
        self.prune(now);
        self.sent.push(now);
    }

    /// Whether codes are still taken now (not too many wrong ones lately).
    pub fn may_check(&mut self, now: UnixTime) -> bool {
        self.prune(now);
        self.wrong < ATTEMPTS
    }

    /// Counts a wrong code; `true` when that reaches the limit.
    pub fn wrong(&mut self, now: UnixTime) -> bool {
        self.prune(now);
        self.wrong += 1;
        self.first_wrong.get_or_insert(now);
        self.wrong >= ATTEMPTS
    }

    /// Whether there is nothing left to remember.
    pub fn is_stale(&mut self, now: UnixTime) -> bool {
        self.prune(now);
        self.sent.is_empty() && self.wrong == 0
    }
}

/// Refuses a code asked for by the user (ResendConfirmationCode, ForgotPassword,
/// GetUserAttributeVerificationCode) past [`SENDS_PER_HOUR`].
pub fn may_send(ctx: &Ctx<'_>, user: &mut UserRecord) -> OpResult<()> {
    if user.code_guard.may_send(ctx.now) {
        Ok(())
    } else {
        Err(limit_exceeded())
    }
}

/// Sends a code for `purpose` to `delivery` and keeps it on the user (not saved yet).
pub fn send(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    delivery: &Delivery,
    purpose: CodePurpose,
    source: MessageSource,
) -> OpResult<()> {
    let code = outbox::new_code();
    let message = Message {
        delivery,
        purpose: MessagePurpose::Code(purpose),
        source,
        template: outbox::verification_template(pool, delivery),
        code: &code,
    };
    message_hooks::send(ctx, pool, user, message)?;
    user.code_guard.sent(ctx.now);
    user.pending_code = Some(PendingCode {
        purpose,
        code,
        expires: ctx.now.plus_secs(LIFETIME_SECONDS),
    });
    Ok(())
}

/// Sends a password-reset code to a verified email, else a verified phone; returns
/// where it went.
pub fn send_reset(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> OpResult<Delivery> {
    let delivery = Delivery::for_reset(user).ok_or_else(|| {
        CognitoError::invalid_parameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
    })?;
    let source = MessageSource::ForgotPassword;
    send(
        ctx,
        pool,
        user,
        &delivery,
        CodePurpose::ForgotPassword,
        source,
    )?;
    Ok(delivery)
}

/// The service's answer to a wrong verification code.
pub fn mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatchException,
        "Invalid verification code provided, please try again.",
    )
}

/// Checks a code the user sent back; the code is used up on success (the caller saves
/// the user). A wrong guess is counted and committed at once, whatever follows; past
/// [`ATTEMPTS`] within the window, no code is looked at.
pub fn check(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    purpose: CodePurpose,
    code: &str,
) -> OpResult<()> {
    if !user.code_guard.may_check(ctx.now) {
        return Err(limit_exceeded());
    }
    let outcome = match user.pending_code.as_ref().filter(|p| p.purpose == purpose) {
        None => Err(mismatch()),
        Some(pending) if ctx.now > pending.expires => Err(CognitoError::new(
            ErrorKind::ExpiredCodeException,
            "Invalid code provided, please request a code again.",
        )),
        Some(pending) => aws_lc_rs::constant_time::verify_slices_are_equal(
            pending.code.as_bytes(),
            code.as_bytes(),
        )
        .map_err(|_| mismatch()),
    };
    if let Err(error) = outcome {
        // Every failure counts, with a code pending or not (so that a user with none
        // answers as an unknown one does).
        let error = if user.code_guard.wrong(ctx.now) {
            user.pending_code = None;
            limit_exceeded()
        } else {
            error
        };
        users::save_sign_in_state(ctx, pool, user)?;
        ctx.commit_so_far()?;
        return Err(error);
    }
    user.pending_code = None;
    user.code_guard.wrong = 0;
    user.code_guard.first_wrong = None;
    Ok(())
}

/// After `email` or `phone_number` changed: unverified unless the same call verified it,
/// and a code sent when the pool verifies that attribute automatically.
pub fn after_contact_change(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    changed: &[String],
) -> OpResult<Option<Delivery>> {
    let mut delivery = None;
    for attribute in VerifiableAttribute::ALL {
        let name = attribute.as_str();
        let flag = format!("{name}_verified");
        if !changed.iter().any(|c| c == name) || changed.contains(&flag) {
            continue;
        }
        user.attributes.insert(flag, "false".to_owned());
        if pool.auto_verified_attributes.iter().any(|a| a == name)
            && let Some(d) = Delivery::to(user, *attribute)
        {
            let source = MessageSource::UpdateUserAttribute;
            send(ctx, pool, user, &d, CodePurpose::Verify(*attribute), source)?;
            delivery = Some(d);
        }
    }
    Ok(delivery)
}
