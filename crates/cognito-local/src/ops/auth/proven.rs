//! After the password is proven: what the user's state asks next.

use super::{device_srp, mfa, new_password};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::risk::{self, Outcome};
use crate::domain::state::UserStatus;
use crate::domain::token_hooks::TokenSource;
use crate::domain::{Ctx, devices, lockout};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::auth::AuthReply;

/// The service's answer to a user who must reset the password first.
fn reset_required() -> CognitoError {
    CognitoError::new(
        ErrorKind::PasswordResetRequiredException,
        "Password reset required for the user",
    )
}

/// Refuses a user in RESET_REQUIRED before any password is looked at: as AWS
/// documents, such a user gets PasswordResetRequiredException whatever it sends.
pub(super) fn refuse_reset_required(user: &UserRecord) -> OpResult<()> {
    if user.status == UserStatus::ResetRequired {
        Err(reset_required())
    } else {
        Ok(())
    }
}

/// After the password is proven: confirmation state, new-password challenge, the device
/// step for a remembered device (which skips MFA), MFA, or tokens.
pub(super) fn after_password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    mut user: UserRecord,
    device_key: Option<&str>,
) -> OpResult<AuthReply> {
    // What these refusals answer, the forgotten failures keep.
    let refuse = |mut user: UserRecord, error: CognitoError| -> OpResult<AuthReply> {
        lockout::forget(ctx, pool, &mut user)?;
        ctx.commit_so_far()?;
        Err(error)
    };
    match user.status {
        UserStatus::Unconfirmed => refuse(
            user,
            CognitoError::new(
                ErrorKind::UserNotConfirmedException,
                "User is not confirmed.",
            ),
        ),
        UserStatus::ResetRequired => refuse(user, reset_required()),
        UserStatus::ForceChangePassword => {
            if user.temporary_password_expires.is_some_and(|t| ctx.now > t) {
                return refuse(
                    user,
                    CognitoError::not_authorized(
                        "Temporary password has expired and must be reset by an administrator.",
                    ),
                );
            }
            lockout::forget(ctx, pool, &mut user)?;
            new_password::challenge(ctx, pool, client, &user, device_key)
        }
        _ => {
            // Threat protection may block the sign-in or ask for MFA first.
            if risk::assess(ctx, pool, client, &user)? == Outcome::Mfa {
                return mfa::step(
                    ctx,
                    pool,
                    client,
                    user,
                    device_key,
                    mfa::Demand::Risk,
                    TokenSource::Authentication,
                );
            }
            // A remembered device stands in for MFA when the pool says so
            // (DeviceConfiguration.ChallengeRequiredOnNewDevice).
            let remembered = match (pool.devices, device_key) {
                (Some(settings), Some(key)) if settings.challenge_required_on_new_device => {
                    devices::find(ctx, pool, &user, key)?.filter(|d| d.is_remembered())
                }
                _ => None,
            };
            match remembered {
                Some(device) => device_srp::challenge(ctx, pool, client, &user, &device.key),
                None => mfa::step(
                    ctx,
                    pool,
                    client,
                    user,
                    device_key,
                    mfa::Demand::Pool,
                    TokenSource::Authentication,
                ),
            }
        }
    }
}
