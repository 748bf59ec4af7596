//! PreTokenGeneration: the trigger that changes the claims of the tokens a sign-in or
//! a refresh is about to get. Its version is the pool's
//! `LambdaConfig.PreTokenGenerationConfig.LambdaVersion` (V1_0 when only the legacy
//! `PreTokenGeneration` ARN is set):
//! - V1 (`claimsOverrideDetails`): claims added, overridden or suppressed in the ID
//!   token (string values), and the groups (`cognito:groups`) of both tokens;
//! - V2 and V3 (`claimsAndScopeOverrideDetails`): the same for the ID token and the
//!   access token separately (any JSON value), and access token scopes added or
//!   suppressed; V3 also runs for machine-to-machine tokens (client credentials).
//!
//! The claims Cognito itself sets to bind a token (the developer guide's list: acr,
//! amr, aud, auth_time, azp, exp, iat, identities, iss, jti, nbf, nonce, origin_jti,
//! sub, token_use, and client_id, event_id, scope, username, cognito:username)
//! keep Cognito's values whatever the trigger answers.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Ctx;
use super::lambdas::{self, Call, Trigger};
use super::records::{ClientRecord, PoolRecord, UserRecord};
use crate::error::OpResult;

/// Claims no trigger may add, change or suppress.
const RESERVED: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "auth_time",
    "azp",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
    "client_id",
    "event_id",
    "scope",
    "username",
    "cognito:username",
    "cognito:groups",
    "cognito:roles",
    "cognito:preferred_role",
];

/// Why tokens are being made: the event's trigger source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// A sign-in.
    Authentication,
    /// A sign-in that set its new password (NEW_PASSWORD_REQUIRED).
    NewPasswordChallenge,
    /// A sign-in with a remembered device.
    AuthenticateDevice,
    /// A refresh.
    RefreshTokens,
    /// The tokens of a hosted (managed login) sign-in, at the code's exchange.
    HostedAuth,
}

impl TokenSource {
    fn name(self) -> &'static str {
        match self {
            TokenSource::Authentication => "TokenGeneration_Authentication",
            TokenSource::NewPasswordChallenge => "TokenGeneration_NewPasswordChallenge",
            TokenSource::AuthenticateDevice => "TokenGeneration_AuthenticateDevice",
            TokenSource::RefreshTokens => "TokenGeneration_RefreshTokens",
            TokenSource::HostedAuth => "TokenGeneration_HostedAuth",
        }
    }
}

/// Changes to one token's claims.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct ClaimChanges {
    claims_to_add_or_override: Option<Map<String, Value>>,
    claims_to_suppress: Option<Vec<String>>,
    scopes_to_add: Option<Vec<String>>,
    scopes_to_suppress: Option<Vec<String>>,
}

/// `groupOverrideDetails`.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct GroupOverride {
    groups_to_override: Option<Vec<String>>,
    iam_roles_to_override: Option<Vec<String>>,
    preferred_role: Option<String>,
}

/// V1's `claimsOverrideDetails`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct V1Details {
    claims_to_add_or_override: Option<HashMap<String, String>>,
    claims_to_suppress: Option<Vec<String>>,
    group_override_details: Option<GroupOverride>,
}

/// V2's `claimsAndScopeOverrideDetails`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct V2Details {
    id_token_generation: Option<ClaimChanges>,
    access_token_generation: Option<ClaimChanges>,
    group_override_details: Option<GroupOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct V1Answer {
    claims_override_details: Option<V1Details>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct V2Answer {
    claims_and_scope_override_details: Option<V2Details>,
}

/// What the trigger changes in the tokens about to be made.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct TokenChanges {
    id: ClaimChanges,
    access: ClaimChanges,
    groups: Option<GroupOverride>,
}

