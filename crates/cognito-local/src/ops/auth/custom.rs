//! CUSTOM_AUTH and CUSTOM_CHALLENGE: a sign-in run by the pool's DefineAuthChallenge,
//! CreateAuthChallenge and VerifyAuthChallengeResponse triggers (`domain::custom_auth`),
//! round after round, with the SRP-first variant amazon-cognito-identity-js uses
//! (`CHALLENGE_NAME: SRP_A` and SRP_A in the AuthParameters: the rounds start with
//! SRP_A, DefineAuthChallenge may ask for PASSWORD_VERIFIER, whose proof is verified as
//! in USER_SRP_AUTH and added as a round). A wrong answer counts toward the user's
//! lockout, as a wrong password does.

use super::challenges::{At, Params, Use, param, secret_hash};
use super::flows::srp_challenge;
use super::issue;
use super::proven::refuse_reset_required;
use crate::domain::clients::check_secret_hash;
use crate::domain::custom_auth::{self, CustomAuthState, Round};
use crate::domain::lambdas::{self, Trigger, Who};
use crate::domain::lockout::{self, incorrect};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::{AuthEventKind, ChallengeName};
use crate::domain::token_hooks::TokenSource;
use crate::domain::{Ctx, passwords, sessions, sign_in_hooks, users};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::auth::AuthReply;

/// InitiateAuth with CUSTOM_AUTH.
pub(super) fn start(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<AuthReply> {
    if !lambdas::has(pool, Trigger::DefineAuthChallenge) {
        return Err(CognitoError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        ));
    }
    let typed = param(params, "USERNAME")?;
    check_secret_hash(client, typed, secret_hash(params))?;
    let Some(user) = users::find(ctx, pool, typed)? else {
        if client.hides_users() {
            return unknown_user(ctx, pool, client, typed);
        }
        return Err(users::user_not_found());
    };
    lockout::check(ctx, &user)?;
    refuse_reset_required(&user)?;
    let user = sign_in_hooks::pre_authentication(ctx, pool, client, user)?;
    let device_key = params.get("DEVICE_KEY").map(String::as_str);
    let srp_a = params.get("SRP_A").map(String::as_str);
    let mut rounds = Vec::new();
    if let Some(srp_a) = srp_a {
        passwords::check_srp_a(srp_a)?;
        rounds.push(Round::passed("SRP_A"));
    }
    next(ctx, pool, client, user, rounds, srp_a, device_key)
}

/// A name that matches no user, where the client prevents user existence errors: the
/// triggers run as AWS runs them, with `userNotFound: true`, so that the answer looks
/// like a real user's; a challenge they make can never be passed (its answer finds no
/// user), and tokens are never issued.
fn unknown_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    typed: &str,
) -> OpResult<AuthReply> {
    let who = Who::Unknown(typed);
    sign_in_hooks::pre_authentication_unknown(ctx, pool, client, typed)?;
    let decision = custom_auth::define(ctx, pool, client, who, &[])?;
    if decision.challenge_name.as_deref() != Some("CUSTOM_CHALLENGE")
        || decision.issue_tokens == Some(true)
        || decision.fail_authentication == Some(true)
    {
        return Err(incorrect());
    }
    let made = custom_auth::create(ctx, pool, client, who, &[], "CUSTOM_CHALLENGE")?;
    let username = users::normalise(pool, typed);
    let mut record =
        sessions::new_record(ctx, pool, &username, client, ChallengeName::CustomChallenge);
    record.custom = Some(CustomAuthState {
        rounds: Vec::new(),
        private: made.private_challenge_parameters.unwrap_or_default(),
        metadata: made.challenge_metadata,
        unknown: true,
    });
    let session = sessions::open_unknown(ctx, &record)?;
    Ok(AuthReply::challenge(
        ChallengeName::CustomChallenge,
        session,
        [("USERNAME", typed.to_owned())],
    )
    .with_parameters(made.public_challenge_parameters.unwrap_or_default()))
}

