//! Lambda triggers without Lambda: where a pool's `LambdaConfig` ARNs go, and calling
//! them. An ARN maps to a [`Target`] (a webhook, a command, the Lambda Invoke API at
//! some URL, or a Rust closure); ARNs without one go to the Lambda endpoint if one is
//! set, and otherwise fail as AWS fails when the function cannot be reached. Every call
//! has a time limit (five seconds, as AWS gives a trigger), and runs without the
//! store's lock (`domain::lambdas` sees to that).

mod target;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use target::{ParseTargetError, Target};

/// How long a trigger may take, as on AWS ("Amazon Cognito invokes Lambda functions
/// synchronously... the function must respond within 5 seconds").
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// What a call of a trigger can end in besides the returned event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TriggerError {
    /// The function ran and failed (Lambda's `errorMessage`, and `errorType` if any).
    #[error("the function failed: {message}")]
    Function {
        /// Its `errorMessage`.
        message: String,
        /// Its `errorType`.
        kind: Option<String>,
    },
    /// The function answered something that is not an event.
    #[error("the function's answer is not an event: {0}")]
    InvalidResponse(String),
    /// No target is configured for the ARN: as far as this server knows, there is
    /// no such function.
    #[error("no target is configured for {0} (cognito serve --lambda ARN=TARGET)")]
    NoTarget(String),
    /// The function could not be reached or started.
    #[error("the function could not be invoked: {0}")]
    Unreachable(String),
    /// The function took longer than the time limit.
    #[error("the function did not answer within {0:?}")]
    Timeout(Duration),
}

impl TriggerError {
    /// A function's own failure, with its message (what a Lambda handler throws).
    pub fn function(message: impl Into<String>) -> Self {
        TriggerError::Function {
            message: message.into(),
            kind: None,
        }
    }
}

/// The future a trigger closure returns.
pub type TriggerFuture = Pin<Box<dyn Future<Output = Result<Value, TriggerError>> + Send>>;

/// A trigger run in process: the event in, the returned event out.
pub type TriggerFn = Arc<dyn Fn(Value) -> TriggerFuture + Send + Sync>;

/// Where each ARN goes, and how long a call may take.
#[derive(Clone)]
pub struct Triggers {
    targets: HashMap<String, Target>,
    endpoint: Option<String>,
    timeout: Duration,
    http: reqwest::Client,
}

impl std::fmt::Debug for Triggers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Triggers")
            .field("arns", &self.targets.keys().collect::<Vec<_>>())
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Default for Triggers {
    fn default() -> Self {
        Self {
            targets: HashMap::new(),
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
            http: reqwest::Client::new(),
        }
    }
}

impl Triggers {
    /// Maps `arn` to `target` (replacing an earlier mapping).
    pub fn add(&mut self, arn: impl Into<String>, target: Target) {
        self.targets.insert(arn.into(), target);
    }

    /// Sends the events of ARNs without a target of their own to the Lambda Invoke
    /// API at `url`.
    pub fn set_endpoint(&mut self, url: impl Into<String>) {
        self.endpoint = Some(url.into().trim_end_matches('/').to_owned());
    }

    /// Sets the time limit of a call.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Calls the function `arn` names with `event`: its returned event, or why not.
    pub async fn invoke(&self, arn: &str, event: &Value) -> Result<Value, TriggerError> {
        let target = match (self.targets.get(arn), &self.endpoint) {
            (Some(target), _) => target.clone(),
            (None, Some(endpoint)) => Target::Lambda(endpoint.clone()),
            (None, None) => return Err(TriggerError::NoTarget(arn.to_owned())),
        };
        let call = target.invoke(&self.http, arn, event);
        match tokio::time::timeout(self.timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(TriggerError::Timeout(self.timeout)),
        }
    }

    /// [`invoke`](Self::invoke) from a thread outside the runtime's workers (a
    /// blocking task), waiting for the answer.
    pub(crate) fn invoke_blocking(&self, arn: &str, event: &Value) -> Result<Value, TriggerError> {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => runtime.block_on(self.invoke(arn, event)),
            Err(_) => Err(TriggerError::Unreachable(
                "triggers run only inside the server's runtime".into(),
            )),
        }
    }
}
