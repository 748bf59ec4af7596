//! Auth events: the history of a user's sign-ins, sign-ups, password resets and
//! changes that threat protection keeps, with time, address and device, and the
//! feedback an administrator gives on them (AdminListUserAuthEvents,
//! AdminUpdateAuthEventFeedback). As on AWS they are recorded only while the pool's
//! threat protection (AdvancedSecurityMode AUDIT or ENFORCED) is on. This server
//! detects no risk: every event's risk decision is NoRisk. A user keeps the
//! [`KEPT`] latest, so failed sign-ins cannot grow the store without bound.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::records::{PoolRecord, UserRecord};
use super::state::{AdvancedSecurityMode, AuthEventKind, EventResponse, FeedbackValue};
use super::{Ctx, LINK_USER, pools};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// Events kept per user, newest first.
pub const KEPT: usize = 100;

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AuthEventRecord {
    /// `EventId`.
    pub id: String,
    /// The user.
    pub username: String,
    /// What happened.
    pub kind: AuthEventKind,
    /// How it ended.
    pub response: EventResponse,
    /// When.
    pub created: UnixTime,
    /// The caller's address.
    pub ip: Option<String>,
    /// The caller's user agent.
    pub device: Option<String>,
    /// Whether the password was right, where one was checked.
    pub password: Option<bool>,
    /// An administrator's feedback.
    pub feedback: Option<Feedback>,
}

/// `EventFeedbackType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Feedback {
    /// Valid or Invalid.
    pub value: FeedbackValue,
    /// Who gave it: `Admin` through AdminUpdateAuthEventFeedback.
    pub provider: String,
    /// When.
    pub date: UnixTime,
}

impl Record for AuthEventRecord {
    const KIND: &'static str = "auth_event";
}

/// Records an event of `user`, if the pool's threat protection is on.
pub fn record(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    kind: AuthEventKind,
    response: EventResponse,
    password: Option<bool>,
) -> OpResult<()> {
    if pools::threat_protection(pool) == AdvancedSecurityMode::Off {
        return Ok(());
    }
    let event = AuthEventRecord {
        id: uuid::Uuid::new_v4().to_string(),
        username: user.username.clone(),
        kind,
        response,
        created: ctx.now,
        ip: ctx.caller.ip.clone(),
        device: ctx.caller.user_agent.clone(),
        password,
        feedback: None,
    };
    let tx = ctx.tx();
    tx.put(&pool.id, &key(&event.id), &event)?;
    tx.link::<AuthEventRecord>(&pool.id, LINK_USER, &user.username, &key(&event.id))?;
    // The oldest beyond the latest KEPT go.
    for old in of_user(ctx, pool, user)?.into_iter().skip(KEPT) {
        tx.delete::<AuthEventRecord>(&pool.id, &key(&old.id))?;
    }
    Ok(())
}

fn key(id: &str) -> String {
    format!("event\u{1f}{id}")
}

/// A user's events, newest first.
pub fn of_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
) -> OpResult<Vec<AuthEventRecord>> {
    let mut events: Vec<AuthEventRecord> = ctx
        .tx()
        .linked::<AuthEventRecord>(&pool.id, LINK_USER, &user.username)?
        .into_iter()
        .map(|(_, event)| event)
        .collect();
    events.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.id.cmp(&a.id)));
    Ok(events)
}

/// The events of a deleted user go with it.
pub fn delete_all(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<()> {
    ctx.tx()
        .delete_linked::<AuthEventRecord>(&pool.id, LINK_USER, username)?;
    Ok(())
}

/// The refusal of the auth event operations while threat protection is off.
pub fn require_threat_protection(pool: &PoolRecord) -> OpResult<()> {
    if pools::threat_protection(pool) == AdvancedSecurityMode::Off {
        return Err(CognitoError::new(
            ErrorKind::UserPoolAddOnNotEnabledException,
            "Threat protection (UserPoolAddOns AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for this user pool.",
        ));
    }
    Ok(())
}

/// Sets an administrator's feedback on one of the user's events.
pub fn give_feedback(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    event_id: &str,
    value: FeedbackValue,
) -> OpResult<()> {
    let mut event = ctx
        .tx()
        .get::<AuthEventRecord>(&pool.id, &key(event_id))?
        .filter(|e| e.username == user.username)
        .ok_or_else(|| CognitoError::not_found(format!("Auth event {event_id} does not exist.")))?;
    event.feedback = Some(Feedback {
        value,
        provider: "Admin".to_owned(),
        date: ctx.now,
    });
    Ok(ctx.tx().put(&pool.id, &key(event_id), &event)?)
}

/// An `AuthEventType`.
pub fn describe(event: &AuthEventRecord) -> Value {
    let mut out = json!({
        "EventId": event.id,
        "EventType": event.kind,
        "CreationDate": event.created,
        "EventResponse": event.response,
        "EventRisk": { "RiskDecision": "NoRisk", "CompromisedCredentialsDetected": false },
        "ChallengeResponses": [],
        "EventContextData": {},
    });
    if let Some(password) = event.password {
        out["ChallengeResponses"] = json!([{
            "ChallengeName": "Password",
            "ChallengeResponse": if password { "Success" } else { "Failure" },
        }]);
    }
    if let Some(ip) = &event.ip {
        out["EventContextData"]["IpAddress"] = json!(ip);
    }
    if let Some(device) = &event.device {
        out["EventContextData"]["DeviceName"] = json!(device);
    }
    if let Some(feedback) = &event.feedback {
        out["EventFeedback"] = json!({
            "FeedbackValue": feedback.value,
            "Provider": feedback.provider,
            "FeedbackDate": feedback.date,
        });
    }
    out
}
