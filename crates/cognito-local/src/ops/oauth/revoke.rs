//! `/oauth2/revoke`: a refresh token revoked, with every access token issued from it,
//! as the developer guide's revocation endpoint describes it: 200 for a revoked token
//! and for one the server does not know (RFC 7009), `unsupported_token_type` for an
//! access or ID token, `invalid_request` when the client has revocation off.

use super::{ClientAuth, authenticate};
use crate::domain::records::PoolRecord;
use crate::domain::{Ctx, sign_ins};
use crate::error::{OAuthError, OAuthErrorCode};

pub fn revoke(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    auth: &ClientAuth,
    token: Option<&str>,
) -> Result<(), OAuthError> {
    let client = authenticate(ctx, pool, auth)?;
    let token = token.ok_or_else(|| {
        OAuthError::described(OAuthErrorCode::InvalidRequest, "token is required.")
    })?;
    if !client.enable_token_revocation {
        return Err(OAuthError::described(
            OAuthErrorCode::InvalidRequest,
            "Token revocation is not enabled for this client.",
        ));
    }
    // A JWT (three dot-separated parts) is an access or ID token, not a refresh token.
    if token.split('.').count() == 3 {
        return Err(OAuthError::new(OAuthErrorCode::UnsupportedTokenType));
    }
    if let Some(mut sign_in) = sign_ins::by_refresh_token(ctx, pool, token)?
        && sign_in.client_id == client.id
    {
        sign_ins::revoke(ctx, pool, &mut sign_in)?;
    }
    Ok(())
}
