//! Initiate/Start/Cancel/Describe/ListPointInTimeRecoveries (`domain::recovery`).

use std::time::{Duration, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::{newest_first, page};
use crate::clock::UnixTime;
use crate::domain::{Ctx, pools, recovery};
use crate::error::{CognitoError, OpResult};
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryRequest {
    user_pool_id: String,
    restore_id: Option<String>,
    /// Seconds since the epoch, as the SDKs send timestamps.
    restore_timestamp: Option<f64>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

fn id(req: &RecoveryRequest) -> &str {
    req.restore_id.as_deref().unwrap_or_default()
}

pub fn initiate_point_in_time_recovery(ctx: &Ctx<'_>, req: RecoveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let at = req
        .restore_timestamp
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .and_then(|since| UNIX_EPOCH.checked_add(since))
        .map(UnixTime::from_system)
        .ok_or_else(|| {
            CognitoError::invalid_parameter("RestoreTimestamp is not a point in time.")
        })?;
    let started = recovery::initiate(ctx, &pool, at)?;
    Ok(json!({ "Restoration": recovery::describe(&started, true) }))
}

pub fn start_point_in_time_recovery(ctx: &Ctx<'_>, req: RecoveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let done = recovery::start(ctx, &pool, id(&req))?;
    Ok(json!({ "Restoration": recovery::describe(&done, true) }))
}

pub fn cancel_point_in_time_recovery(ctx: &Ctx<'_>, req: RecoveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let cancelled = recovery::cancel(ctx, &pool, id(&req))?;
    Ok(json!({ "Restoration": recovery::describe(&cancelled, true) }))
}

pub fn describe_point_in_time_recovery(ctx: &Ctx<'_>, req: RecoveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let found = recovery::get(ctx, &pool, id(&req))?;
    Ok(json!({ "Restoration": recovery::describe(&found, true) }))
}

/// "The most recent recoveries first", without previews.
pub fn list_point_in_time_recoveries(ctx: &Ctx<'_>, req: RecoveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let keyed = recovery::list(ctx, &pool)?
        .into_iter()
        .map(|r| (newest_first(r.trigger_at, &r.id), r))
        .collect();
    let (found, next) = page(
        keyed,
        req.next_token.as_deref(),
        validate::page_size(req.max_results),
    );
    let shown: Vec<Value> = found.iter().map(|r| recovery::describe(r, false)).collect();
    let mut out = json!({ "Restorations": shown });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}
