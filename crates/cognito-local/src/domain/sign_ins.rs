//! Sign-ins: one per successful authentication, keyed by the `origin_jti` its tokens
//! carry, found by the hash of its refresh token and, through a link, by its user.

use super::records::{ClientRecord, PoolRecord, SignInRecord, UserRecord};
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

/// Whether a sign-in is live and belongs to `user` (the same name and the same `sub`:
/// a user created later under a deleted user's name is someone else).
pub fn is_live_for(sign_in: &SignInRecord, user: &UserRecord) -> bool {
    !sign_in.revoked && sign_in.username == user.username && sign_in.sub == user.sub
}

/// Revokes a sign-in: its refresh token and access tokens stop working.
pub fn revoke(ctx: &Ctx<'_>, pool: &PoolRecord, sign_in: &mut SignInRecord) -> OpResult<()> {
    sign_in.revoked = true;
    Ok(ctx.tx().put(&pool.id, &sign_in.origin_jti, sign_in)?)
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
