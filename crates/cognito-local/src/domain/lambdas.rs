//! Calling a pool's Lambda triggers from an operation: the ARN its `LambdaConfig`
//! names, the event envelope AWS sends (version, triggerSource, region, userPoolId,
//! userName, callerContext, request, response), the call made without the store's
//! lock, and the answer mapped to AWS's exceptions:
//! - the function failed: `UserLambdaValidationException`, `{Trigger} failed with
//!   error {errorMessage}.`;
//! - its answer is not the trigger's event: `InvalidLambdaResponseException`;
//! - it could not be reached or took longer than the limit: `UnexpectedLambdaException`.
//!
//! What the operation wrote before the call is committed first (the store's
//! `unlocked`), so operations call their triggers before their writes, or where AWS
//! keeps what was done whatever the trigger says.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::Ctx;
use super::records::{PoolRecord, UserRecord};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::triggers::TriggerError;

/// The triggers of `LambdaConfig` that operations call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    PreSignUp,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
    PreTokenGeneration,
    UserMigration,
    CustomMessage,
    CustomEmailSender,
    CustomSmsSender,
    InboundFederation,
}

impl Trigger {
    /// Its member of `LambdaConfig`, which is also how AWS's messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::PreSignUp => "PreSignUp",
            Trigger::PostConfirmation => "PostConfirmation",
            Trigger::PreAuthentication => "PreAuthentication",
            Trigger::PostAuthentication => "PostAuthentication",
            Trigger::DefineAuthChallenge => "DefineAuthChallenge",
            Trigger::CreateAuthChallenge => "CreateAuthChallenge",
            Trigger::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
            Trigger::PreTokenGeneration => "PreTokenGeneration",
            Trigger::UserMigration => "UserMigration",
            Trigger::CustomMessage => "CustomMessage",
            Trigger::CustomEmailSender => "CustomEmailSender",
            Trigger::CustomSmsSender => "CustomSMSSender",
            Trigger::InboundFederation => "InboundFederation",
        }
    }
}

/// One call: which trigger, for what, with what.
pub(crate) struct Call<'a> {
    /// The trigger.
    pub trigger: Trigger,
    /// The event's `triggerSource`, e.g. `PreSignUp_SignUp`.
    pub source: Cow<'static, str>,
    /// The user's name (`userName`).
    pub username: &'a str,
    /// The app client of the request, if it names one.
    pub client_id: Option<&'a str>,
    /// The event's `request`.
    pub request: Value,
    /// The event's `response` as it goes out (the trigger's defaults).
    pub response: Value,
}

/// The ARN the pool's `LambdaConfig` gives `trigger`, if any (PreTokenGeneration's
/// is `PreTokenGenerationConfig.LambdaArn`, else the legacy `PreTokenGeneration`).
pub fn arn(pool: &PoolRecord, trigger: Trigger) -> Option<String> {
    let config = pool.settings.get("LambdaConfig")?;
    let configured = match trigger {
        Trigger::PreTokenGeneration => config
            .pointer("/PreTokenGenerationConfig/LambdaArn")
            .or_else(|| config.get(trigger.name())),
        Trigger::CustomEmailSender | Trigger::CustomSmsSender | Trigger::InboundFederation => {
            config
                .get(trigger.name())
                .and_then(|sender| sender.get("LambdaArn"))
        }
        _ => config.get(trigger.name()),
    };
    configured.and_then(Value::as_str).map(str::to_owned)
}

/// The version of the pool's PreTokenGeneration: 1, 2 or 3
/// (`PreTokenGenerationConfig.LambdaVersion`, V1_0 unless set).
pub fn token_version(pool: &PoolRecord) -> u8 {
    let version = pool
        .settings
        .get("LambdaConfig")
        .and_then(|c| c.pointer("/PreTokenGenerationConfig/LambdaVersion"))
        .and_then(Value::as_str);
    match version {
        Some("V2_0") => 2,
        Some("V3_0") => 3,
        _ => 1,
    }
}

/// Whether the pool has a trigger that messages run (CustomMessage or a custom sender).
pub fn has_message_trigger(pool: &PoolRecord) -> bool {
    [
        Trigger::CustomMessage,
        Trigger::CustomEmailSender,
        Trigger::CustomSmsSender,
    ]
    .into_iter()
    .any(|trigger| has(pool, trigger))
}

/// Whether the pool has `trigger`.
pub fn has(pool: &PoolRecord, trigger: Trigger) -> bool {
    arn(pool, trigger).is_some()
}

