//! The flows InitiateAuth starts: USER_SRP_AUTH (answered by PASSWORD_VERIFIER), the
//! password flows, and refresh.

use cognito_srp::{ServerEphemeral, Verifier};

use super::challenges::{Params, param};
use super::issue;
use super::proven::after_password;
use crate::domain::clients::check_secret_hash;
use crate::domain::lockout::{self, incorrect};
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::state::ChallengeName;
use crate::domain::{Ctx, opaque, passwords, sessions, sign_ins, users};
use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;

fn secret_hash(params: &Params) -> Option<&str> {
    params.get("SECRET_HASH").map(String::as_str)
}

/// The answer for a user who does not exist: as for a wrong password when the client
/// prevents user existence errors.
fn unknown_user(client: &ClientRecord) -> CognitoError {
    if client.hides_users() {
        incorrect()
    } else {
        users::user_not_found()
    }
}

/// USER_PASSWORD_AUTH and the admin password flows: the password checked against the
/// stored verifier (without the store's lock), then [`after_password`].
pub(super) fn password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<AuthReply> {
    let typed = param(params, "USERNAME")?;
    let given = param(params, "PASSWORD")?;
    check_secret_hash(client, typed, secret_hash(params))?;
    let user = users::find(ctx, pool, typed)?.ok_or_else(|| unknown_user(client))?;
    lockout::check(ctx, &user)?;
    let stored = user.password.clone().ok_or_else(incorrect)?;
    let right = passwords::matches(ctx, pool, &user.username, &stored, given)?;
    let mut user = lockout::reread(ctx, pool, &user.username, &user.password)?;
    if !right {
        return Err(lockout::failed(ctx, pool, &mut user));
    }
    let device_key = params.get("DEVICE_KEY").map(String::as_str);
    after_password(ctx, pool, client, user, device_key)
}

/// USER_SRP_AUTH: the server's half of the handshake, answered by PASSWORD_VERIFIER.
/// An unknown user, when the client hides users, gets a plausible challenge that no
/// password can answer.
pub(super) fn srp(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<AuthReply> {
    let typed = param(params, "USERNAME")?;
    let srp_a = param(params, "SRP_A")?;
    passwords::check_srp_a(srp_a)?;
    check_secret_hash(client, typed, secret_hash(params))?;
    let mut record =
        sessions::new_record(ctx, pool, typed, client, ChallengeName::PasswordVerifier);
    record.srp_a = Some(srp_a.to_owned());
    record.device_key = params.get("DEVICE_KEY").cloned();
    let (salt, srp_b, user_id) = match users::find(ctx, pool, typed)? {
        Some(user) => {
            lockout::check(ctx, &user)?;
            let stored = user.password.as_ref().ok_or_else(incorrect)?;
            let verifier = passwords::load_verifier(stored)?;
            let ephemeral =
                ctx.unlocked(|| ServerEphemeral::generate(&verifier, &mut rand::rng()))?;
            record.username = user.username.clone();
            record.srp_b = Some(crate::hex::encode(&ephemeral.secret()));
            record.srp_b_sent = Some(ephemeral.srp_b());
            (verifier.salt_hex(), ephemeral.srp_b(), user.username)
        }
        None if client.hides_users() => {
            let identity = passwords::identity(pool, typed)?;
            let (salt, srp_b) = ctx.unlocked(|| {
                let fake = Verifier::generate(&identity, &opaque(32), &mut rand::rng());
                let ephemeral = ServerEphemeral::generate(&fake, &mut rand::rng());
                (fake.salt_hex(), ephemeral.srp_b())
            })?;
            (salt, srp_b, typed.to_owned())
        }
        None => return Err(users::user_not_found()),
    };
    let secret_block = sessions::open_secret_block(ctx, &record)?;
    Ok(AuthReply::challenge(
        ChallengeName::PasswordVerifier,
        secret_block.clone(),
        [
            ("SALT", salt),
            ("SRP_B", srp_b),
            ("SECRET_BLOCK", secret_block),
            ("USER_ID_FOR_SRP", user_id.clone()),
            ("USERNAME", user_id),
        ],
    ))
}

/// REFRESH_TOKEN_AUTH and REFRESH_TOKEN: new id and access tokens for a live sign-in.
pub(super) fn refresh(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<AuthReply> {
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let token = param(params, "REFRESH_TOKEN")?;
    let sign_in = sign_ins::by_refresh_token(ctx, pool, token)?.ok_or_else(invalid)?;
    if sign_in.client_id != client.id || ctx.now > sign_in.refresh_expires {
        return Err(invalid());
    }
    let user = users::by_username(ctx, pool, &sign_in.username)?
        .filter(|user| sign_ins::is_live_for(&sign_in, user))
        .ok_or_else(invalid)?;
    if client.secret.is_some() {
        // SECRET_HASH after the first sign-in uses the internal user name (or the sub).
        let given = secret_hash(params);
        if check_secret_hash(client, &user.sub, given).is_err() {
            check_secret_hash(client, &user.username, given)?;
        }
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if let Some(given) = params.get("DEVICE_KEY")
        && sign_in
            .device_key
            .as_deref()
            .is_some_and(|key| key != given)
    {
        return Err(invalid());
    }
    issue::refreshed(ctx, pool, client, &user, &sign_in)
}
