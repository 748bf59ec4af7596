//! Session management: a user's token sessions, which are this server's sign-ins (one
//! per authentication, tracking "the lifecycle of a refresh token issued to a specific
//! app client", developer guide, "Managing user sessions"). Tracking is opt-in per pool
//! (SetUserPoolSessionConfiguration): sign-ins made while it is off are not sessions.
//! With it on, a user holds at most MaxPerUser (default 20) sessions: "the next
//! successful authentication automatically evicts that user's least recently used token
//! session" (API reference, UserPoolTokenSessionConfigType). No SSO sessions exist until
//! the hosted UI does.

use serde_json::{Value, json};

use super::configs::{self, Config};
use super::records::{PoolRecord, SignInRecord, UserRecord};
use super::{Ctx, sign_ins};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};

/// Where the stored configuration keeps when tracking was turned on.
const SINCE: &str = "TrackingSince";

/// MaxPerUser where none was set.
pub const DEFAULT_MAX_PER_USER: i64 = 20;

/// A pool's session configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// UserSessionTracking ENABLED.
    pub tracking: bool,
    /// TokenSession.MaxPerUser.
    pub max_per_user: i64,
    /// When tracking was last turned on: sign-ins since then are sessions.
    pub since: Option<UnixTime>,
}

/// The pool's session configuration: tracking DISABLED and MaxPerUser 20 until set
/// (API reference, GetUserPoolSessionConfiguration).
pub fn config(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<SessionConfig> {
    Ok(match configs::get(ctx, pool, Config::Sessions)? {
        Some(record) => SessionConfig {
            tracking: record.value["UserSessionTracking"] == "ENABLED",
            max_per_user: record.value["TokenSession"]["MaxPerUser"]
                .as_i64()
                .unwrap_or(DEFAULT_MAX_PER_USER),
            since: serde_json::from_value(record.value[SINCE].clone()).ok(),
        },
        None => SessionConfig {
            tracking: false,
            max_per_user: DEFAULT_MAX_PER_USER,
            since: None,
        },
    })
}

/// SetUserPoolSessionConfiguration: a full replacement. Tracking turned on starts a
/// new span of tracked sign-ins; left on, it keeps the span it had.
pub fn set(ctx: &Ctx<'_>, pool: &PoolRecord, tracking: bool, max_per_user: i64) -> OpResult<()> {
    let before = config(ctx, pool)?;
    let since = match (tracking, before.tracking) {
        (true, true) => before.since,
        (true, false) => Some(ctx.now),
        (false, _) => None,
    };
    let value = json!({
        "UserSessionTracking": if tracking { "ENABLED" } else { "DISABLED" },
        "TokenSession": { "MaxPerUser": max_per_user },
        SINCE: since,
    });
    configs::put(ctx, pool, Config::Sessions, value)
}

/// The configuration with tracking on, or the error the session operations give.
pub fn tracked(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<SessionConfig> {
    let config = config(ctx, pool)?;
    if config.tracking {
        Ok(config)
    } else {
        Err(CognitoError::new(
            ErrorKind::OperationNotEnabledException,
            "Session tracking is not enabled for this user pool.",
        ))
    }
}

/// The session id of a sign-in: `tkn` and 25 lowercase alphanumerics (the model's
/// `^(tkn|sso)[a-z0-9]{25}$`), derived from the sign-in's `origin_jti`.
pub fn session_id(sign_in: &SignInRecord) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let digest =
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, sign_in.origin_jti.as_bytes());
    let id: String = digest.as_ref()[..25]
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("tkn{id}")
}

/// When a session was last used: its last refresh, or its authentication.
fn last_active(sign_in: &SignInRecord) -> UnixTime {
    sign_in.last_active.unwrap_or(sign_in.auth_time)
}

/// A user's active sessions, oldest first: live, unexpired sign-ins made since
/// tracking was turned on.
pub fn active(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    config: SessionConfig,
) -> OpResult<Vec<SignInRecord>> {
    let mut sessions: Vec<SignInRecord> = sign_ins::of_user(ctx, pool, &user.username)?
        .into_iter()
        .filter(|s| sign_ins::is_live_for(s, user) && ctx.now <= s.refresh_expires)
        .filter(|s| config.since.is_none_or(|since| s.auth_time >= since))
        .collect();
    sessions.sort_by_key(|s| s.auth_time);
    Ok(sessions)
}

/// Before a new sign-in: with tracking on, the user's least recently used sessions are
/// revoked until one more fits under MaxPerUser.
pub fn make_room(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    let config = config(ctx, pool)?;
    if !config.tracking {
        return Ok(());
    }
    let mut sessions = active(ctx, pool, user, config)?;
    sessions.sort_by_key(last_active);
    let excess = sessions.len() as i64 - (config.max_per_user - 1);
    for mut session in sessions.into_iter().take(excess.max(0) as usize) {
        sign_ins::revoke(ctx, pool, &mut session)?;
    }
    Ok(())
}

/// Revokes one of a user's sessions by id: its refresh and access tokens stop working.
pub fn revoke(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    config: SessionConfig,
    id: &str,
) -> OpResult<()> {
    let mut session = active(ctx, pool, user, config)?
        .into_iter()
        .find(|s| session_id(s) == id)
        .ok_or_else(|| CognitoError::not_found(format!("Session {id} does not exist.")))?;
    sign_ins::revoke(ctx, pool, &mut session)
}

/// A `SessionDescriptionType`. DeviceType is the last caller's user agent as sent (the
/// service parses it into operating system and browser), or `unknown`; the address is
/// the connection's; no location is derived from it.
pub fn describe(sign_in: &SignInRecord, current: bool) -> Value {
    let caller = &sign_in.last_caller;
    let mut out = json!({
        "SessionId": session_id(sign_in),
        "SessionType": "TOKEN",
        "ClientId": sign_in.client_id,
        "CreateDate": sign_in.auth_time,
        "LastActiveDate": last_active(sign_in),
        "DeviceType": caller.user_agent.as_deref().unwrap_or("unknown"),
        "IsCurrentSession": current,
    });
    if let Some(ip) = &caller.ip {
        out["LastIPAddress"] = json!(ip);
    }
    out
}
