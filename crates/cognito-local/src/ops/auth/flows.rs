//! The flows InitiateAuth starts: USER_SRP_AUTH (answered by PASSWORD_VERIFIER) and the
//! password flows (refresh is in `refresh.rs`).

use cognito_srp::ServerEphemeral;

use super::challenges::{Params, param, secret_hash};
use super::proven::{after_password, refuse_reset_required};
use super::unknown;
use crate::domain::clients::check_secret_hash;
use crate::domain::custom_auth::CustomAuthState;
use crate::domain::imported_hashes::{self, ImportedHashRecord};
use crate::domain::lockout::{self, incorrect};
use crate::domain::migration::{self, MigrationSource};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::ChallengeName;
use crate::domain::{Ctx, passwords, sessions, sign_in_hooks, users};
use crate::error::OpResult;
use crate::model::auth::AuthReply;

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
    let device_key = params.get("DEVICE_KEY").map(String::as_str);
    let Some(user) = users::find(ctx, pool, typed)? else {
        // A user the pool does not know may be migrated by its trigger, which has
        // judged the password.
        let source = MigrationSource::Authentication;
        return match migration::migrate(ctx, pool, client, typed, Some(given), source)? {
            Some(user) => after_password(ctx, pool, client, user, device_key),
            None => {
                sign_in_hooks::pre_authentication_unknown(ctx, pool, client, typed)?;
                unknown::password(ctx, pool, client, typed, given)
            }
        };
    };
    lockout::check(ctx, &user)?;
    refuse_reset_required(&user)?;
    let user = sign_in_hooks::pre_authentication(ctx, pool, client, user)?;
    if user.password.is_none()
        && let Some(imported) = imported_hashes::get(ctx, pool, &user.username)?
    {
        return imported_password(
            ctx,
            pool,
            client,
            &user.username,
            &imported,
            given,
            device_key,
        );
    }
    let stored = user.password.clone().ok_or_else(incorrect)?;
    let right = passwords::matches(ctx, pool, &user.username, &stored, given)?;
    let mut user = lockout::reread(ctx, pool, &user.username, &user.password)?;
    if !right {
        return Err(lockout::failed(ctx, pool, &mut user));
    }
    after_password(ctx, pool, client, user, device_key)
}

/// The first sign-in of a user imported with a password hash: the password checked
/// against the hash (without the store's lock); right, it becomes the user's SRP
/// verifier ("migrates the user's credentials to the native authentication system")
/// and the imported hash is deleted.
fn imported_password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    imported: &ImportedHashRecord,
    given: &str,
    device_key: Option<&str>,
) -> OpResult<AuthReply> {
    // The check and, if right, the new verifier: both without the store's lock.
    let verifier = ctx.unlocked(|| {
        imported_hashes::verify(imported, given)
            .then(|| passwords::new_verifier(pool, username, given))
            .transpose()
    })??;
    let mut user = lockout::reread(ctx, pool, username, &None)?;
    // The hash checked must still be the user's (not one re-imported meanwhile).
    if imported_hashes::get(ctx, pool, username)?.as_ref() != Some(imported) {
        return Err(incorrect());
    }
    let Some(verifier) = verifier else {
        return Err(lockout::failed(ctx, pool, &mut user));
    };
    user.password = Some(verifier);
    user.modified = ctx.now;
    users::save_sign_in_state(ctx, pool, &user)?;
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
    let Some(user) = users::find(ctx, pool, typed)? else {
        sign_in_hooks::pre_authentication_unknown(ctx, pool, client, typed)?;
        return unknown::srp_challenge(ctx, pool, client, typed);
    };
    lockout::check(ctx, &user)?;
    refuse_reset_required(&user)?;
    let user = sign_in_hooks::pre_authentication(ctx, pool, client, user)?;
    let device_key = params.get("DEVICE_KEY").map(String::as_str);
    srp_challenge(ctx, pool, client, &user, srp_a, device_key, None)
}

/// The server's half of the SRP handshake for `user`: a PASSWORD_VERIFIER challenge
/// whose session carries the device and, in a custom sign-in, its rounds.
pub(super) fn srp_challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    srp_a: &str,
    device_key: Option<&str>,
    custom: Option<CustomAuthState>,
) -> OpResult<AuthReply> {
    let stored = user.password.as_ref().ok_or_else(incorrect)?;
    let verifier = passwords::load_verifier(stored)?;
    let ephemeral = ctx.unlocked(|| ServerEphemeral::generate(&verifier, &mut rand::rng()))?;
    let mut record = sessions::new_record(
        ctx,
        pool,
        &user.username,
        client,
        ChallengeName::PasswordVerifier,
    );
    record.srp_a = Some(srp_a.to_owned());
    record.device_key = device_key.map(str::to_owned);
    record.custom = custom;
    record.srp_b = Some(crate::hex::encode(&ephemeral.secret()));
    record.srp_b_sent = Some(ephemeral.srp_b());
    let secret_block = sessions::open_secret_block(ctx, &record)?;
    Ok(verifier_challenge(
        verifier.salt_hex(),
        ephemeral.srp_b(),
        secret_block,
        user.username.clone(),
    ))
}

/// The PASSWORD_VERIFIER challenge: what a client needs for its proof.
pub(super) fn verifier_challenge(
    salt: String,
    srp_b: String,
    secret_block: String,
    user_id: String,
) -> AuthReply {
    AuthReply::challenge(
        ChallengeName::PasswordVerifier,
        secret_block.clone(),
        [
            ("SALT", salt),
            ("SRP_B", srp_b),
            ("SECRET_BLOCK", secret_block),
            ("USER_ID_FOR_SRP", user_id.clone()),
            ("USERNAME", user_id),
        ],
    )
}