/// Runs PreTokenGeneration, if the pool has it, for tokens of `user` through `client`
/// with the groups and (V2 and V3) scopes they would carry; what it changes.
pub fn pre_token_generation(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    groups: &[String],
    scopes: &[String],
    source: TokenSource,
) -> OpResult<TokenChanges> {
    if !lambdas::has(pool, Trigger::PreTokenGeneration) {
        return Ok(TokenChanges::default());
    }
    let version = lambdas::token_version(pool);
    let mut request = json!({
        "userAttributes": lambdas::user_attributes(user),
        "groupConfiguration": {
            "groupsToOverride": groups,
            "iamRolesToOverride": [],
            "preferredRole": null,
        },
        "clientMetadata": lambdas::metadata(ctx),
    });
    if version >= 2 {
        request["scopes"] = json!(scopes);
    }
    let call = Call {
        trigger: Trigger::PreTokenGeneration,
        source: source.name().into(),
        username: &user.username,
        client_id: Some(&client.id),
        request,
        response: if version >= 2 {
            json!({ "claimsAndScopeOverrideDetails": null })
        } else {
            json!({ "claimsOverrideDetails": null })
        },
    };
    if version >= 2 {
        let answer: Option<V2Answer> = lambdas::call(ctx, pool, call)?;
        let details = answer
            .and_then(|a| a.claims_and_scope_override_details)
            .unwrap_or_default();
        return Ok(TokenChanges {
            id: details.id_token_generation.unwrap_or_default(),
            access: details.access_token_generation.unwrap_or_default(),
            groups: details.group_override_details,
        });
    }
    let answer: Option<V1Answer> = lambdas::call(ctx, pool, call)?;
    let details = answer
        .and_then(|a| a.claims_override_details)
        .unwrap_or_default();
    Ok(TokenChanges {
        id: ClaimChanges {
            claims_to_add_or_override: details
                .claims_to_add_or_override
                .map(|claims| claims.into_iter().map(|(k, v)| (k, json!(v))).collect()),
            claims_to_suppress: details.claims_to_suppress,
            ..ClaimChanges::default()
        },
        access: ClaimChanges::default(),
        groups: details.group_override_details,
    })
}

/// Runs PreTokenGeneration for a machine-to-machine access token (trigger source
/// `TokenGeneration_ClientCredentials`): only version 3 runs for them ("V3_0 ... user
/// login + client credentials"; V1 and V2 do not). The event names the client as its
/// user and carries the token's scopes and the request's client metadata.
pub fn client_credentials(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    scopes: &[String],
) -> OpResult<TokenChanges> {
    if !lambdas::has(pool, Trigger::PreTokenGeneration) || lambdas::token_version(pool) < 3 {
        return Ok(TokenChanges::default());
    }
    let call = Call {
        trigger: Trigger::PreTokenGeneration,
        source: "TokenGeneration_ClientCredentials".into(),
        username: &client.id,
        client_id: Some(&client.id),
        request: json!({
            "userAttributes": {},
            "groupConfiguration": null,
            "scopes": scopes,
            "clientMetadata": lambdas::metadata(ctx),
        }),
        response: json!({ "claimsAndScopeOverrideDetails": null }),
    };
    let answer: Option<V2Answer> = lambdas::call(ctx, pool, call)?;
    let details = answer
        .and_then(|a| a.claims_and_scope_override_details)
        .unwrap_or_default();
    Ok(TokenChanges {
        access: details.access_token_generation.unwrap_or_default(),
        ..TokenChanges::default()
    })
}

impl TokenChanges {
    /// The groups the tokens carry: the trigger's, if it overrode them.
    pub fn groups(&self, groups: Vec<String>) -> Vec<String> {
        match self
            .groups
            .as_ref()
            .and_then(|g| g.groups_to_override.clone())
        {
            Some(overridden) => overridden,
            None => groups,
        }
    }

    /// Applies the ID token's changes (and the role overrides) to its claims.
    pub fn apply_id(&self, claims: &mut Value) {
        apply(&self.id, claims);
        if let (Some(groups), Some(claims)) = (&self.groups, claims.as_object_mut()) {
            if let Some(roles) = &groups.iam_roles_to_override {
                claims.insert("cognito:roles".into(), json!(roles));
            }
            if let Some(role) = &groups.preferred_role {
                claims.insert("cognito:preferred_role".into(), json!(role));
            }
        }
    }

    /// Applies the access token's changes (claims and scopes) to its claims.
    pub fn apply_access(&self, claims: &mut Value) {
        apply(&self.access, claims);
        let changes = &self.access;
        if changes.scopes_to_add.is_none() && changes.scopes_to_suppress.is_none() {
            return;
        }
        let Some(claims) = claims.as_object_mut() else {
            return;
        };
        let mut scopes: Vec<String> = claims
            .get("scope")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        for scope in changes.scopes_to_add.iter().flatten() {
            if !scopes.contains(scope) {
                scopes.push(scope.clone());
            }
        }
        let suppressed = changes.scopes_to_suppress.clone().unwrap_or_default();
        scopes.retain(|s| !suppressed.contains(s));
        claims.insert("scope".into(), json!(scopes.join(" ")));
    }
}

fn apply(changes: &ClaimChanges, claims: &mut Value) {
    let Some(claims) = claims.as_object_mut() else {
        return;
    };
    let allowed = |name: &str| !RESERVED.contains(&name);
    for (name, value) in changes.claims_to_add_or_override.iter().flatten() {
        if allowed(name) {
            claims.insert(name.clone(), value.clone());
        }
    }
    for name in changes.claims_to_suppress.iter().flatten() {
        if allowed(name) {
            claims.remove(name);
        }
    }
}
