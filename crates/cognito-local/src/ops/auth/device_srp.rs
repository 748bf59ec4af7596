//! A remembered device in a sign-in: DEVICE_SRP_AUTH (the device's SRP_A, answered with
//! its verifier challenge), which DEVICE_PASSWORD_VERIFIER then answers.

use cognito_srp::ServerEphemeral;

use super::challenges::{At, Use};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::ChallengeName;
use crate::domain::{Ctx, devices, passwords, sessions, users};
use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;

fn invalid_device() -> CognitoError {
    CognitoError::not_authorized("Invalid device key given.")
}

/// The DEVICE_SRP_AUTH challenge for a remembered device, after a proven password.
pub(super) fn challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    device_key: &str,
) -> OpResult<AuthReply> {
    let mut record = sessions::new_record(
        ctx,
        pool,
        &user.username,
        client,
        ChallengeName::DeviceSrpAuth,
    );
    record.device_key = Some(device_key.to_owned());
    let session = sessions::open(ctx, &record)?;
    // Clients such as pycognito answer DEVICE_SRP_AUTH without the session.
    sessions::expect_device_answer(ctx, client, &user.username, device_key, &session)?;
    Ok(AuthReply::challenge(
        ChallengeName::DeviceSrpAuth,
        session,
        [],
    ))
}

/// DEVICE_SRP_AUTH answered: found by its session or, without one (as pycognito sends
/// it), by client, user and device; the verifier challenge follows.
pub(super) fn device_srp_auth(at: &At<'_, '_>, session: Option<&str>) -> OpResult<AuthReply> {
    let ctx = at.ctx;
    let id = match session {
        Some(session) => session.to_owned(),
        None => {
            let user =
                users::find(ctx, at.pool, at.param("USERNAME")?)?.ok_or_else(sessions::expired)?;
            sessions::device_answer(ctx, at.client, &user.username, at.param("DEVICE_KEY")?)?
                .ok_or_else(sessions::expired)?
        }
    };
    let opened = at.open(&id, ChallengeName::DeviceSrpAuth, Use::Take)?;
    let device_key = at.param("DEVICE_KEY")?;
    let srp_a = at.param("SRP_A")?;
    passwords::check_srp_a(srp_a)?;
    if opened.session.device_key.as_deref() != Some(device_key) {
        return Err(invalid_device());
    }
    let user = opened.user;
    let device = devices::of_user(ctx, at.pool, &user, device_key)?;
    let (_, verifier) = devices::srp(&device)?.ok_or_else(invalid_device)?;
    let ephemeral = ctx.unlocked(|| ServerEphemeral::generate(&verifier, &mut rand::rng()))?;
    let mut next = sessions::new_record(
        ctx,
        at.pool,
        &user.username,
        at.client,
        ChallengeName::DevicePasswordVerifier,
    );
    next.srp_a = Some(srp_a.to_owned());
    next.srp_b = Some(crate::hex::encode(&ephemeral.secret()));
    next.srp_b_sent = Some(ephemeral.srp_b());
    next.device_key = Some(device.key.clone());
    let secret_block = sessions::open_secret_block(ctx, &next)?;
    Ok(AuthReply::challenge(
        ChallengeName::DevicePasswordVerifier,
        secret_block.clone(),
        [
            ("USERNAME", user.username.clone()),
            ("SALT", verifier.salt_hex()),
            ("SRP_B", ephemeral.srp_b()),
            ("SECRET_BLOCK", secret_block),
        ],
    ))
}
