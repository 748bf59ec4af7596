//! Adaptive authentication: threat protection's account-takeover protection, as far as
//! a local server can take it.
//!
//! AWS scores a sign-in against a model of the user's past sign-ins that it does not
//! publish. This server's rule is deterministic and small: a proven password's sign-in
//! is compared with the user's earlier passed sign-ins (the auth events threat
//! protection keeps). From an IP address and a device (user agent) neither seen before
//! it is High risk; from a new address, Medium; from a new device, Low; a user's first
//! sign-in, and one from a known address and device, carry no risk. The address is the
//! connection's, or the `ContextData.IpAddress` an admin operation passes, which AWS
//! documents as what threat protection evaluates.
//!
//! What follows is the pool's risk configuration (an app client's own replaces it):
//! - `RiskExceptionConfiguration`: a sign-in from `SkippedIPRangeList` is never
//!   assessed, one from `BlockedIPRangeList` always blocked (decision Block);
//! - `AccountTakeoverRiskConfiguration.Actions` per level: `EventAction` BLOCK,
//!   MFA_IF_CONFIGURED (an MFA challenge if the user has MFA, else allowed),
//!   MFA_REQUIRED (an MFA challenge if the user has MFA, else blocked) or NO_ACTION,
//!   and `Notify`: an email built from `NotifyConfiguration`'s template for the action,
//!   whose links carry the event's feedback token (UpdateAuthEventFeedback).
//!
//! As on AWS, actions are taken in ENFORCED mode only; AUDIT records the risk and
//! lets every sign-in through.

use std::net::IpAddr;

use serde_json::Value;

use super::auth_events::{self, Risk};
use super::configs::{self, Config};
use super::mfa::usable_methods;
use super::outbox::{self, Delivery};
use super::records::{ClientRecord, PoolRecord, UserRecord};
use super::state::{
    AdvancedSecurityMode, AuthEventKind, DeliveryMedium, EventResponse, MessagePurpose,
    RiskDecision, RiskLevel, TakeoverAction,
};
use super::{ALPHANUMERIC, Ctx, pools, random_string};
use crate::error::{CognitoError, OpResult};

/// What a sign-in with a proven password does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Goes on as the pool's MFA configuration says.
    Allow,
    /// Answers an MFA challenge first (the user has MFA).
    Mfa,
}

/// The service's answer to a blocked sign-in.
pub fn blocked() -> CognitoError {
    CognitoError::not_authorized("Unable to login because of security reasons.")
}

/// Assesses a sign-in whose password `user` proved. A blocked sign-in is recorded and
/// committed before its refusal is returned.
pub fn assess(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
) -> OpResult<Outcome> {
    let mode = pools::threat_protection(pool);
    if mode == AdvancedSecurityMode::Off {
        return Ok(Outcome::Allow);
    }
    let config = match configs::get(ctx, pool, Config::Risk(Some(&client.id)))? {
        Some(own) => Some(own),
        None => configs::get(ctx, pool, Config::Risk(None))?,
    }
    .map(|c| c.value)
    .unwrap_or(Value::Null);
    let ip: Option<IpAddr> = ctx.caller.ip.as_deref().and_then(|ip| ip.parse().ok());
    let exceptions = &config["RiskExceptionConfiguration"];
    if in_ranges(&exceptions["SkippedIPRangeList"], ip) {
        return Ok(Outcome::Allow);
    }
    let enforced = mode == AdvancedSecurityMode::Enforced;
    let (level, notify, action) = if in_ranges(&exceptions["BlockedIPRangeList"], ip) {
        (None, false, TakeoverAction::Block)
    } else {
        let Some(level) = level(ctx, pool, user)? else {
            return Ok(Outcome::Allow);
        };
        let actions = &config["AccountTakeoverRiskConfiguration"]["Actions"];
        let (notify, action) = action_for(actions, level);
        (Some(level), notify, action)
    };
    // The decision is the configuration's; only ENFORCED acts on it.
    let has_mfa = !usable_methods(pool, &user.mfa).is_empty();
    let blocks =
        action == TakeoverAction::Block || (action == TakeoverAction::MfaRequired && !has_mfa);
    let decision = if blocks {
        RiskDecision::Block
    } else {
        RiskDecision::AccountTakeover
    };
    let refuse = blocks && enforced;
    let notify = notify && enforced;
    let response = if refuse {
        EventResponse::Fail
    } else {
        EventResponse::InProgress
    };
    let challenge = enforced
        && has_mfa
        && matches!(
            action,
            TakeoverAction::MfaIfConfigured | TakeoverAction::MfaRequired
        );
    let effect = match (refuse, challenge) {
        (true, _) => Effect::Blocked,
        (false, true) => Effect::Mfa,
        (false, false) => Effect::Allowed,
    };
    let mut event = auth_events::new(ctx, user, AuthEventKind::SignIn, response, Some(true));
    event.risk = Some(Risk { level, decision });
    if notify {
        let token = random_string(ALPHANUMERIC, 43);
        event.feedback_token = Some(auth_events::token_hash(&token));
        send_notice(ctx, pool, user, &event, effect, &config, &token)?;
    }
    auth_events::store(ctx, pool, user, &event)?;
    match effect {
        Effect::Blocked => {
            ctx.commit_so_far()?;
            Err(blocked())
        }
        Effect::Mfa => Ok(Outcome::Mfa),
        Effect::Allowed => Ok(Outcome::Allow),
    }
}

