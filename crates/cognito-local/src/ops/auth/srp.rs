//! PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER: the client's proof of the password
//! (or the device secret), checked with cognito-srp's server role without the store's
//! lock, against the session opened by USER_SRP_AUTH (or DEVICE_SRP_AUTH).

use cognito_srp::{Identity, PasswordClaim, ServerEphemeral, SrpError, Timestamp, Verifier};

use super::challenges::{At, Opened, Use};
use super::proven::after_password;
use super::unknown;
use super::{custom, issue};
use crate::domain::lockout::{self, incorrect};
use crate::domain::state::ChallengeName;
use crate::domain::{devices, passwords};
use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;

/// How far a TIMESTAMP may be from the server's clock.
const TIMESTAMP_WINDOW_SECONDS: u32 = 300;

/// Why a claim was not accepted.
enum Refusal {
    /// The server's own state is broken.
    Internal(SrpError),
    /// `SRP_A` is zero modulo N.
    IllegalA,
    /// The proof is wrong.
    Wrong,
}

/// Checks the claim of a verifier challenge against the credential `credential` gives
/// for the session's user. The session (its `SECRET_BLOCK`) is used up either way; a
/// wrong claim counts as a failed sign-in.
fn verify_claim(
    at: &At<'_, '_>,
    session: Option<&str>,
    challenge: ChallengeName,
    credential: impl FnOnce(&Opened) -> OpResult<(Identity, Verifier)>,
) -> OpResult<Opened> {
    let ctx = at.ctx;
    let block = at.param("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = at.param("PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = at.param("TIMESTAMP")?;
    at.param("USERNAME")?;
    if session.is_some_and(|s| s != block) {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    let mut opened = at.open(block, challenge, Use::Take)?;
    let (Some(b), Some(srp_a)) = (&opened.session.srp_b, &opened.session.srp_a) else {
        return Err(incorrect());
    };
    lockout::check(ctx, &opened.user)?;
    let signed_at = Timestamp::parse(timestamp)
        .map_err(|_| CognitoError::invalid_parameter("TIMESTAMP format is not valid."))?;
    let now = Timestamp::from_unix(ctx.now.secs()).map_err(CognitoError::internal)?;
    if signed_at
        .check_fresh(now, TIMESTAMP_WINDOW_SECONDS)
        .is_err()
    {
        return Err(lockout::failed(ctx, at.pool, &mut opened.user));
    }
    let (identity, verifier) = credential(&opened)?;
    let b = passwords::from_hex(b)?;
    let sent = opened.session.srp_b_sent.clone();
    let claim = PasswordClaim {
        srp_a,
        secret_block: block,
        timestamp,
        signature,
    };
    let verdict = ctx.unlocked(|| {
        let ephemeral = match &sent {
            Some(srp_b) => ServerEphemeral::restore(&b, srp_b),
            None => ServerEphemeral::from_secret(&verifier, &b),
        }
        .map_err(Refusal::Internal)?;
        ephemeral
            .verify(&verifier, &identity, &claim)
            .map_err(|e| match e {
                SrpError::IllegalClientPublicValue => Refusal::IllegalA,
                _ => Refusal::Wrong,
            })
    })?;
    opened.user = lockout::reread(
        ctx,
        at.pool,
        &opened.session.username,
        &opened.user.password,
    )?;
    match verdict {
        Ok(()) => Ok(opened),
        Err(Refusal::Internal(e)) => Err(CognitoError::internal(e)),
        Err(Refusal::IllegalA) => Err(CognitoError::invalid_parameter("SRP_A cannot be 0 mod N.")),
        Err(Refusal::Wrong) => Err(lockout::failed(ctx, at.pool, &mut opened.user)),
    }
}

/// PASSWORD_VERIFIER: the password proven, the sign-in goes on.
pub(super) fn password_verifier(at: &At<'_, '_>, session: Option<&str>) -> OpResult<AuthReply> {
    // A SECRET_BLOCK given for an unknown user is refused as a wrong proof is.
    let block = at.responses.get("PASSWORD_CLAIM_SECRET_BLOCK");
    if session.is_none_or(|s| block.is_some_and(|b| b == s))
        && let Some(refusal) = unknown::srp_answer(at)?
    {
        return Err(refusal);
    }
    let opened = verify_claim(at, session, ChallengeName::PasswordVerifier, |opened| {
        let stored = opened.user.password.as_ref().ok_or_else(incorrect)?;
        Ok((
            passwords::identity(at.pool, &opened.user.username)?,
            passwords::load_verifier(stored)?,
        ))
    })?;
    let device_key = at
        .responses
        .get("DEVICE_KEY")
        .cloned()
        .or(opened.session.device_key);
    if let Some(state) = opened.session.custom {
        return custom::after_verifier(at, opened.user, state, device_key.as_deref());
    }
    after_password(
        at.ctx,
        at.pool,
        at.client,
        opened.user,
        device_key.as_deref(),
    )
}

/// DEVICE_PASSWORD_VERIFIER: the device proves its secret; tokens follow, MFA skipped.
pub(super) fn device_password_verifier(
    at: &At<'_, '_>,
    session: Option<&str>,
) -> OpResult<AuthReply> {
    let mut opened = verify_claim(
        at,
        session,
        ChallengeName::DevicePasswordVerifier,
        |opened| {
            let key = opened.session.device_key.as_deref().ok_or_else(incorrect)?;
            let device = devices::of_user(at.ctx, at.pool, &opened.user, key)?;
            devices::srp(&device)?.ok_or_else(incorrect)
        },
    )?;
    let key = opened.session.device_key.as_deref().unwrap_or_default();
    // The device as it is now (the proof ran without the lock).
    let device = devices::of_user(at.ctx, at.pool, &opened.user, key)?;
    issue::with_device(at.ctx, at.pool, at.client, &mut opened.user, device)
}
