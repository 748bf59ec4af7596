//! Custom authentication (CUSTOM_AUTH): the rounds a sign-in has been through, and the
//! three triggers that run it, with the events the developer guide documents:
//! DefineAuthChallenge decides (another challenge, tokens, or failure) from the
//! session's rounds; CreateAuthChallenge makes a challenge (public parameters for the
//! client, private ones kept with the session for the answer); VerifyAuthChallengeResponse
//! judges an answer.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Ctx;
use super::lambdas::{self, Call, Trigger, Who};
use super::records::{ClientRecord, PoolRecord};
use crate::error::OpResult;

/// One round of a custom sign-in, as `request.session` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Round {
    /// SRP_A, PASSWORD_VERIFIER or CUSTOM_CHALLENGE.
    #[serde(rename = "challengeName")]
    pub name: String,
    /// Whether it was passed.
    #[serde(rename = "challengeResult")]
    pub result: bool,
    /// CreateAuthChallenge's `challengeMetadata` of a custom challenge.
    #[serde(rename = "challengeMetadata")]
    pub metadata: Option<String>,
}

impl Round {
    /// A round passed, without metadata.
    pub fn passed(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            result: true,
            metadata: None,
        }
    }
}

/// What a custom sign-in's session keeps between requests. The private challenge
/// parameters hold the expected answer: they stay out of `Debug` (the session record
/// redacts this whole state) and the session dies with its single answer.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
pub(crate) struct CustomAuthState {
    /// The rounds so far, oldest first.
    pub rounds: Vec<Round>,
    /// The open challenge's `privateChallengeParameters`.
    #[serde(default)]
    pub private: HashMap<String, String>,
    /// The open challenge's `challengeMetadata`.
    #[serde(default)]
    pub metadata: Option<String>,
    /// Made for a name that matches no user: no answer passes.
    #[serde(default)]
    pub unknown: bool,
}

/// DefineAuthChallenge's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Decision {
    /// The next challenge.
    pub challenge_name: Option<String>,
    /// Sign the user in.
    pub issue_tokens: Option<bool>,
    /// End the sign-in.
    pub fail_authentication: Option<bool>,
}

/// CreateAuthChallenge's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Challenge {
    /// What the client is shown.
    pub public_challenge_parameters: Option<HashMap<String, String>>,
    /// What VerifyAuthChallengeResponse is shown with the answer.
    pub private_challenge_parameters: Option<HashMap<String, String>>,
    /// Kept in the session's rounds.
    pub challenge_metadata: Option<String>,
}

/// VerifyAuthChallengeResponse's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Verdict {
    answer_correct: Option<bool>,
}

fn call<T: serde::de::DeserializeOwned + Default>(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    who: Who<'_>,
    (trigger, source): (Trigger, &'static str),
    (request, response): (Value, Value),
) -> OpResult<T> {
    let mut request = request;
    request["userAttributes"] = who.attributes();
    request["clientMetadata"] = lambdas::metadata(ctx);
    request["userNotFound"] = json!(who.not_found());
    let answer = lambdas::call(
        ctx,
        pool,
        Call {
            trigger,
            source: source.into(),
            username: who.username(),
            client_id: Some(&client.id),
            request,
            response,
        },
    )?;
    // A pool without the trigger: what the trigger's defaults answer.
    Ok(answer.unwrap_or_default())
}

/// Asks DefineAuthChallenge what follows `rounds`.
pub fn define(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    who: Who<'_>,
    rounds: &[Round],
) -> OpResult<Decision> {
    call(
        ctx,
        pool,
        client,
        who,
        (
            Trigger::DefineAuthChallenge,
            "DefineAuthChallenge_Authentication",
        ),
        (
            json!({ "session": rounds }),
            json!({ "challengeName": null, "issueTokens": false, "failAuthentication": false }),
        ),
    )
}

/// Asks CreateAuthChallenge for challenge `name` after `rounds`.
pub fn create(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    who: Who<'_>,
    rounds: &[Round],
    name: &str,
) -> OpResult<Challenge> {
    call(
        ctx,
        pool,
        client,
        who,
        (
            Trigger::CreateAuthChallenge,
            "CreateAuthChallenge_Authentication",
        ),
        (
            json!({ "challengeName": name, "session": rounds }),
            json!({
                "publicChallengeParameters": {},
                "privateChallengeParameters": {},
                "challengeMetadata": null,
            }),
        ),
    )
}

/// Asks VerifyAuthChallengeResponse whether `answer` is right.
pub fn verify(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    who: Who<'_>,
    state: &CustomAuthState,
    answer: &str,
) -> OpResult<bool> {
    let verdict: Verdict = call(
        ctx,
        pool,
        client,
        who,
        (
            Trigger::VerifyAuthChallengeResponse,
            "VerifyAuthChallengeResponse_Authentication",
        ),
        (
            json!({ "privateChallengeParameters": state.private, "challengeAnswer": answer }),
            json!({ "answerCorrect": false }),
        ),
    )?;
    Ok(verdict.answer_correct == Some(true))
}
