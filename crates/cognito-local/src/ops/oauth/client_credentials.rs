//! Machine-to-machine access tokens: the token endpoint's `client_credentials` grant
//! and the API's GetClientToken. Their subject is the app client; their scopes are
//! resource servers' custom scopes the client is allowed.

use serde_json::json;

use super::TokenReply;
use crate::domain::access::issuer;
use crate::domain::client_oauth::OAuthSettings;
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::state::OAuthFlow;
use crate::domain::{Ctx, pools, resource_servers, token_hooks};
use crate::error::{OAuthError, OAuthErrorCode, OpResult};
use crate::tokens::Jwt;

/// Why a client's scopes cannot be granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeRefusal {
    /// This scope was asked for but is not the client's (or no longer exists).
    NotAllowed(String),
    /// None was asked for and the client has none.
    None,
}

/// The scopes a machine-to-machine token gets: each one asked for, if the client is
/// allowed it and a resource server of the pool still defines it; asked for none, all
/// of the client's custom scopes ("If the client doesn't request any scopes, the
/// authentication server uses all custom scopes associated with the client").
pub fn scopes(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    asked: Option<&[String]>,
) -> OpResult<Result<Vec<String>, ScopeRefusal>> {
    let allowed = OAuthSettings::of(client).scopes;
    let asked: Vec<String> = match asked {
        Some(asked) if !asked.is_empty() => asked.to_vec(),
        _ => allowed.clone(),
    };
    let mut granted: Vec<String> = Vec::new();
    for scope in asked {
        if !allowed.contains(&scope) || !resource_servers::defines(ctx, pool, &scope)? {
            return Ok(Err(ScopeRefusal::NotAllowed(scope)));
        }
        if !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    if granted.is_empty() {
        return Ok(Err(ScopeRefusal::None));
    }
    Ok(Ok(granted))
}

/// The access token for a client with these scopes (PreTokenGeneration V3 may change
/// its claims and scopes), to be signed after the commit. Its claims are those of
/// Cognito's M2M tokens: the client as `sub` and `client_id`, `scope`, `version` 2;
/// `aud` when bound to a resource server.
pub fn access_token(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    scopes: &[String],
    audience: Option<&str>,
) -> OpResult<Jwt> {
    let changes = token_hooks::client_credentials(ctx, pool, client, scopes)?;
    let now = ctx.now.secs();
    let mut claims = json!({
        "sub": client.id,
        "token_use": "access",
        "scope": scopes.join(" "),
        "auth_time": now,
        "iss": issuer(ctx.issuer_base, pool),
        "exp": now + client.lifetimes.access as i64,
        "iat": now,
        "version": 2,
        "jti": uuid::Uuid::new_v4().to_string(),
        "client_id": client.id,
    });
    if let Some(audience) = audience {
        claims["aud"] = json!(audience);
    }
    changes.apply_access(&mut claims);
    let key = pools::signing_key(ctx, pool)?;
    tracing::info!(pool = %pool.id, client = %client.id, "issued a client credentials token");
    Ok(Jwt::unsigned(&key, claims))
}

/// The `client_credentials` grant of an authenticated client: `unauthorized_client`
/// unless its OAuth flows allow it, `invalid_scope` for scopes it may not have,
/// `invalid_target` for a `resource` it cannot be bound to.
pub fn grant(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    asked: Option<&[String]>,
    resource: Option<&str>,
) -> Result<TokenReply, OAuthError> {
    if !OAuthSettings::of(client).allows(OAuthFlow::ClientCredentials) {
        return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
    }
    let scopes = scopes(ctx, pool, client, asked)?
        .map_err(|_| OAuthError::new(OAuthErrorCode::InvalidScope))?;
    let scopes = match resource {
        Some(resource) => super::resource::bind(ctx, pool, resource, &scopes)??,
        None => scopes,
    };
    Ok(TokenReply {
        id_token: None,
        access_token: access_token(ctx, pool, client, &scopes, resource)?,
        refresh_token: None,
        expires_in: client.lifetimes.access,
        token_type: "Bearer",
        bind_at_hash: false,
    })
}
