//! Sessions: a sign-in in progress between two requests (the SRP state, or the
//! challenge being answered). They live in the global scope, as some requests name
//! only the session; each is good for three minutes and for one answer.

use super::records::{AuthSessionRecord, ClientRecord, PoolRecord};
use super::state::ChallengeName;
use super::{Ctx, LINK_USER, opaque};
use crate::clock::UnixTime;
use crate::error::{CognitoError, OpResult};

/// How long a session (between two steps of a sign-in) stays valid.
const SESSION_SECONDS: i64 = 180;
/// Sessions a user may have open at once (load tests sign one user in from many
/// clients at once; a person has a few).
const PER_USER: usize = 64;
/// Wrong answers a session takes before it dies (a new sign-in is needed then).
const WRONG_ANSWERS: u32 = 3;
/// The lookup that finds an open DEVICE_SRP_AUTH session without its id.
const DEVICE_ANSWER: &str = "device_srp";

/// The service's answer to a session it does not know, or no longer knows.
pub fn expired() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user, session is expired.")
}

/// A session for `username` of `client`, expecting `challenge`; valid from now.
pub fn new_record(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    client: &ClientRecord,
    challenge: ChallengeName,
) -> AuthSessionRecord {
    AuthSessionRecord {
        pool_id: pool.id.clone(),
        code: None,
        device_key: None,
        username: username.to_owned(),
        client_id: client.id.clone(),
        challenge,
        srp_b: None,
        srp_a: None,
        srp_b_sent: None,
        expires: ctx.now.plus_secs(SESSION_SECONDS),
        wrong_answers: 0,
        custom: None,
    }
}

/// Stores a session; returns its id (the `Session` of the challenge).
pub fn open(ctx: &Ctx<'_>, record: &AuthSessionRecord) -> OpResult<String> {
    store(ctx, opaque(96), record)
}

/// Stores an SRP session; returns its id, which is also its `SECRET_BLOCK`.
pub fn open_secret_block(ctx: &Ctx<'_>, record: &AuthSessionRecord) -> OpResult<String> {
    store(ctx, opaque(super::SECRET_BLOCK_BYTES), record)
}

/// Stores a session of a name that matches no user (a custom sign-in where the client
/// hides users). All such sessions of a pool share one owner, and so the [`PER_USER`]
/// limit: names made up at will cannot grow the store.
pub fn open_unknown(ctx: &Ctx<'_>, record: &AuthSessionRecord) -> OpResult<String> {
    let owner = owner(&record.pool_id, "\u{1f}unknown");
    store_as(ctx, opaque(96), record, &owner)
}

/// Stores a new session, linked to its user; a user has at most [`PER_USER`] open at
/// once (the one closest to expiry makes way), so that starting sign-ins at will
/// cannot grow the store.
fn store(ctx: &Ctx<'_>, id: String, record: &AuthSessionRecord) -> OpResult<String> {
    store_as(ctx, id, record, &owner(&record.pool_id, &record.username))
}

fn store_as(
    ctx: &Ctx<'_>,
    id: String,
    record: &AuthSessionRecord,
    owner: &str,
) -> OpResult<String> {
    let tx = ctx.tx();
    if tx.count_linked::<AuthSessionRecord>("", LINK_USER, owner)? >= PER_USER {
        let open = tx.linked::<AuthSessionRecord>("", LINK_USER, owner)?;
        let mut by_expiry: Vec<(UnixTime, &String)> =
            open.iter().map(|(key, r)| (r.expires, key)).collect();
        by_expiry.sort();
        for (_, key) in by_expiry
            .iter()
            .take((open.len() + 1).saturating_sub(PER_USER))
        {
            tx.delete::<AuthSessionRecord>("", key)?;
        }
    }
    tx.put("", &id, record)?;
    tx.link::<AuthSessionRecord>("", LINK_USER, owner, &id)?;
    Ok(id)
}

/// The link value of a user's sessions (they are kept in the global scope).
fn owner(pool_id: &str, username: &str) -> String {
    format!("{pool_id}\u{1f}{username}")
}

