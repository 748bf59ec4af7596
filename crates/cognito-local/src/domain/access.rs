//! Access tokens that come back to the API: whose they are, checked for signature,
//! issuer, use, expiry, a live sign-in and an enabled user.

use serde_json::Value;

use super::records::{PoolRecord, SignInRecord, UserRecord};
use super::{Ctx, pools, sign_ins, users};
use crate::error::{CognitoError, OpResult};
use crate::tokens::{self, invalid_access_token};

/// A pool's issuer: `{base}/{pool_id}`.
pub fn issuer(base: &str, pool: &PoolRecord) -> String {
    format!("{}/{}", base.trim_end_matches('/'), pool.id)
}

/// The scope of the API's access tokens, which the user-facing operations need ("The
/// access token works against user-pool APIs only if aws.cognito.signin.user.admin is
/// included").
pub(crate) const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The pool, user and sign-in of a valid access token that may call the user-facing
/// operations (GetUser and its kin): one with `aws.cognito.signin.user.admin`.
pub fn user_of(ctx: &Ctx<'_>, token: &str) -> OpResult<(PoolRecord, UserRecord, SignInRecord)> {
    let verified = verified(ctx, token)?;
    if !verified.scopes.iter().any(|s| s == ADMIN_SCOPE) {
        return Err(CognitoError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    Ok((verified.pool, verified.user, verified.sign_in))
}

/// A valid access token: whose it is and what it may do.
pub(crate) struct Verified {
    /// The pool.
    pub pool: PoolRecord,
    /// The user.
    pub user: UserRecord,
    /// The sign-in it belongs to.
    pub sign_in: SignInRecord,
    /// Its scopes.
    pub scopes: Vec<String>,
}

/// The pool and claims of a token of one of the server's pools with a valid signature,
/// issuer and `token_use`, not expired (whoever it is for: a user or, for access
/// tokens, an app client).
pub fn signed_claims(
    ctx: &Ctx<'_>,
    token: &str,
    token_use: &str,
) -> OpResult<(PoolRecord, serde_json::Map<String, Value>)> {
    let pool_id = tokens::claimed_pool(token).ok_or_else(invalid_access_token)?;
    if crate::validate::pool_id("accessToken", &pool_id).is_err() {
        return Err(invalid_access_token());
    }
    let pool = pools::find(ctx, &pool_id)?.ok_or_else(invalid_access_token)?;
    let claims = pools::signing_key(ctx, &pool)?
        .verify(token)
        .ok_or_else(invalid_access_token)?;
    if claims.get("token_use").and_then(Value::as_str) != Some(token_use)
        || claims.get("iss").and_then(Value::as_str)
            != Some(issuer(ctx.issuer_base, &pool).as_str())
    {
        return Err(invalid_access_token());
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(invalid_access_token)?;
    if ctx.now.secs() >= exp {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    Ok((pool, claims))
}

/// The pool, user, sign-in and scopes of a valid access token, whatever its scopes.
pub fn verified(ctx: &Ctx<'_>, token: &str) -> OpResult<Verified> {
    let (pool, claims) = signed_claims(ctx, token, "access")?;
    verified_user(ctx, pool, &claims, "username")
}

/// A signed token's user and sign-in, both still live; the user's name is its claim
/// `username_claim`.
pub(crate) fn verified_user(
    ctx: &Ctx<'_>,
    pool: PoolRecord,
    claims: &serde_json::Map<String, Value>,
    username_claim: &str,
) -> OpResult<Verified> {
    let origin = claims
        .get("origin_jti")
        .and_then(Value::as_str)
        .ok_or_else(invalid_access_token)?;
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    // A deleted user's sign-ins are gone with it: its tokens are revoked.
    let sign_in = sign_ins::get(ctx, &pool, origin)?.ok_or_else(revoked)?;
    let username = claims
        .get(username_claim)
        .and_then(Value::as_str)
        .ok_or_else(invalid_access_token)?;
    let sub = claims.get("sub").and_then(Value::as_str);
    let user = users::by_username(ctx, &pool, username)?.ok_or_else(users::user_not_found)?;
    // Bound to the user's `sub` and to a live sign-in: a namesake is another user.
    if sub != Some(user.sub.as_str()) || !sign_ins::is_live_for(&sign_in, &user) {
        return Err(revoked());
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    let scopes = claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok(Verified {
        pool,
        user,
        sign_in,
        scopes,
    })
}
