//! What a handler answers: JSON, or a sign-in reply whose tokens are signed only after
//! the operation's transaction has committed.

use serde_json::Value;

use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;

/// A handler's answer, before it goes on the wire.
pub(crate) enum Output {
    /// Ready as it is.
    Json(Value),
    /// A sign-in step: tokens to sign after commit.
    Auth(Box<AuthReply>),
}

impl Output {
    /// The answer's JSON, tokens signed (outside the store's lock).
    pub fn finish(self) -> OpResult<Value> {
        match self {
            Output::Json(value) => Ok(value),
            Output::Auth(mut reply) => {
                reply.sign()?;
                serde_json::to_value(&reply).map_err(CognitoError::internal)
            }
        }
    }
}

/// What a handler may return.
pub(crate) trait Reply {
    /// As an [`Output`].
    fn into_output(self) -> OpResult<Output>;
}

impl Reply for Value {
    fn into_output(self) -> OpResult<Output> {
        Ok(Output::Json(self))
    }
}

impl Reply for AuthReply {
    fn into_output(self) -> OpResult<Output> {
        Ok(Output::Auth(Box::new(self)))
    }
}
