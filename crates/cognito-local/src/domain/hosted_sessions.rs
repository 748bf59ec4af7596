//! The hosted session: the `cognito` cookie the login pages set once a user has signed
//! in, so that a second authorize within its lifetime skips the login ("session cookies
//! that are valid for 1 hour"). The store keeps only the cookie's SHA-256; a session is
//! opened only by a sign-in that succeeded.

use serde::{Deserialize, Serialize};

use super::records::{PoolRecord, UserRecord};
use super::{Ctx, users};
use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::store::Record;

/// How long a hosted session lasts (it does not renew).
pub const SESSION_SECONDS: i64 = 3600;

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HostedSessionRecord {
    /// The user.
    pub username: String,
    /// The user's `sub`.
    pub sub: String,
    /// When the user signed in.
    pub auth_time: UnixTime,
    /// It ends then.
    pub expires: UnixTime,
}

impl Record for HostedSessionRecord {
    const KIND: &'static str = "hosted_session";

    fn expires(&self) -> Option<UnixTime> {
        Some(self.expires)
    }
}

fn key(cookie: &str) -> String {
    crate::tokens::refresh_hash(cookie)
}

/// Opens a session for a user who has just signed in; the cookie's value.
pub fn open(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<String> {
    let cookie = crate::tokens::new_refresh_token();
    let record = HostedSessionRecord {
        username: user.username.clone(),
        sub: user.sub.clone(),
        auth_time: ctx.now,
        expires: ctx.now.plus_secs(SESSION_SECONDS),
    };
    ctx.tx().put(&pool.id, &key(&cookie), &record)?;
    Ok(cookie)
}

/// The user of a live session, if the cookie names one and the user is still the one
/// who signed in (same `sub`) and enabled.
pub fn user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    cookie: &str,
) -> OpResult<Option<(HostedSessionRecord, UserRecord)>> {
    let Some(record) = ctx
        .tx()
        .get::<HostedSessionRecord>(&pool.id, &key(cookie))?
    else {
        return Ok(None);
    };
    if ctx.now > record.expires {
        return Ok(None);
    }
    let user = users::by_username(ctx, pool, &record.username)?
        .filter(|user| user.sub == record.sub && user.enabled);
    Ok(user.map(|user| (record, user)))
}

/// Ends a session (logout).
pub fn close(ctx: &Ctx<'_>, pool: &PoolRecord, cookie: &str) -> OpResult<()> {
    ctx.tx()
        .delete::<HostedSessionRecord>(&pool.id, &key(cookie))?;
    Ok(())
}
