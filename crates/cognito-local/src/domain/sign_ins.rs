//! Sign-ins: one per successful authentication, keyed by the `origin_jti` its tokens
//! carry, found by the hash of its refresh token and, through a link, by its user.

use super::records::{ClientRecord, PoolRecord, RetiredRefresh, SignInRecord, UserRecord};
use super::{Ctx, LINK_USER};
use crate::error::OpResult;
use crate::tokens;

/// The lookup from a refresh token's hash to its sign-in.
const REFRESH: &str = "refresh";

/// Records a new sign-in of `user` through `client`; returns it and its refresh token
/// (only the token's hash is kept).
pub fn create(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    device_key: Option<String>,
) -> OpResult<(SignInRecord, String)> {
    let token = tokens::new_refresh_token();
    let record = SignInRecord {
        origin_jti: uuid::Uuid::new_v4().to_string(),
        username: user.username.clone(),
        sub: user.sub.clone(),
        client_id: client.id.clone(),
        auth_time: ctx.now,
        refresh_hash: tokens::refresh_hash(&token),
        refresh_expires: ctx.now.plus_secs(client.lifetimes.refresh as i64),
        device_key,
        revoked: false,
        last_active: None,
        last_caller: ctx.caller.clone(),
        retired: None,
        scopes: None,
        resource: None,
    };
    let tx = ctx.tx();
    tx.put(&pool.id, &record.origin_jti, &record)?;
    tx.set_lookup::<SignInRecord>(&pool.id, REFRESH, &record.refresh_hash, &record.origin_jti)?;
    tx.link::<SignInRecord>(&pool.id, LINK_USER, &user.username, &record.origin_jti)?;
    Ok((record, token))
}

/// The sign-in a token's `origin_jti` names.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, origin_jti: &str) -> OpResult<Option<SignInRecord>> {
    Ok(ctx.tx().get(&pool.id, origin_jti)?)
}

/// The sign-in a refresh token belongs to.
pub fn by_refresh_token(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    token: &str,
) -> OpResult<Option<SignInRecord>> {
    let tx = ctx.tx();
    match tx.lookup::<SignInRecord>(&pool.id, REFRESH, &tokens::refresh_hash(token))? {
        Some(origin) => get(ctx, pool, &origin),
        None => Ok(None),
    }
}

/// What a refresh token presented is to its sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// Its current refresh token.
    Current,
    /// The one rotated out last, within its grace period.
    WithinGrace,
    /// One rotated out, past its grace period.
    Reused,
}

/// What `token` is to `sign_in` now.
pub fn presented(ctx: &Ctx<'_>, sign_in: &SignInRecord, token: &str) -> Presented {
    let hash = tokens::refresh_hash(token);
    if hash == sign_in.refresh_hash {
        return Presented::Current;
    }
    match &sign_in.retired {
        Some(retired) if retired.hash == hash && ctx.now < retired.until => Presented::WithinGrace,
        _ => Presented::Reused,
    }
}

/// Rotates the refresh token of a sign-in: a new one is current; the one presented,
/// if current, is retired for `grace_seconds` (one presented within its grace stays
/// retired, and the token issued after it is dropped). Returns the new token.
pub fn rotate(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    sign_in: &mut SignInRecord,
    presented: Presented,
    grace_seconds: u32,
) -> OpResult<String> {
    let tx = ctx.tx();
    let token = tokens::new_refresh_token();
    let hash = tokens::refresh_hash(&token);
    if presented == Presented::Current {
        if let Some(old) = sign_in.retired.take() {
            tx.remove_lookup::<SignInRecord>(&pool.id, REFRESH, &old.hash)?;
        }
        sign_in.retired = Some(RetiredRefresh {
            hash: sign_in.refresh_hash.clone(),
            until: ctx.now.plus_secs(i64::from(grace_seconds)),
        });
    } else {
        tx.remove_lookup::<SignInRecord>(&pool.id, REFRESH, &sign_in.refresh_hash)?;
    }
    sign_in.refresh_hash = hash;
    tx.set_lookup::<SignInRecord>(
        &pool.id,
        REFRESH,
        &sign_in.refresh_hash,
        &sign_in.origin_jti,
    )?;
    tx.put(&pool.id, &sign_in.origin_jti, sign_in)?;
    Ok(token)
}

/// Whether a sign-in is live and belongs to `user` (the same name and the same `sub`:
/// a user created later under a deleted user's name is someone else).
pub fn is_live_for(sign_in: &SignInRecord, user: &UserRecord) -> bool {
    !sign_in.revoked && sign_in.username == user.username && sign_in.sub == user.sub
}

/// Writes a sign-in back (its last activity changed).
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, sign_in: &SignInRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &sign_in.origin_jti, sign_in)?)
}

/// Revokes a sign-in: its refresh token and access tokens stop working.
pub fn revoke(ctx: &Ctx<'_>, pool: &PoolRecord, sign_in: &mut SignInRecord) -> OpResult<()> {
    sign_in.revoked = true;
    Ok(ctx.tx().put(&pool.id, &sign_in.origin_jti, sign_in)?)
}

/// Every sign-in of a user (live or not), found through the user's link.
pub fn of_user(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<Vec<SignInRecord>> {
    Ok(ctx
        .tx()
        .linked::<SignInRecord>(&pool.id, LINK_USER, username)?
        .into_iter()
        .map(|(_, sign_in)| sign_in)
        .collect())
}

/// Revokes every sign-in of a user, found through the user's link (no scan).
pub fn revoke_all(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<()> {
    for (_, mut sign_in) in ctx
        .tx()
        .linked::<SignInRecord>(&pool.id, LINK_USER, username)?
    {
        if !sign_in.revoked {
            revoke(ctx, pool, &mut sign_in)?;
        }
    }
    Ok(())
}
