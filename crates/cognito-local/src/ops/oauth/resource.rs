//! Resource indicators (RFC 8707): `resource` on the authorize and token requests binds
//! an access token to one resource server of the pool, named by its identifier. The
//! token's `aud` is that identifier and its custom scopes are narrowed to the server's
//! own (a token for one audience carries no rights at another; the OpenID scopes
//! stay). Refused with `invalid_target` (RFC 8707 §2): a value that is not an absolute
//! URI without a fragment, one that names no resource server of the pool, and one
//! whose scopes the request grants none of. A token request may repeat the resource
//! its code or refresh token was bound to, never name another.

use crate::domain::records::PoolRecord;
use crate::domain::{Ctx, resource_servers};
use crate::error::{OAuthError, OAuthErrorCode, OpResult};

fn invalid_target(description: impl Into<String>) -> OAuthError {
    OAuthError::described(OAuthErrorCode::InvalidTarget, description)
}

/// Binds `scopes` to `resource`: the scopes narrowed to it, or why it cannot be.
pub(crate) fn bind(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    resource: &str,
    scopes: &[String],
) -> OpResult<Result<Vec<String>, OAuthError>> {
    let absolute = reqwest::Url::parse(resource).is_ok_and(|url| url.fragment().is_none());
    if !absolute || resource.contains('#') {
        return Ok(Err(invalid_target(
            "The resource must be an absolute URI without a fragment.",
        )));
    }
    if resource_servers::find(ctx, pool, resource)?.is_none() {
        return Ok(Err(invalid_target(format!(
            "{resource} is not a resource server of the user pool."
        ))));
    }
    let prefix = format!("{resource}/");
    let custom = |scope: &String| scope.contains('/');
    let narrowed: Vec<String> = scopes
        .iter()
        .filter(|scope| !custom(scope) || scope.starts_with(&prefix))
        .cloned()
        .collect();
    if !narrowed.iter().any(|scope| scope.starts_with(&prefix)) {
        return Ok(Err(invalid_target(format!(
            "No scope of {resource} is granted."
        ))));
    }
    Ok(Ok(narrowed))
}

/// A token request's `resource` against the one its grant was bound to.
pub(crate) fn repeated(asked: Option<&str>, bound: Option<&str>) -> Result<(), OAuthError> {
    match asked {
        Some(asked) if Some(asked) != bound => Err(invalid_target(
            "The resource is not the one the grant was bound to.",
        )),
        _ => Ok(()),
    }
}
