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
    /// GetDerivedToken's token, to sign after commit.
    DerivedToken(DerivedToken),
}

/// GetDerivedToken's answer.
pub(crate) struct DerivedToken {
    /// The token.
    pub token: Jwt,
    /// `ACCESS_TOKEN` or `ID_TOKEN`.
    pub kind: &'static str,
    /// Its lifetime, seconds.
    pub expires_in: i64,
    /// The scopes it carries (access tokens).
    pub scopes: Option<Vec<String>>,
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
            Output::DerivedToken(mut derived) => {
                derived.token.sign()?;
                // RFC 8693 §2.2.1: "N_A" for a token that is not an access token.
                let token_type = if derived.kind == "ACCESS_TOKEN" {
                    "Bearer"
                } else {
                    "N_A"
                };
                let mut out = json!({
                    "IssuedToken": derived.token,
                    "IssuedTokenType": derived.kind,
                    "TokenType": token_type,
                    "ExpiresIn": derived.expires_in,
                });
                if let Some(scopes) = derived.scopes {
                    out["Scopes"] = json!(scopes);
                }
                Ok(out)
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

impl Reply for DerivedToken {
    fn into_output(self) -> OpResult<Output> {
        Ok(Output::DerivedToken(self))
    }
}

impl Reply for ClientToken {
    fn into_output(self) -> OpResult<Output> {
        Ok(Output::ClientToken(self))
    }
}
