//! GetDerivedToken: token exchange (RFC 8693) through the API. A token of the pool
//! (the subject) is exchanged for a narrower one: "the intersection of these requested
//! scopes, the scopes of your SubjectToken, and the scopes that are allowed for the
//! requesting app client", bound to one audience or resource server, never with a
//! refresh token, and never outliving the subject. Without an actor token the client
//! needs ALLOW_TOKEN_EXCHANGE_IMPERSONATION and the token is the subject's; with one,
//! ALLOW_TOKEN_EXCHANGE_DELEGATION, and the token "carries an act claim that identifies
//! the intermediary" (`{"sub": ...}`, as RFC 8693 §4.1 shapes it).
//!
//! Subject and actor tokens are the pool's own; a provider's tokens
//! (`SubjectTokenProviderName`) and SAML assertions are refused as not served yet.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::output::DerivedToken;
use crate::domain::client_oauth::OAuthSettings;
use crate::domain::state::ExplicitAuthFlow;
use crate::domain::{Ctx, access, clients, pools, resource_servers};
use crate::error::{CognitoError, OpResult};
use crate::tokens::Jwt;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDerivedTokenRequest {
    client_id: String,
    client_secret: Option<String>,
    subject_token: String,
    subject_token_type: String,
    subject_token_provider_name: Option<String>,
    actor_token: Option<String>,
    actor_token_type: Option<String>,
    actor_token_provider_name: Option<String>,
    scopes: Option<Vec<String>>,
    audiences: Option<Vec<String>>,
    resources: Option<Vec<String>>,
    requested_token_type: Option<String>,
}

/// Claims of the subject a derived token does not carry over.
const FRESH: &[&str] = &[
    "iat",
    "exp",
    "jti",
    "client_id",
    "aud",
    "scope",
    "act",
    "token_use",
    "nonce",
    "at_hash",
];

/// The claims of a token of the pool, of `kind` (`ACCESS_TOKEN` or `ID_TOKEN`), with
/// its user and sign-in still live when it is a user's.
fn verified(
    ctx: &Ctx<'_>,
    pool_id: &str,
    token: &str,
    kind: &str,
    provider: Option<&str>,
) -> OpResult<Map<String, Value>> {
    if provider.is_some() || kind == "SAML2" {
        return Err(CognitoError::invalid_parameter(
            "Tokens of identity providers are not served by cognito-local's token exchange yet: exchange a token of the user pool.",
        ));
    }
    let token_use = match kind {
        "ACCESS_TOKEN" => "access",
        _ => "id",
    };
    let (pool, claims) = access::signed_claims(ctx, token, token_use)?;
    if pool.id != pool_id {
        return Err(crate::tokens::invalid_access_token());
    }
    // A user's token must still be live (its sign-in, its user enabled); an app
    // client's (client_credentials) has no user.
    let username = if token_use == "access" {
        "username"
    } else {
        "cognito:username"
    };
    if claims.contains_key(username) {
        access::verified_user(ctx, pool, &claims, username)?;
    }
    Ok(claims)
}

pub fn get_derived_token(ctx: &Ctx<'_>, req: GetDerivedTokenRequest) -> OpResult<DerivedToken> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    clients::check_secret(&client, req.client_secret.as_deref())?;
    let flow = if req.actor_token.is_some() {
        ExplicitAuthFlow::AllowTokenExchangeDelegation
    } else {
        ExplicitAuthFlow::AllowTokenExchangeImpersonation
    };
    if !client.explicit_auth_flows.contains(&flow) {
        return Err(CognitoError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )));
    }
    let audience = match (req.audiences.as_deref(), req.resources.as_deref()) {
        (Some([_, ..]), Some([_, ..])) => {
            return Err(CognitoError::invalid_parameter(
                "You can't request both Audiences and Resources in the same request.",
            ));
        }
        (Some([audience, ..]), _) => Some(audience.clone()),
        (_, Some([resource, ..])) => {
            if resource_servers::find(ctx, &pool, resource)?.is_none() {
                return Err(CognitoError::invalid_parameter(format!(
                    "Resource {resource} is not a resource server of the user pool."
                )));
            }
            Some(resource.clone())
        }
        _ => None,
    };
    let subject = verified(
        ctx,
        &pool.id,
        &req.subject_token,
        &req.subject_token_type,
        req.subject_token_provider_name.as_deref(),
    )?;
    let actor = match &req.actor_token {
        Some(token) => {
            let kind = req.actor_token_type.as_deref().ok_or_else(|| {
                CognitoError::invalid_parameter("ActorTokenType is required with an ActorToken.")
            })?;
            Some(verified(
                ctx,
                &pool.id,
                token,
                kind,
                req.actor_token_provider_name.as_deref(),
            )?)
        }
        None => None,
    };
    let kind = match req.requested_token_type.as_deref() {
        Some("ID_TOKEN") => "ID_TOKEN",
        _ => "ACCESS_TOKEN",
    };
    let subject_scopes: Vec<String> = subject
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let allowed = OAuthSettings::of(&client).scopes;
    let scopes: Vec<String> = match req.scopes.as_deref() {
        Some(asked) if !asked.is_empty() => asked
            .iter()
            .filter(|s| subject_scopes.contains(s) && allowed.contains(s))
            .cloned()
            .collect(),
        _ => subject_scopes,
    };
    let now = ctx.now.secs();
    let lifetime = i64::try_from(match kind {
        "ACCESS_TOKEN" => client.lifetimes.access,
        _ => client.lifetimes.id,
    })
    .unwrap_or(i64::MAX);
    let subject_exp = subject.get("exp").and_then(Value::as_i64).unwrap_or(now);
    let exp = now.saturating_add(lifetime).min(subject_exp);
    let mut claims: Map<String, Value> = subject
        .iter()
        .filter(|(name, _)| !FRESH.contains(&name.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(exp));
    claims.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    if let Some(actor) = &actor {
        let who = actor.get("sub").or_else(|| actor.get("client_id")).cloned();
        claims.insert("act".into(), json!({ "sub": who }));
    }
    match kind {
        "ACCESS_TOKEN" => {
            claims.insert("token_use".into(), json!("access"));
            claims.insert("client_id".into(), json!(client.id));
            claims.insert("scope".into(), json!(scopes.join(" ")));
            if let Some(audience) = &audience {
                claims.insert("aud".into(), json!(audience));
            }
        }
        _ => {
            claims.insert("token_use".into(), json!("id"));
            claims.insert(
                "aud".into(),
                json!(audience.clone().unwrap_or(client.id.clone())),
            );
        }
    }
    let key = pools::signing_key(ctx, &pool)?;
    Ok(DerivedToken {
        token: Jwt::unsigned(&key, Value::Object(claims)),
        kind,
        expires_in: exp - now,
        scopes: (kind == "ACCESS_TOKEN").then_some(scopes),
    })
}
