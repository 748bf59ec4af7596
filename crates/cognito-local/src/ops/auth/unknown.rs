//! Sign-ins of users who do not exist, for app clients that prevent user existence
//! errors: the same answers, after the same work, as for a real user with a wrong
//! password. What an unknown name shows is derived by `domain::phantoms`; nothing is
//! stored for it.

use cognito_srp::{PasswordClaim, ServerEphemeral, Timestamp};

use super::challenges::{At, secret_hash};
use super::flows::verifier_challenge;
use crate::domain::clients::check_secret_hash;
use crate::domain::lockout::{exceeded, incorrect};
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::state::ChallengeName;
use crate::domain::{Ctx, passwords, phantoms, sessions, users};
use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;

/// The answer for a user who does not exist: as for a wrong password when the client
/// prevents user existence errors, else `UserNotFoundException`.
fn refuse_unless_hidden(client: &ClientRecord) -> OpResult<()> {
    if client.hides_users() {
        Ok(())
    } else {
        Err(users::user_not_found())
    }
}

/// Counts a failure of the unknown `username` and answers as for a real user's.
fn failed(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> CognitoError {
    if let Err(e) = phantoms::pace(ctx, pool, username) {
        return e;
    }
    if ctx.phantoms.fail(pool, username, ctx.now) {
        exceeded()
    } else {
        incorrect()
    }
}

/// What a sign-in of an unknown `typed` name starts from, as a real one starts from
/// the user: refused unless the client hides users, and while the name is locked out;
/// else the user name it would have and its derived verifier.
fn opened(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    typed: &str,
) -> OpResult<(String, cognito_srp::Verifier)> {
    refuse_unless_hidden(client)?;
    let username = ctx.phantoms.username(pool, typed);
    if ctx.phantoms.is_locked(pool, &username, ctx.now) {
        return Err(exceeded());
    }
    let verifier = ctx.phantoms.verifier(pool, &username)?;
    Ok((username, verifier))
}

/// The password flows for an unknown `typed` name: the password checked against the
/// name's derived verifier (no password matches it), the failure counted.
pub(super) fn password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    typed: &str,
    given: &str,
) -> OpResult<AuthReply> {
    let (username, verifier) = opened(ctx, pool, client, typed)?;
    let identity = passwords::identity(pool, &username)?;
    ctx.unlocked(|| verifier.matches_password(&identity, given))?;
    Err(failed(ctx, pool, &username))
}

/// USER_SRP_AUTH for an unknown `typed` name: a challenge shaped as a real one (the
/// name's stable salt, a fresh B, the SECRET_BLOCK of a session kept in memory, the
/// USER_ID_FOR_SRP a real user would get) that no password can answer.
pub(super) fn srp_challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    typed: &str,
) -> OpResult<AuthReply> {
    let (username, verifier) = opened(ctx, pool, client, typed)?;
    let ephemeral = ctx.unlocked(|| ServerEphemeral::generate(&verifier, &mut rand::rng()))?;
    let expires = sessions::new_record(
        ctx,
        pool,
        &username,
        client,
        ChallengeName::PasswordVerifier,
    )
    .expires;
    let block = ctx
        .phantoms
        .open_session(pool, &client.id, &username, expires);
    Ok(verifier_challenge(
        verifier.salt_hex(),
        ephemeral.srp_b(),
        block,
        username,
    ))
}

/// PASSWORD_VERIFIER with a SECRET_BLOCK given for an unknown name: `None` when the
/// block is not one (the real answer goes on), else the refusal a wrong proof gets,
/// after the same checks in the same order and the same SRP work. USERNAME serves
/// SECRET_HASH only, as on the real path.
pub(super) fn srp_answer(at: &At<'_, '_>) -> OpResult<Option<CognitoError>> {
    let ctx = at.ctx;
    if !at.client.hides_users() {
        return Ok(None);
    }
    let block = at.param("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = at.param("PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = at.param("TIMESTAMP")?;
    let given = at.param("USERNAME")?;
    if sessions::find(ctx, block)?.is_some() {
        return Ok(None);
    }
    let Some(username) = ctx
        .phantoms
        .take_session(block, at.pool, &at.client.id, ctx.now)
    else {
        return Ok(None);
    };
    check_secret_hash(at.client, given, secret_hash(at.responses))?;
    if ctx.phantoms.is_locked(at.pool, &username, ctx.now) {
        return Ok(Some(exceeded()));
    }
    Timestamp::parse(timestamp)
        .map_err(|_| CognitoError::invalid_parameter("TIMESTAMP format is not valid."))?;
    let verifier = ctx.phantoms.verifier(at.pool, &username)?;
    let identity = passwords::identity(at.pool, &username)?;
    // The work of a real check: the session's A is all an unknown name lacks.
    let claim = PasswordClaim {
        srp_a: "2",
        secret_block: block,
        timestamp,
        signature,
    };
    ctx.unlocked(|| {
        let ephemeral = ServerEphemeral::generate(&verifier, &mut rand::rng());
        ephemeral.verify(&verifier, &identity, &claim).is_ok()
    })?;
    Ok(Some(failed(ctx, at.pool, &username)))
}