/// What the assessment did, which picks the notice's template.
#[derive(Clone, Copy)]
enum Effect {
    Blocked,
    Mfa,
    Allowed,
}

/// The level of this sign-in by the rule above, or `None` for no risk.
fn level(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<Option<RiskLevel>> {
    let earlier: Vec<_> = auth_events::of_user(ctx, pool, user)?
        .into_iter()
        .filter(|e| e.kind == AuthEventKind::SignIn && e.response == EventResponse::Pass)
        .collect();
    if earlier.is_empty() {
        return Ok(None);
    }
    let (ip, device) = (&ctx.caller.ip, &ctx.caller.user_agent);
    let new_ip = !earlier.iter().any(|e| &e.ip == ip);
    let new_device = !earlier.iter().any(|e| &e.device == device);
    Ok(match (new_ip, new_device) {
        (true, true) => Some(RiskLevel::High),
        (true, false) => Some(RiskLevel::Medium),
        (false, true) => Some(RiskLevel::Low),
        (false, false) => None,
    })
}

/// `Notify` and `EventAction` of the configured action for `level` (none: allowed,
/// unannounced).
fn action_for(actions: &Value, level: RiskLevel) -> (bool, TakeoverAction) {
    let member = match level {
        RiskLevel::Low => "LowAction",
        RiskLevel::Medium => "MediumAction",
        RiskLevel::High => "HighAction",
    };
    let action = &actions[member];
    let event_action = action["EventAction"]
        .as_str()
        .and_then(TakeoverAction::parse)
        .unwrap_or(TakeoverAction::NoAction);
    (action["Notify"].as_bool().unwrap_or(false), event_action)
}

/// Whether `ip` is in one of the CIDR ranges of a list (malformed entries, which the
/// model lets through, match nothing).
fn in_ranges(list: &Value, ip: Option<IpAddr>) -> bool {
    let (Some(ip), Some(list)) = (ip, list.as_array()) else {
        return false;
    };
    list.iter()
        .filter_map(Value::as_str)
        .filter_map(|range| range.parse::<ipnet::IpNet>().ok())
        .any(|range| range.contains(&ip))
}

/// The notification email: the template `NotifyConfiguration` sets for what was done
/// (BlockEmail, MfaEmail, NoActionEmail: its TextBody, else its HtmlBody), or this
/// server's default, with AWS's placeholders filled. Where AWS would link to its
/// feedback page, the links go to `/_local/feedback/{pool}`, which does what
/// UpdateAuthEventFeedback does.
fn send_notice(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    event: &auth_events::AuthEventRecord,
    effect: Effect,
    config: &Value,
    token: &str,
) -> OpResult<()> {
    let Some(delivery) = Delivery::email(user) else {
        return outbox::undeliverable(
            ctx,
            pool,
            user,
            DeliveryMedium::Email,
            MessagePurpose::RiskNotice,
            "Threat protection's notice was not sent: the user has no email address.".into(),
        );
    };
    let (member, subject, body) = match effect {
        Effect::Blocked => (
            "BlockEmail",
            "Blocked sign-in attempt",
            "We blocked a sign-in to your account {username} at {login-time} from {ip-address} ({device-name}). If it was you, tell us: {one-click-link-valid} If it was not, tell us and change your password: {one-click-link-invalid}",
        ),
        Effect::Mfa => (
            "MfaEmail",
            "New sign-in attempt",
            "A sign-in to your account {username} at {login-time} from {ip-address} ({device-name}) asked for a second factor. If it was you, tell us: {one-click-link-valid} If it was not, tell us and change your password: {one-click-link-invalid}",
        ),
        Effect::Allowed => (
            "NoActionEmail",
            "New sign-in attempt",
            "Someone signed in to your account {username} at {login-time} from {ip-address} ({device-name}). If it was you, tell us: {one-click-link-valid} If it was not, tell us and change your password: {one-click-link-invalid}",
        ),
    };
    let template = &config["AccountTakeoverRiskConfiguration"]["NotifyConfiguration"][member];
    let subject = template["Subject"].as_str().unwrap_or(subject);
    let body = template["TextBody"]
        .as_str()
        .or_else(|| template["HtmlBody"].as_str())
        .unwrap_or(body);
    let link = |value: &str| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("username", &user.username)
            .append_pair("event_id", &event.id)
            .append_pair("feedback_token", token)
            .append_pair("feedback_value", value)
            .finish();
        format!("{}/_local/feedback/{}?{query}", ctx.issuer_base, pool.id)
    };
    let login_time = time::OffsetDateTime::from_unix_timestamp(ctx.now.secs())
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    let text = body
        .replace("{username}", &user.username)
        .replace("{login-time}", &login_time)
        .replace("{ip-address}", event.ip.as_deref().unwrap_or("unknown"))
        .replace(
            "{device-name}",
            event.device.as_deref().unwrap_or("unknown"),
        )
        .replace("{city}", "unknown")
        .replace("{country}", "unknown")
        .replace("{one-click-link-valid}", &link("Valid"))
        .replace("{one-click-link-invalid}", &link("Invalid"));
    outbox::send(
        ctx,
        pool,
        user,
        &delivery,
        MessagePurpose::RiskNotice,
        format!("{subject}\n\n{text}"),
        Some(token),
    )
}