/// What DefineAuthChallenge makes of the rounds so far: tokens, a failure, a custom
/// challenge (made by CreateAuthChallenge), or, right after SRP_A, PASSWORD_VERIFIER.
pub(super) fn next(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    rounds: Vec<Round>,
    srp_a: Option<&str>,
    device_key: Option<&str>,
) -> OpResult<AuthReply> {
    let decision = custom_auth::define(ctx, pool, client, Who::Known(&user), &rounds)?;
    // The triggers ran without the store's lock: the user as it is now.
    let mut user = lockout::reread(ctx, pool, &user.username, &user.password)?;
    if decision.fail_authentication == Some(true) {
        return Err(incorrect());
    }
    if decision.issue_tokens == Some(true) {
        return issue::tokens(
            ctx,
            pool,
            client,
            &mut user,
            device_key,
            TokenSource::Authentication,
        );
    }
    match (decision.challenge_name.as_deref(), srp_a) {
        (Some("CUSTOM_CHALLENGE"), _) => {
            let made = custom_auth::create(
                ctx,
                pool,
                client,
                Who::Known(&user),
                &rounds,
                "CUSTOM_CHALLENGE",
            )?;
            let user = lockout::reread(ctx, pool, &user.username, &user.password)?;
            let mut record = sessions::new_record(
                ctx,
                pool,
                &user.username,
                client,
                ChallengeName::CustomChallenge,
            );
            record.device_key = device_key.map(str::to_owned);
            record.custom = Some(CustomAuthState {
                rounds,
                private: made.private_challenge_parameters.unwrap_or_default(),
                metadata: made.challenge_metadata,
                unknown: false,
            });
            let session = sessions::open(ctx, &record)?;
            Ok(AuthReply::challenge(
                ChallengeName::CustomChallenge,
                session,
                [("USERNAME", user.username.clone())],
            )
            .with_parameters(made.public_challenge_parameters.unwrap_or_default()))
        }
        (Some("PASSWORD_VERIFIER"), Some(srp_a)) => {
            let state = CustomAuthState {
                rounds,
                ..CustomAuthState::default()
            };
            srp_challenge(ctx, pool, client, &user, srp_a, device_key, Some(state))
        }
        (other, _) => Err(CognitoError::new(
            ErrorKind::InvalidLambdaResponseException,
            format!(
                "DefineAuthChallenge asked for {}, which this server does not run in a custom sign-in (CUSTOM_CHALLENGE, or PASSWORD_VERIFIER after SRP_A).",
                other.unwrap_or("no challenge")
            ),
        )),
    }
}

/// RespondToAuthChallenge with CUSTOM_CHALLENGE: the ANSWER judged by
/// VerifyAuthChallengeResponse, added as a round, and DefineAuthChallenge asked again.
/// The session is used up by the answer, right or wrong.
pub(super) fn answer(at: &At<'_, '_>, session: Option<&str>) -> OpResult<AuthReply> {
    let ctx = at.ctx;
    let id = at.required(session)?;
    let given = at.param("ANSWER")?;
    let opened = at.open(id, ChallengeName::CustomChallenge, Use::Take)?;
    lockout::check(ctx, &opened.user)?;
    let state = opened
        .session
        .custom
        .clone()
        .ok_or_else(sessions::expired)?;
    // A challenge made for an unknown name (even one a user has taken since).
    if state.unknown {
        return Err(incorrect());
    }
    let right = custom_auth::verify(
        ctx,
        at.pool,
        at.client,
        Who::Known(&opened.user),
        &state,
        given,
    )?;
    let mut user = lockout::reread(ctx, at.pool, &opened.user.username, &opened.user.password)?;
    if !right && lockout::count(ctx, at.pool, &mut user, AuthEventKind::SignIn, false)? {
        return Err(lockout::exceeded());
    }
    let mut rounds = state.rounds;
    rounds.push(Round {
        name: "CUSTOM_CHALLENGE".to_owned(),
        result: right,
        metadata: state.metadata,
    });
    let device_key = at.device_key(&opened.session).map(str::to_owned);
    next(
        ctx,
        at.pool,
        at.client,
        user,
        rounds,
        None,
        device_key.as_deref(),
    )
}

/// A PASSWORD_VERIFIER proven in a custom sign-in: a passed round, then
/// DefineAuthChallenge again.
pub(super) fn after_verifier(
    at: &At<'_, '_>,
    user: UserRecord,
    state: CustomAuthState,
    device_key: Option<&str>,
) -> OpResult<AuthReply> {
    let mut rounds = state.rounds;
    rounds.push(Round::passed("PASSWORD_VERIFIER"));
    next(at.ctx, at.pool, at.client, user, rounds, None, device_key)
}
