//! AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback
//! (`domain::auth_events`).

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::{newest_first, page};
use crate::domain::state::FeedbackValue;
use crate::domain::{Ctx, auth_events, pools, users};
use crate::error::OpResult;
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRequest {
    user_pool_id: String,
    username: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FeedbackRequest {
    user_pool_id: String,
    username: String,
    event_id: String,
    feedback_value: String,
}

/// The user's events, newest first, in pages.
pub fn admin_list_user_auth_events(ctx: &Ctx<'_>, req: ListRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    auth_events::require_threat_protection(&pool)?;
    let user = users::require(ctx, &pool, &req.username)?;
    // Keys that sort newest first, stable as events are added.
    let keyed = auth_events::of_user(ctx, &pool, &user)?
        .into_iter()
        .map(|event| (newest_first(event.created, &event.id), event))
        .collect();
    let (events, next) = page(
        keyed,
        req.next_token.as_deref(),
        validate::page_size(req.max_results),
    );
    let events: Vec<Value> = events.iter().map(auth_events::describe).collect();
    let mut out = json!({ "AuthEvents": events });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

pub fn admin_update_auth_event_feedback(ctx: &Ctx<'_>, req: FeedbackRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    auth_events::require_threat_protection(&pool)?;
    let user = users::require(ctx, &pool, &req.username)?;
    let value = feedback_value(&req.feedback_value)?;
    auth_events::give_feedback(ctx, &pool, &user, &req.event_id, value)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserFeedbackRequest {
    user_pool_id: String,
    username: String,
    event_id: String,
    feedback_token: String,
    feedback_value: String,
}

/// The user's feedback, proven by the feedback token of the event's notification
/// (unsigned, as on AWS: "you can't use IAM credentials to authorize requests").
pub fn update_auth_event_feedback(ctx: &Ctx<'_>, req: UserFeedbackRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    auth_events::require_threat_protection(&pool)?;
    let value = feedback_value(&req.feedback_value)?;
    auth_events::give_user_feedback(
        ctx,
        &pool,
        &req.username,
        &req.event_id,
        &req.feedback_token,
        value,
    )?;
    Ok(json!({}))
}

/// A request's `FeedbackValue`.
fn feedback_value(text: &str) -> OpResult<FeedbackValue> {
    validate::named(
        "feedbackValue",
        text,
        FeedbackValue::parse,
        FeedbackValue::NAMES,
    )
}