/// Ends every sign-in in progress of a user (deleted: a namesake created later must
/// not answer its challenges).
pub fn close_all_of(ctx: &Ctx<'_>, pool_id: &str, username: &str) -> OpResult<()> {
    let owner = owner(pool_id, username);
    Ok(ctx
        .tx()
        .delete_linked::<AuthSessionRecord>("", LINK_USER, &owner)?)
}

/// The session `id`, whatever it expects, if it is still valid.
pub fn find(ctx: &Ctx<'_>, id: &str) -> OpResult<Option<AuthSessionRecord>> {
    let record: Option<AuthSessionRecord> = ctx.tx().get("", id)?;
    Ok(record.filter(|r| ctx.now <= r.expires))
}

/// The open session `id` of a challenge, checked against pool, client and expiry; it
/// stays open (a wrong MFA code may be retried).
pub fn peek(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    id: &str,
    challenge: ChallengeName,
) -> OpResult<AuthSessionRecord> {
    find(ctx, id)?
        .filter(|r| r.challenge == challenge && r.pool_id == pool.id && r.client_id == client.id)
        .ok_or_else(expired)
}

/// Takes (uses up) session `id`: gone, and that committed at once, whether or not the
/// answer then succeeds. An answer for another pool, client or challenge leaves it be.
pub fn take(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    id: &str,
    challenge: ChallengeName,
) -> OpResult<AuthSessionRecord> {
    let record = peek(ctx, pool, client, id, challenge)?;
    ctx.tx().delete::<AuthSessionRecord>("", id)?;
    ctx.commit_so_far()?;
    Ok(record)
}

/// Counts a wrong answer on session `id`: after [`WRONG_ANSWERS`] of them the session
/// is gone. Written in the operation's transaction (the caller commits it, as it commits
/// the failed sign-in the wrong answer also counts as).
pub fn wrong_answer(ctx: &Ctx<'_>, id: &str, record: &mut AuthSessionRecord) -> OpResult<()> {
    record.wrong_answers += 1;
    if record.wrong_answers >= WRONG_ANSWERS {
        ctx.tx().delete::<AuthSessionRecord>("", id)?;
    } else {
        ctx.tx().put("", id, record)?;
    }
    Ok(())
}

/// Closes a session after a right answer (in the operation's own transaction).
pub fn close(ctx: &Ctx<'_>, id: &str) -> OpResult<()> {
    ctx.tx().delete::<AuthSessionRecord>("", id)?;
    Ok(())
}

fn device_answer_key(client: &ClientRecord, username: &str, device_key: &str) -> String {
    format!("{}\u{1f}{username}\u{1f}{device_key}", client.id)
}

/// Lets a DEVICE_SRP_AUTH answer without the session (as pycognito sends it) find
/// session `id` by client, user and device.
pub fn expect_device_answer(
    ctx: &Ctx<'_>,
    client: &ClientRecord,
    username: &str,
    device_key: &str,
    id: &str,
) -> OpResult<()> {
    let pending = device_answer_key(client, username, device_key);
    let tx = ctx.tx();
    tx.remove_lookup::<AuthSessionRecord>("", DEVICE_ANSWER, &pending)?;
    tx.set_lookup::<AuthSessionRecord>("", DEVICE_ANSWER, &pending, id)?;
    Ok(())
}

/// The session a DEVICE_SRP_AUTH answer without a session is for (found once).
pub fn device_answer(
    ctx: &Ctx<'_>,
    client: &ClientRecord,
    username: &str,
    device_key: &str,
) -> OpResult<Option<String>> {
    let pending = device_answer_key(client, username, device_key);
    let tx = ctx.tx();
    let found = tx.lookup::<AuthSessionRecord>("", DEVICE_ANSWER, &pending)?;
    if found.is_some() {
        tx.remove_lookup::<AuthSessionRecord>("", DEVICE_ANSWER, &pending)?;
    }
    Ok(found)
}
