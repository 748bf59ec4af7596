//! One-time codes sent to users (sign-up, password reset, attribute verification):
//! kept on the user, counted when wrong, used up when right.

use super::outbox::{self, Delivery};
use super::records::{PendingCode, PoolRecord, UserRecord};
use super::state::{CodePurpose, MessagePurpose, VerifiableAttribute};
use super::{Ctx, users};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// How long a verification or reset code stays valid.
pub const LIFETIME_SECONDS: i64 = 24 * 3600;
/// Wrong guesses after which a code is dropped.
const ATTEMPTS: u32 = 5;

/// Sends a code for `purpose` to `delivery` and keeps it on the user (not saved yet).
pub fn send(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    delivery: &Delivery,
    purpose: CodePurpose,
) -> OpResult<()> {
    let code = outbox::new_code();
    let body = outbox::verification_text(pool, delivery, &code, &user.username);
    outbox::send(
        ctx,
        pool,
        user,
        delivery,
        MessagePurpose::Code(purpose),
        body,
        Some(&code),
    )?;
    user.pending_code = Some(PendingCode {
        purpose,
        code,
        expires: ctx.now.plus_secs(LIFETIME_SECONDS),
        failed_attempts: 0,
    });
    Ok(())
}

/// Sends a password-reset code to a verified email, else a verified phone; returns
/// where it went.
pub fn send_reset(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> OpResult<Delivery> {
    let delivery = Delivery::for_reset(user).ok_or_else(|| {
        CognitoError::invalid_parameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
    })?;
    send(ctx, pool, user, &delivery, CodePurpose::ForgotPassword)?;
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
/// the user). A wrong guess is counted and committed at once, whatever follows.
pub fn check(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    purpose: CodePurpose,
    code: &str,
) -> OpResult<()> {
    let Some(pending) = user.pending_code.as_mut().filter(|p| p.purpose == purpose) else {
        return Err(mismatch());
    };
    if ctx.now > pending.expires {
        return Err(CognitoError::new(
            ErrorKind::ExpiredCodeException,
            "Invalid code provided, please request a code again.",
        ));
    }
    let same =
        aws_lc_rs::constant_time::verify_slices_are_equal(pending.code.as_bytes(), code.as_bytes())
            .is_ok();
    if !same {
        pending.failed_attempts += 1;
        let error = if pending.failed_attempts >= ATTEMPTS {
            user.pending_code = None;
            CognitoError::new(
                ErrorKind::LimitExceededException,
                "Attempt limit exceeded, please try after some time.",
            )
        } else {
            mismatch()
        };
        users::save(ctx, pool, user)?;
        ctx.commit_so_far()?;
        return Err(error);
    }
    user.pending_code = None;
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
            send(ctx, pool, user, &d, CodePurpose::Verify(*attribute))?;
            delivery = Some(d);
        }
    }
    Ok(delivery)
}
