//! Auth events: the history of a user's sign-ins, sign-ups, password resets and
//! changes that threat protection keeps, with time, address and device, and the
//! feedback an administrator or the user gives on them (AdminListUserAuthEvents,
//! AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback). As on AWS they are
//! recorded only while the pool's threat protection (AdvancedSecurityMode AUDIT or
//! ENFORCED) is on. A sign-in that `domain::risk` finds risky is recorded when it is
//! assessed (InProgress, or Fail when blocked) and passes when its tokens are issued;
//! its notification carries a feedback token, of which only the SHA-256 is kept. A
//! user keeps the [`KEPT`] latest, so failed sign-ins cannot grow the store without
//! bound.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::records::{PoolRecord, UserRecord};
use super::state::{
    AdvancedSecurityMode, AuthEventKind, EventResponse, FeedbackValue, RiskDecision, RiskLevel,
};
use super::{Ctx, LINK_USER, pools};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// Events kept per user, newest first.
pub const KEPT: usize = 100;

/// How long a risky sign-in's event waits for its tokens (a sign-in session's life).
const IN_PROGRESS_SECONDS: i64 = 180;

/// One event.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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
    /// An administrator's or the user's feedback.
    pub feedback: Option<Feedback>,
    /// Threat protection's finding, where it found a risk.
    #[serde(default)]
    pub risk: Option<Risk>,
    /// The SHA-256 (hex) of the feedback token the event's notification carried.
    #[serde(default)]
    pub feedback_token: Option<String>,
}

/// `EventRiskType` of a risky event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Risk {
    /// How likely the sign-in is not the user's.
    pub level: Option<RiskLevel>,
    /// What was decided.
    pub decision: RiskDecision,
}

/// `EventFeedbackType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Feedback {
    /// Valid or Invalid.
    pub value: FeedbackValue,
    /// Who gave it: `Admin` through AdminUpdateAuthEventFeedback, `User` through
    /// UpdateAuthEventFeedback (the notification's links).
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
    store(ctx, pool, user, &new(ctx, user, kind, response, password))
}

/// An event of `user` happening now, from the request's caller.
pub fn new(
    ctx: &Ctx<'_>,
    user: &UserRecord,
    kind: AuthEventKind,
    response: EventResponse,
    password: Option<bool>,
) -> AuthEventRecord {
    AuthEventRecord {
        id: uuid::Uuid::new_v4().to_string(),
        username: user.username.clone(),
        kind,
        response,
        created: ctx.now,
        ip: ctx.caller.ip.clone(),
        device: ctx.caller.user_agent.clone(),
        password,
        feedback: None,
        risk: None,
        feedback_token: None,
    }
}

/// A sign-in's tokens are issued: its risky event in progress passes, or (with no risk
/// found) the sign-in is recorded now.
pub fn signed_in(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    if pools::threat_protection(pool) == AdvancedSecurityMode::Off {
        return Ok(());
    }
    let pending = of_user(ctx, pool, user)?.into_iter().next().filter(|e| {
        e.kind == AuthEventKind::SignIn
            && e.response == EventResponse::InProgress
            && e.created.plus_secs(IN_PROGRESS_SECONDS) > ctx.now
    });
    match pending {
        Some(mut event) => {
            event.response = EventResponse::Pass;
            Ok(ctx.tx().put(&pool.id, &key(&event.id), &event)?)
        }
        None => record(
            ctx,
            pool,
            user,
            AuthEventKind::SignIn,
            EventResponse::Pass,
            Some(true),
        ),
    }
}

/// Stores an event of `user` (the oldest beyond the latest [`KEPT`] go).
pub fn store(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    event: &AuthEventRecord,
) -> OpResult<()> {
    let tx = ctx.tx();
    tx.put(&pool.id, &key(&event.id), event)?;
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

/// One of the user's events.
pub fn find(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    event_id: &str,
) -> OpResult<Option<AuthEventRecord>> {
    Ok(ctx
        .tx()
        .get::<AuthEventRecord>(&pool.id, &key(event_id))?
        .filter(|e| e.username == username))
}

/// Sets an administrator's feedback on one of the user's events.
pub fn give_feedback(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    event_id: &str,
    value: FeedbackValue,
) -> OpResult<()> {
    let event = find(ctx, pool, &user.username, event_id)?
        .ok_or_else(|| CognitoError::not_found(format!("Auth event {event_id} does not exist.")))?;
    set_feedback(ctx, pool, event, value, "Admin")
}

/// Sets the user's feedback, given through the feedback token of the event's
/// notification (UpdateAuthEventFeedback, or a link of the message). An unknown user,
/// an unknown event and a wrong token get the same answer: the request names no app
/// client whose PreventUserExistenceErrors could be asked, and a caller without the
/// message learns nothing.
pub fn give_user_feedback(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    event_id: &str,
    token: &str,
    value: FeedbackValue,
) -> OpResult<()> {
    let event = super::users::find(ctx, pool, username)?
        .map(|user| find(ctx, pool, &user.username, event_id))
        .transpose()?
        .flatten();
    let hash = token_hash(token);
    let proven = event
        .as_ref()
        .and_then(|e| e.feedback_token.as_deref())
        .is_some_and(|kept| {
            aws_lc_rs::constant_time::verify_slices_are_equal(kept.as_bytes(), hash.as_bytes())
                .is_ok()
        });
    match event {
        Some(event) if proven => set_feedback(ctx, pool, event, value, "User"),
        _ => Err(CognitoError::not_authorized(
            "The feedback token is not valid for this event.",
        )),
    }
}

fn set_feedback(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    mut event: AuthEventRecord,
    value: FeedbackValue,
    provider: &str,
) -> OpResult<()> {
    event.feedback = Some(Feedback {
        value,
        provider: provider.to_owned(),
        date: ctx.now,
    });
    Ok(ctx.tx().put(&pool.id, &key(&event.id), &event)?)
}

/// What the store keeps of a feedback token.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    crate::hex::encode(&sha2::Sha256::digest(token.as_bytes()))
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
    if let Some(risk) = event.risk {
        out["EventRisk"]["RiskDecision"] = json!(risk.decision);
        if let Some(level) = risk.level {
            out["EventRisk"]["RiskLevel"] = json!(level);
        }
    }
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
