//! Refresh: REFRESH_TOKEN_AUTH (InitiateAuth, AdminInitiateAuth) and
//! GetTokensFromRefreshToken, over one live sign-in. With the app client's refresh token
//! rotation (as the API reference's RefreshTokenRotationType describes it), only
//! GetTokensFromRefreshToken refreshes, and each call returns a new refresh token; the
//! one it replaces works for RetryGracePeriodSeconds more, then answers
//! RefreshTokenReuseException.

use serde::Deserialize;

use super::challenges::{Params, param, secret_hash};
use super::issue;
use crate::domain::clients::check_secret_hash;
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::sign_ins::{self, Presented};
use crate::domain::{Ctx, clients, users};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::auth::AuthReply;

/// Which operation refreshes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// REFRESH_TOKEN_AUTH or REFRESH_TOKEN.
    AuthFlow,
    /// GetTokensFromRefreshToken.
    GetTokens,
}

/// REFRESH_TOKEN_AUTH and REFRESH_TOKEN: new id and access tokens for a live sign-in.
pub(super) fn auth_flow(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<AuthReply> {
    let token = param(params, "REFRESH_TOKEN")?;
    let given = secret_hash(params);
    // SECRET_HASH after the first sign-in uses the internal user name (or the sub).
    let secret = |user: &UserRecord| {
        if client.secret.is_some() && check_secret_hash(client, &user.sub, given).is_err() {
            check_secret_hash(client, &user.username, given)?;
        }
        Ok(())
    };
    let device_key = params.get("DEVICE_KEY").map(String::as_str);
    renew(ctx, pool, client, token, device_key, Via::AuthFlow, secret)
}

/// The token endpoint's refresh_token grant: as REFRESH_TOKEN_AUTH, for a client the
/// endpoint has authenticated (the refresh grant returns no new refresh token, and a
/// rotating client refreshes with GetTokensFromRefreshToken only).
pub(super) fn authenticated(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    token: &str,
) -> OpResult<AuthReply> {
    renew(ctx, pool, client, token, None, Via::AuthFlow, |_| Ok(()))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    refresh_token: String,
    client_id: String,
    client_secret: Option<String>,
    device_key: Option<String>,
}

/// GetTokensFromRefreshToken: as REFRESH_TOKEN_AUTH, with the client secret itself
/// for clients that have one, and a new refresh token when the client rotates them.
pub fn get_tokens_from_refresh_token(
    ctx: &Ctx<'_>,
    req: GetTokensFromRefreshTokenRequest,
) -> OpResult<AuthReply> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    let secret = |_: &UserRecord| clients::check_secret(&client, req.client_secret.as_deref());
    let reply = renew(
        ctx,
        &pool,
        &client,
        &req.refresh_token,
        req.device_key.as_deref(),
        Via::GetTokens,
        secret,
    )?;
    Ok(reply.without_challenge_parameters())
}

fn renew(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    token: &str,
    device_key: Option<&str>,
    via: Via,
    secret: impl FnOnce(&UserRecord) -> OpResult<()>,
) -> OpResult<AuthReply> {
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let rotation = client.refresh_rotation.filter(|r| r.enabled);
    if rotation.is_some() && via == Via::AuthFlow {
        return Err(CognitoError::not_authorized(
            "Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken.",
        ));
    }
    let mut sign_in = sign_ins::by_refresh_token(ctx, pool, token)?.ok_or_else(invalid)?;
    if sign_in.client_id != client.id {
        return Err(invalid());
    }
    if sign_in.revoked {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    let presented = sign_ins::presented(ctx, &sign_in, token);
    if presented == Presented::Reused {
        return Err(CognitoError::new(
            ErrorKind::RefreshTokenReuseException,
            "The refresh token has been rotated and its grace period is over.",
        ));
    }
    if ctx.now > sign_in.refresh_expires {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    let user = users::by_username(ctx, pool, &sign_in.username)?
        .filter(|user| sign_ins::is_live_for(&sign_in, user))
        .ok_or_else(invalid)?;
    secret(&user)?;
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if let Some(given) = device_key
        && sign_in
            .device_key
            .as_deref()
            .is_some_and(|key| key != given)
    {
        return Err(invalid());
    }
    sign_in.last_active = Some(ctx.now);
    sign_in.last_caller = ctx.caller.clone();
    let rotated = match rotation {
        Some(rotation) => Some(sign_ins::rotate(
            ctx,
            pool,
            &mut sign_in,
            presented,
            rotation.grace_seconds,
        )?),
        None => {
            sign_ins::save(ctx, pool, &sign_in)?;
            None
        }
    };
    issue::refreshed(ctx, pool, client, &user, &sign_in, rotated)
}
