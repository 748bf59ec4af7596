//! Session management: Get/SetUserPoolSessionConfiguration,
//! Get/SetUserPoolClientSessionConfiguration, Admin/ListUserSessions and
//! Admin/RevokeUserSession, over the sign-ins the server keeps
//! (`domain::user_sessions`).

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::access::user_of;
use crate::domain::configs::{self, Config};
use crate::domain::records::PoolRecord;
use crate::domain::state::Tier;
use crate::domain::{Ctx, clients, pools, user_sessions, users};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// MaxValidityMinutes where none was set (API reference,
/// GetUserPoolClientSessionConfiguration).
const DEFAULT_SSO_MINUTES: i64 = 60;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolSessionRequest {
    user_pool_id: String,
    user_session_tracking: Option<String>,
    token_session: Option<TokenSession>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenSession {
    max_per_user: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientSessionRequest {
    user_pool_id: String,
    client_id: String,
    #[serde(rename = "SSOSession")]
    sso_session: Option<SsoSession>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsoSession {
    max_validity_minutes: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSessionsRequest {
    user_pool_id: String,
    username: String,
    session_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SessionsRequest {
    access_token: String,
    session_id: Option<String>,
}

/// "The user pool must be in the Essentials or Plus tier. Otherwise, this operation
/// returns a FeatureUnavailableInTierException." (API reference, both Set operations)
fn needs_essentials(pool: &PoolRecord) -> OpResult<()> {
    match pools::tier(pool) {
        Tier::Lite => Err(CognitoError::new(
            ErrorKind::FeatureUnavailableInTierException,
            "Session management needs the ESSENTIALS or PLUS tier; this user pool is in the LITE tier.",
        )),
        _ => Ok(()),
    }
}

fn pool_config(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Value> {
    let config = user_sessions::config(ctx, pool)?;
    Ok(json!({
        "UserPoolId": pool.id,
        "UserSessionTracking": if config.tracking { "ENABLED" } else { "DISABLED" },
        "TokenSession": { "MaxPerUser": config.max_per_user },
    }))
}

pub fn get_user_pool_session_configuration(
    ctx: &Ctx<'_>,
    req: PoolSessionRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    pool_config(ctx, &pool)
}

/// A full replacement: the model requires every member.
pub fn set_user_pool_session_configuration(
    ctx: &Ctx<'_>,
    req: PoolSessionRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    needs_essentials(&pool)?;
    let tracking = req.user_session_tracking.as_deref() == Some("ENABLED");
    let max = req
        .token_session
        .map_or(user_sessions::DEFAULT_MAX_PER_USER, |t| t.max_per_user);
    user_sessions::set(ctx, &pool, tracking, max)?;
    pool_config(ctx, &pool)
}

fn client_config(ctx: &Ctx<'_>, pool: &PoolRecord, client_id: &str) -> OpResult<Value> {
    let minutes = configs::get(ctx, pool, Config::ClientSessions(client_id))?
        .and_then(|record| record.value["MaxValidityMinutes"].as_i64())
        .unwrap_or(DEFAULT_SSO_MINUTES);
    Ok(json!({
        "UserPoolId": pool.id,
        "ClientId": client_id,
        "SSOSession": { "MaxValidityMinutes": minutes },
    }))
}

pub fn get_user_pool_client_session_configuration(
    ctx: &Ctx<'_>,
    req: ClientSessionRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    client_config(ctx, &pool, &client.id)
}

/// "Session tracking must be enabled for the user pool" (API reference); refused with
/// OperationNotEnabledException otherwise.
pub fn set_user_pool_client_session_configuration(
    ctx: &Ctx<'_>,
    req: ClientSessionRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    needs_essentials(&pool)?;
    user_sessions::tracked(ctx, &pool)?;
    let minutes = req
        .sso_session
        .map_or(DEFAULT_SSO_MINUTES, |s| s.max_validity_minutes);
    configs::put(
        ctx,
        &pool,
        Config::ClientSessions(&client.id),
        json!({ "MaxValidityMinutes": minutes }),
    )?;
    client_config(ctx, &pool, &client.id)
}

/// "All of a user's sessions in a single page of up to 125 sessions"; IsCurrentSession
/// "is always false for the AdminListUserSessions operation" (API reference).
pub fn admin_list_user_sessions(ctx: &Ctx<'_>, req: AdminSessionsRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let config = user_sessions::tracked(ctx, &pool)?;
    let user = users::require(ctx, &pool, &req.username)?;
    let sessions: Vec<Value> = user_sessions::active(ctx, &pool, &user, config)?
        .iter()
        .map(|s| user_sessions::describe(s, false))
        .collect();
    Ok(json!({ "Sessions": sessions }))
}

/// The signed-in user's sessions, the calling token's marked current.
pub fn list_user_sessions(ctx: &Ctx<'_>, req: SessionsRequest) -> OpResult<Value> {
    let (pool, user, current) = user_of(ctx, &req.access_token)?;
    let config = user_sessions::tracked(ctx, &pool)?;
    let sessions: Vec<Value> = user_sessions::active(ctx, &pool, &user, config)?
        .iter()
        .map(|s| user_sessions::describe(s, s.origin_jti == current.origin_jti))
        .collect();
    Ok(json!({ "Sessions": sessions }))
}

/// RevokeAssociatedSessions LINKED also revokes a token session's parent SSO session;
/// there are none here, so both values revoke the one session.
pub fn admin_revoke_user_session(ctx: &Ctx<'_>, req: AdminSessionsRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let config = user_sessions::tracked(ctx, &pool)?;
    let user = users::require(ctx, &pool, &req.username)?;
    user_sessions::revoke(
        ctx,
        &pool,
        &user,
        config,
        req.session_id.as_deref().unwrap_or_default(),
    )?;
    Ok(json!({}))
}

/// "You can't revoke the session that the calling access token belongs to." (API
/// reference; the error is this server's choice: InvalidParameterException)
pub fn revoke_user_session(ctx: &Ctx<'_>, req: SessionsRequest) -> OpResult<Value> {
    let (pool, user, current) = user_of(ctx, &req.access_token)?;
    let config = user_sessions::tracked(ctx, &pool)?;
    let id = req.session_id.as_deref().unwrap_or_default();
    if user_sessions::session_id(&current) == id {
        return Err(CognitoError::invalid_parameter(
            "You can't revoke the session that the calling access token belongs to.",
        ));
    }
    user_sessions::revoke(ctx, &pool, &user, config, id)?;
    Ok(json!({}))
}
