//! Signing in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
//! AdminRespondToAuthChallenge.
//!
//! A sign-in reads top to bottom: [`initiate_auth`] matches the flow ([`flows`]: SRP,
//! passwords, refresh); a challenge answer goes through [`respond`], which matches the
//! challenge and hands it to its module; every answer opens its session in one place
//! ([`challenges::open`]); a proven password continues in [`proven::after_password`] (new
//! password, remembered device, MFA) and ends in [`issue::tokens`].
//!
//! The flows: USER_SRP_AUTH then PASSWORD_VERIFIER (verified with cognito-srp's server
//! role), USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH (checked
//! against the stored verifier), REFRESH_TOKEN_AUTH / REFRESH_TOKEN, and
//! NEW_PASSWORD_REQUIRED for users with a temporary password, and CUSTOM_AUTH with its
//! CUSTOM_CHALLENGE rounds (`custom`).

mod challenges;
mod custom;
mod device_srp;
mod flows;
mod issue;
mod mfa;
mod new_password;
mod proven;
mod refresh;
mod srp;
mod unknown;

use serde::Deserialize;

use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::state::{AuthFlow, ChallengeName, ExplicitAuthFlow};
use crate::domain::{Ctx, clients, pools};
use crate::error::{CognitoError, OpResult};
use crate::model::auth::AuthReply;
use crate::validate;
use challenges::Params;
pub use refresh::get_tokens_from_refresh_token;

/// Who calls: the user (unsigned) or an admin (signed).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    User,
    Admin,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    auth_flow: String,
    client_id: String,
    auth_parameters: Option<Params>,
}

pub fn initiate_auth(ctx: &Ctx<'_>, req: InitiateAuthRequest) -> OpResult<AuthReply> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    let params = req.auth_parameters.unwrap_or_default();
    start(ctx, &pool, &client, &req.auth_flow, &params, Caller::User)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthRequest {
    user_pool_id: String,
    client_id: String,
    auth_flow: String,
    auth_parameters: Option<Params>,
}

pub fn admin_initiate_auth(ctx: &Ctx<'_>, req: AdminInitiateAuthRequest) -> OpResult<AuthReply> {
    let client = clients::get(ctx, &req.user_pool_id, &req.client_id)?;
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let params = req.auth_parameters.unwrap_or_default();
    start(ctx, &pool, &client, &req.auth_flow, &params, Caller::Admin)
}

/// Whether the app client allows a flow (ALLOW_* names, or the legacy ones).
fn check_flow_allowed(client: &ClientRecord, flow: AuthFlow) -> OpResult<()> {
    use ExplicitAuthFlow as E;
    let flows = &client.explicit_auth_flows;
    let has = |f: E| flows.contains(&f);
    let legacy = flows.iter().all(|f| f.is_legacy());
    let allowed = match flow {
        AuthFlow::UserSrpAuth => has(E::AllowUserSrpAuth) || legacy,
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            has(E::AllowRefreshTokenAuth) || legacy
        }
        AuthFlow::UserPasswordAuth => has(E::AllowUserPasswordAuth) || has(E::UserPasswordAuth),
        AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth => {
            has(E::AllowAdminUserPasswordAuth) || has(E::AdminNoSrpAuth)
        }
        AuthFlow::CustomAuth => has(E::AllowCustomAuth) || has(E::CustomAuthFlowOnly),
    };
    if allowed {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )))
    }
}

fn start(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    flow: &str,
    params: &Params,
    caller: Caller,
) -> OpResult<AuthReply> {
    let flow = validate::named("authFlow", flow, AuthFlow::parse, AuthFlow::NAMES)?;
    let supported = match flow {
        AuthFlow::UserPasswordAuth => caller == Caller::User,
        AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth => caller == Caller::Admin,
        _ => true,
    };
    if !supported {
        return Err(CognitoError::invalid_parameter(
            "Initiate Auth method not supported.",
        ));
    }
    check_flow_allowed(client, flow)?;
    match flow {
        AuthFlow::UserSrpAuth => flows::srp(ctx, pool, client, params),
        AuthFlow::UserPasswordAuth | AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth => {
            flows::password(ctx, pool, client, params)
        }
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            refresh::auth_flow(ctx, pool, client, params)
        }
        AuthFlow::CustomAuth => custom::start(ctx, pool, client, params),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    client_id: String,
    challenge_name: String,
    session: Option<String>,
    challenge_responses: Option<Params>,
}

