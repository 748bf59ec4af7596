//! The kinds of [`Target`] a Lambda ARN maps to, and calling each.

use std::process::Stdio;

use serde_json::Value;
use tokio::io::AsyncWriteExt;

use super::{TriggerError, TriggerFn};

/// Where a trigger's events go.
#[derive(Clone)]
pub enum Target {
    /// `http://...` or `https://...`: the event is POSTed as JSON; a 2xx answer's body
    /// is the returned event; a non-2xx status or an `X-Amz-Function-Error` header is
    /// the function's failure, with Lambda's error JSON
    /// (`{"errorMessage": ..., "errorType": ...}`) as the body.
    Http(String),
    /// `exec:COMMAND ARGS...` (split at whitespace): the command gets the event on
    /// stdin and writes the returned event to stdout; a non-zero exit is a failure,
    /// whose message is an `errorMessage` on stdout, else stderr's last line.
    Exec {
        /// The program.
        program: String,
        /// Its arguments.
        args: Vec<String>,
    },
    /// `lambda:URL`: the AWS Lambda Invoke API at URL (what `sam local start-lambda`,
    /// LocalStack or moto serve), through the AWS SDK for Rust; the function is the
    /// ARN's name (and qualifier), the region the ARN's.
    Lambda(String),
    /// A Rust closure in this process.
    Closure(TriggerFn),
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Http(url) => f.debug_tuple("Http").field(url).finish(),
            Target::Exec { program, args } => f
                .debug_struct("Exec")
                .field("program", program)
                .field("args", args)
                .finish(),
            Target::Lambda(url) => f.debug_tuple("Lambda").field(url).finish(),
            Target::Closure(_) => f.write_str("Closure"),
        }
    }
}

/// Why a `--lambda` target could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseTargetError {
    /// Not `http://`, `https://`, `exec:` or `lambda:`.
    #[error(
        "a trigger target is http://..., https://..., exec:COMMAND ARGS... or lambda:URL; got {0:?}"
    )]
    Unknown(String),
    /// `exec:` without a command.
    #[error("exec: needs a command")]
    NoCommand,
    /// Not `ARN=TARGET`.
    #[error("a trigger mapping is ARN=TARGET; got {0:?}")]
    NoArn(String),
}

impl Target {
    /// Reads a target as `cognito serve --lambda ARN=TARGET` takes it.
    ///
    /// ```
    /// use cognito_local::Target;
    /// assert!(matches!(Target::parse("http://127.0.0.1:3000/pre-sign-up"), Ok(Target::Http(_))));
    /// assert!(matches!(Target::parse("exec:python3 trigger.py"), Ok(Target::Exec { .. })));
    /// assert!(Target::parse("ftp://example.com").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, ParseTargetError> {
        let text = text.trim();
        if text.starts_with("http://") || text.starts_with("https://") {
            return Ok(Target::Http(text.to_owned()));
        }
        if let Some(url) = text.strip_prefix("lambda:") {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ParseTargetError::Unknown(text.to_owned()));
            }
            return Ok(Target::Lambda(url.trim_end_matches('/').to_owned()));
        }
        if let Some(command) = text.strip_prefix("exec:") {
            let mut words = command.split_whitespace().map(str::to_owned);
            let program = words.next().ok_or(ParseTargetError::NoCommand)?;
            return Ok(Target::Exec {
                program,
                args: words.collect(),
            });
        }
        Err(ParseTargetError::Unknown(text.to_owned()))
    }

    /// Reads `ARN=TARGET`.
    ///
    /// ```
    /// let (arn, _) = cognito_local::Target::parse_mapping(
    ///     "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up=exec:./pre-sign-up.sh",
    /// ).unwrap();
    /// assert_eq!(arn, "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up");
    /// ```
    pub fn parse_mapping(text: &str) -> Result<(String, Self), ParseTargetError> {
        // ARNs hold no '=': the first one ends it.
        let (arn, target) = text
            .split_once('=')
            .filter(|(arn, _)| !arn.trim().is_empty())
            .ok_or_else(|| ParseTargetError::NoArn(text.to_owned()))?;
        Ok((arn.trim().to_owned(), Self::parse(target)?))
    }

    /// Sends `event`; the returned event.
    pub(super) async fn invoke(
        &self,
        http: &reqwest::Client,
        arn: &str,
        event: &Value,
    ) -> Result<Value, TriggerError> {
        match self {
            Target::Http(url) => post(http, url, event).await,
            Target::Lambda(url) => lambda(url, arn, event).await,
            Target::Exec { program, args } => exec(program, args, event).await,
            Target::Closure(function) => function(event.clone()).await,
        }
    }
}

