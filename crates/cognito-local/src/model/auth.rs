//! The answers of InitiateAuth and RespondToAuthChallenge (and their admin twins): a
//! challenge, or an `AuthenticationResultType` whose tokens are signed after commit.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::state::ChallengeName;
use crate::error::OpResult;
use crate::tokens::Jwt;

/// A challenge or the tokens.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    challenge_name: Option<ChallengeName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    challenge_parameters: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authentication_result: Option<AuthenticationResult>,
    /// A hosted sign-in that has ended: the user, who gets an authorization instead of
    /// tokens (never on the wire).
    #[serde(skip)]
    signed_in: Option<String>,
}

impl AuthReply {
    /// The next challenge, its session and its parameters.
    pub fn challenge(
        name: ChallengeName,
        session: String,
        parameters: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Self {
        Self {
            challenge_name: Some(name),
            session: Some(session),
            challenge_parameters: Some(
                parameters
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            ),
            authentication_result: None,
            signed_in: None,
        }
    }

    /// A hosted sign-in that has ended for `username`.
    pub fn signed_in(username: String) -> Self {
        Self {
            challenge_name: None,
            session: None,
            challenge_parameters: None,
            authentication_result: None,
            signed_in: Some(username),
        }
    }

    /// The user of a hosted sign-in that has ended.
    pub fn signed_in_user(&self) -> Option<&str> {
        self.signed_in.as_deref()
    }

    /// The challenge asked, if any: its name, session and parameters.
    pub fn challenge_asked(&self) -> Option<(ChallengeName, &str, &BTreeMap<String, String>)> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        let name = self.challenge_name?;
        Some((
            name,
            self.session.as_deref().unwrap_or_default(),
            self.challenge_parameters.as_ref().unwrap_or(&NONE),
        ))
    }

    /// The authentication result, if the reply has one.
    pub fn into_result(self) -> Option<AuthenticationResult> {
        self.authentication_result
    }

    /// Adds parameters to a challenge (those a trigger chose, by name).
    pub fn with_parameters(mut self, more: impl IntoIterator<Item = (String, String)>) -> Self {
        self.challenge_parameters
            .get_or_insert_with(BTreeMap::new)
            .extend(more);
        self
    }

    /// Signed in.
    pub fn tokens(result: AuthenticationResult) -> Self {
        Self {
            challenge_name: None,
            session: None,
            challenge_parameters: Some(BTreeMap::new()),
            authentication_result: Some(result),
            signed_in: None,
        }
    }

    /// The answer of an operation that has no challenges (GetTokensFromRefreshToken):
    /// the authentication result alone.
    pub fn without_challenge_parameters(mut self) -> Self {
        self.challenge_parameters = None;
        self
    }

    /// Signs the tokens (once the operation's transaction has committed).
    pub fn sign(&mut self) -> OpResult<()> {
        if let Some(result) = &mut self.authentication_result {
            result.access_token.sign()?;
            result.id_token.sign()?;
        }
        Ok(())
    }
}

/// An `AuthenticationResultType`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    /// The access token.
    pub access_token: Jwt,
    /// Seconds the access token lives.
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: &'static str,
    /// The id token.
    pub id_token: Jwt,
    /// A new sign-in's refresh token (none when refreshing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// A device to confirm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// `NewDeviceMetadataType`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    /// The device's key.
    pub device_key: String,
    /// The user's device group key.
    pub device_group_key: String,
}