pub fn respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    req: RespondToAuthChallengeRequest,
) -> OpResult<AuthReply> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    let responses = req.challenge_responses.unwrap_or_default();
    respond(
        ctx,
        &pool,
        &client,
        &req.challenge_name,
        req.session.as_deref(),
        &responses,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondToAuthChallengeRequest {
    user_pool_id: String,
    client_id: String,
    challenge_name: String,
    session: Option<String>,
    challenge_responses: Option<Params>,
}

pub fn admin_respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    req: AdminRespondToAuthChallengeRequest,
) -> OpResult<AuthReply> {
    let client = clients::get(ctx, &req.user_pool_id, &req.client_id)?;
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let responses = req.challenge_responses.unwrap_or_default();
    respond(
        ctx,
        &pool,
        &client,
        &req.challenge_name,
        req.session.as_deref(),
        &responses,
    )
}

fn respond(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    challenge: &str,
    session: Option<&str>,
    responses: &Params,
) -> OpResult<AuthReply> {
    let challenge = validate::named(
        "challengeName",
        challenge,
        ChallengeName::parse,
        ChallengeName::NAMES,
    )?;
    let at = challenges::At {
        ctx,
        pool,
        client,
        responses,
    };
    match challenge {
        ChallengeName::PasswordVerifier => srp::password_verifier(&at, session),
        ChallengeName::NewPasswordRequired => new_password::answer(&at, session),
        ChallengeName::SmsMfa | ChallengeName::SoftwareTokenMfa => {
            mfa::answer(&at, challenge, session)
        }
        ChallengeName::SelectMfaType => mfa::select(&at, session),
        ChallengeName::MfaSetup => mfa::setup(&at, session),
        ChallengeName::DeviceSrpAuth => device_srp::device_srp_auth(&at, session),
        ChallengeName::DevicePasswordVerifier => srp::device_password_verifier(&at, session),
        ChallengeName::CustomChallenge => custom::answer(&at, session),
        ChallengeName::AdminNoSrpAuth => Err(CognitoError::invalid_parameter(format!(
            "The challenge {challenge} does not belong to this session."
        ))),
    }
}

pub(crate) use issue::{HostedGrant, hosted_tokens};

/// The parameters of a hosted step, with the SECRET_HASH the login pages' client would
/// send (the server holds the secret: its own pages are that client).
fn hosted_params(client: &ClientRecord, pairs: &[(&str, &str)]) -> Params {
    let mut params: Params = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if let (Some(secret), Some(username)) = (&client.secret, params.get("USERNAME")) {
        let hash = cognito_srp::secret_hash(secret, username, &client.id);
        params.insert("SECRET_HASH".into(), hash);
    }
    params
}

/// A hosted (managed login) sign-in with a user name and password: the password flow
/// whatever the client's ExplicitAuthFlows (the hosted pages are not bound by them), its
/// challenges, lockout and triggers as for the API. It ends in
/// [`AuthReply::signed_in`], not tokens: the caller is hosted.
pub(crate) fn hosted_password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    password: &str,
) -> OpResult<AuthReply> {
    debug_assert!(ctx.caller.hosted);
    let params = hosted_params(client, &[("USERNAME", username), ("PASSWORD", password)]);
    flows::password(ctx, pool, client, &params)
}

/// A hosted answer to a challenge of [`hosted_password`]'s.
pub(crate) fn hosted_respond(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    challenge: ChallengeName,
    session: &str,
    responses: &[(&str, &str)],
) -> OpResult<AuthReply> {
    debug_assert!(ctx.caller.hosted);
    let responses = hosted_params(client, responses);
    respond(
        ctx,
        pool,
        client,
        challenge.as_str(),
        Some(session),
        &responses,
    )
}

/// The token endpoint's refresh_token grant, for a client it has authenticated.
pub(crate) fn oauth_refresh(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    token: &str,
) -> OpResult<AuthReply> {
    refresh::authenticated(ctx, pool, client, token)
}