/// The returned event of a body, or why it is not one.
fn returned_event(body: &[u8]) -> Result<Value, TriggerError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(event) if event.is_object() => Ok(event),
        Ok(_) => Err(TriggerError::InvalidResponse("not a JSON object".into())),
        Err(e) => Err(TriggerError::InvalidResponse(e.to_string())),
    }
}

/// The failure a Lambda error JSON (or some other text) describes.
fn failure(body: &[u8], fallback: String) -> TriggerError {
    let error: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match error["errorMessage"].as_str() {
        Some(message) => TriggerError::Function {
            message: message.to_owned(),
            kind: error["errorType"].as_str().map(str::to_owned),
        },
        None => TriggerError::function(fallback),
    }
}

async fn post(http: &reqwest::Client, url: &str, event: &Value) -> Result<Value, TriggerError> {
    let response = http
        .post(url)
        .header("content-type", "application/json")
        .body(event.to_string())
        .send()
        .await
        .map_err(|e| TriggerError::Unreachable(e.to_string()))?;
    let status = response.status();
    let function_error = response.headers().contains_key("x-amz-function-error");
    let body = response
        .bytes()
        .await
        .map_err(|e| TriggerError::Unreachable(e.to_string()))?;
    if status.is_success() && !function_error {
        returned_event(&body)
    } else {
        let text = String::from_utf8_lossy(&body).trim().to_owned();
        Err(failure(&body, format!("HTTP {status}: {text}")))
    }
}

async fn exec(program: &str, args: &[String], event: &Value) -> Result<Value, TriggerError> {
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| TriggerError::Unreachable(format!("{program}: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that exits without reading its input is judged by its exit.
        let _ = stdin.write_all(event.to_string().as_bytes()).await;
    }
    let output = child
        .wait_with_output()
        .await
        .map_err(|e| TriggerError::Unreachable(format!("{program}: {e}")))?;
    if output.status.success() {
        return returned_event(&output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last_line = stderr
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map(str::trim)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{program} exited with {}", output.status));
    Err(failure(&output.stdout, last_line))
}

/// Invokes the function of `arn` through the Lambda Invoke API at `url`.
async fn lambda(url: &str, arn: &str, event: &Value) -> Result<Value, TriggerError> {
    use aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
    // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    let parts: Vec<&str> = arn.split(':').collect();
    let (region, name, qualifier) = match parts.as_slice() {
        ["arn", _, "lambda", region, _, "function", name, rest @ ..] => {
            (*region, *name, rest.first().copied())
        }
        _ => ("us-east-1", arn, None),
    };
    let config = aws_sdk_lambda::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "cognito-local",
        ))
        .build();
    let client = aws_sdk_lambda::Client::from_conf(config);
    let output = client
        .invoke()
        .function_name(name)
        .set_qualifier(qualifier.map(str::to_owned))
        .payload(aws_sdk_lambda::primitives::Blob::new(event.to_string()))
        .send()
        .await
        .map_err(|e| {
            use aws_sdk_lambda::error::ProvideErrorMetadata;
            match e.code() {
                Some(code) => TriggerError::Unreachable(format!(
                    "{code}: {}",
                    e.message().unwrap_or_default()
                )),
                None => TriggerError::Unreachable(format!("{e:?}")),
            }
        })?;
    let payload = output.payload().map(|p| p.as_ref()).unwrap_or_default();
    match output.function_error() {
        Some(kind) => Err(failure(payload, format!("the function failed ({kind})"))),
        None => returned_event(payload),
    }
}