/// Calls the trigger, if the pool has it: the returned event's `response`, read as `T`.
pub fn call<T: DeserializeOwned>(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    call: Call<'_>,
) -> OpResult<Option<T>> {
    let Some(arn) = arn(pool, call.trigger) else {
        return Ok(None);
    };
    // Every trigger's events are version 1 but PreTokenGeneration's, which follow
    // the configured version.
    let version = match call.trigger {
        Trigger::PreTokenGeneration => token_version(pool).to_string(),
        _ => "1".to_owned(),
    };
    let event = json!({
        "version": version,
        "triggerSource": call.source,
        "region": ctx.region,
        "userPoolId": pool.id,
        "userName": call.username,
        "callerContext": {
            "awsSdkVersion": sdk_version(ctx.caller.user_agent.as_deref()),
            "clientId": call.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE"),
        },
        "request": call.request,
        "response": call.response,
    });
    let triggers = ctx.triggers;
    tracing::debug!(pool = %pool.id, trigger = call.trigger.name(), "trigger called");
    let returned = ctx
        .unlocked(move || triggers.invoke_blocking(&arn, &event))?
        .map_err(|e| refusal(call.trigger, e))?;
    let response = returned.get("response").cloned().unwrap_or(Value::Null);
    serde_json::from_value(response).map(Some).map_err(|e| {
        tracing::debug!(trigger = call.trigger.name(), error = %e, "trigger answer unreadable");
        invalid_response(call.trigger)
    })
}

/// The exception for a trigger whose answer does not fit its event.
pub fn invalid_response(trigger: Trigger) -> CognitoError {
    CognitoError::new(
        ErrorKind::InvalidLambdaResponseException,
        format!("Unrecognizable lambda output for {}.", trigger.name()),
    )
}

/// The exception a failed call answers with.
fn refusal(trigger: Trigger, error: TriggerError) -> CognitoError {
    let name = trigger.name();
    match error {
        TriggerError::Function { message, .. } => CognitoError::new(
            ErrorKind::UserLambdaValidationException,
            format!("{name} failed with error {message}."),
        ),
        TriggerError::InvalidResponse(_) => invalid_response(trigger),
        // What Lambda's Invoke answers for a function that does not exist, and for
        // one it cannot run.
        TriggerError::NoTarget(arn) => {
            tracing::warn!(trigger = name, %arn, "trigger has no target");
            CognitoError::new(
                ErrorKind::UnexpectedLambdaException,
                format!("{name} invocation failed due to error ResourceNotFoundException."),
            )
        }
        TriggerError::Unreachable(why) => {
            tracing::warn!(trigger = name, %why, "trigger unreachable");
            CognitoError::new(
                ErrorKind::UnexpectedLambdaException,
                format!("{name} invocation failed due to error ServiceException."),
            )
        }
        TriggerError::Timeout(_) => CognitoError::new(
            ErrorKind::UnexpectedLambdaException,
            format!(
                "{name} invocation failed due to error Socket timeout while invoking Lambda function."
            ),
        ),
    }
}

/// A user's attributes as the events carry them: `sub`, `cognito:user_status` and
/// every attribute, by name.
pub fn user_attributes(user: &UserRecord) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("sub".into(), json!(user.sub));
    out.insert("cognito:user_status".into(), json!(user.status));
    for (name, value) in &user.attributes {
        out.insert(name.clone(), json!(value));
    }
    Value::Object(out)
}

/// Whom a sign-in trigger is asked about: a user of the pool, or (where the app client
/// prevents user existence errors) a name that matches none, as AWS runs
/// PreAuthentication and the custom authentication triggers with `userNotFound`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Who<'a> {
    /// A user of the pool.
    Known(&'a UserRecord),
    /// A name that matches no user.
    Unknown(&'a str),
}

impl Who<'_> {
    /// The event's `userName`.
    pub fn username(&self) -> &str {
        match self {
            Who::Known(user) => &user.username,
            Who::Unknown(name) => name,
        }
    }

    /// The event's `userAttributes` (none for an unknown user).
    pub fn attributes(&self) -> Value {
        match self {
            Who::Known(user) => user_attributes(user),
            Who::Unknown(_) => json!({}),
        }
    }

    /// The event's `userNotFound`.
    pub fn not_found(&self) -> bool {
        matches!(self, Who::Unknown(_))
    }
}

/// The `ClientMetadata` of the request as events carry it (`{}` when not given).
pub fn metadata(ctx: &Ctx<'_>) -> Value {
    json!(ctx.caller.client_metadata.clone().unwrap_or_default())
}

/// `callerContext.awsSdkVersion`: the SDK the request's user agent names
/// (`aws-sdk-js/3.1.0 ...` → `aws-sdk-js-3.1.0`), else `aws-sdk-unknown-unknown`.
fn sdk_version(user_agent: Option<&str>) -> String {
    user_agent
        .and_then(|agent| agent.split_whitespace().find(|w| w.starts_with("aws-sdk-")))
        .map(|word| word.replacen('/', "-", 1))
        .unwrap_or_else(|| "aws-sdk-unknown-unknown".to_owned())
}
