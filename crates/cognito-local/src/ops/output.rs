//! What a handler answers: JSON, or a sign-in reply whose tokens are signed only after
//! the operation's transaction has committed.

use serde_json::{Value, json};

use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;
use crate::tokens::Jwt;

/// A handler's answer, before it goes on the wire.
pub(crate) enum Output {
    /// Ready as it is.
    Json(Value),
    /// A sign-in step: tokens to sign after commit.
    Auth(Box<AuthReply>),
    /// GetClientToken's machine-to-machine token, to sign after commit.
    ClientToken(ClientToken),
}

/// GetClientToken's answer (`ClientAuthenticationResult`).
pub(crate) struct ClientToken {
    /// The access token.
    pub access_token: Jwt,
    /// Its lifetime, seconds.
    pub expires_in: u64,
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
            Output::ClientToken(mut token) => {
                token.access_token.sign()?;
                Ok(json!({ "ClientAuthenticationResult": {
                    "AccessToken": token.access_token,
                    "ExpiresIn": token.expires_in,
                    "TokenType": "Bearer",
                }}))
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

impl Reply for ClientToken {
    fn into_output(self) -> OpResult<Output> {
        Ok(Output::ClientToken(self))
    }
}
