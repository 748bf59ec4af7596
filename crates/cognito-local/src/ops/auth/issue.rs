//! The end of a sign-in: a sign-in record (with its refresh token), a device for pools
//! that track them, and the id and access tokens, signed after the commit.

use serde_json::{Map, Value, json};

use crate::domain::access::{ADMIN_SCOPE, issuer};
use crate::domain::lambdas::{self, Trigger};
use crate::domain::records::{ClientRecord, DeviceRecord, PoolRecord, SignInRecord, UserRecord};
use crate::domain::token_hooks::{self, TokenChanges, TokenSource};
use crate::domain::{
    Ctx, auth_events, devices, groups, lockout, pools, sign_in_hooks, sign_ins, user_sessions,
};
use crate::error::OpResult;
use crate::model::auth::{AuthReply, AuthenticationResult, NewDeviceMetadata};
use crate::tokens::Jwt;

/// The scopes a sign-in's tokens carry: its OAuth scopes, or the API's one.
fn scopes_of(sign_in: &SignInRecord) -> Vec<String> {
    sign_in
        .scopes
        .clone()
        .unwrap_or_else(|| vec![ADMIN_SCOPE.to_owned()])
}

/// Tokens for a new sign-in. With device tracking on, the device the sign-in named
/// (DEVICE_KEY) if the user has it, remembered or not: its last sign-in is now, and no
/// NewDeviceMetadata; else a new device to confirm (NewDeviceMetadata).
pub(super) fn tokens(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    device_key: Option<&str>,
    source: TokenSource,
) -> OpResult<AuthReply> {
    if ctx.caller.hosted {
        return hosted_sign_in(ctx, pool, client, user);
    }
    let known = match (pool.devices, device_key) {
        (Some(_), Some(key)) => devices::find(ctx, pool, user, key)?,
        _ => None,
    };
    let new_device = pool.devices.is_some() && known.is_none();
    let changes = before_tokens(ctx, pool, client, user, new_device, source)?;
    if let Some(device) = known {
        return known_device(ctx, pool, client, user, device, &changes);
    }
    lockout::forget(ctx, pool, user)?;
    let device = match pool.devices {
        Some(_) => Some(devices::create(ctx, pool, user)?),
        None => None,
    };
    let mut result = new_sign_in(
        ctx,
        pool,
        client,
        user,
        device.as_ref().map(|d| d.key.clone()),
        &changes,
    )?;
    result.new_device_metadata = device.map(|d| NewDeviceMetadata {
        device_key: d.key,
        device_group_key: d.group_key,
    });
    Ok(AuthReply::tokens(result))
}

/// The end of a hosted sign-in: PostAuthentication, earlier failures forgotten, the
/// event recorded, and the user named; the tokens come with the authorization's code
/// (TokenGeneration_HostedAuth).
fn hosted_sign_in(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
) -> OpResult<AuthReply> {
    sign_in_hooks::post_authentication(ctx, pool, client, user, false)?;
    lockout::forget(ctx, pool, user)?;
    auth_events::signed_in(ctx, pool, user)?;
    Ok(AuthReply::signed_in(user.username.clone()))
}

/// What a hosted authorization grants: its scopes, the authorize request's nonce, and
/// when the user signed in.
pub(crate) struct HostedGrant<'a> {
    /// The granted scopes.
    pub scopes: &'a [String],
    /// `nonce`, for the ID token.
    pub nonce: Option<&'a str>,
    /// When the user signed in.
    pub auth_time: crate::clock::UnixTime,
    /// The resource server the access tokens are bound to (RFC 8707), their `aud`.
    pub resource: Option<&'a str>,
}

/// The tokens of a hosted authorization (at its code's exchange, or at once for the
/// implicit grant): PreTokenGeneration with TokenGeneration_HostedAuth, then a sign-in
/// that keeps the granted scopes, whose tokens carry them and the nonce.
pub(crate) fn hosted_tokens(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    grant: &HostedGrant<'_>,
) -> OpResult<AuthenticationResult> {
    let groups = group_names(ctx, pool, user)?;
    let changes = token_hooks::pre_token_generation(
        ctx,
        pool,
        client,
        user,
        &groups,
        grant.scopes,
        TokenSource::HostedAuth,
    )?;
    if lambdas::has(pool, Trigger::PreTokenGeneration) {
        *user = lockout::reread(ctx, pool, &user.username, &user.password)?;
    }
    user_sessions::make_room(ctx, pool, user)?;
    let (mut sign_in, refresh_token) = sign_ins::create(ctx, pool, client, user, None)?;
    sign_in.scopes = Some(grant.scopes.to_vec());
    sign_in.auth_time = grant.auth_time;
    sign_in.resource = grant.resource.map(str::to_owned);
    sign_ins::save(ctx, pool, &sign_in)?;
    let mut result = answer(ctx, pool, client, user, &sign_in, &changes, grant.nonce)?;
    result.refresh_token = Some(refresh_token);
    Ok(result)
}

/// Tokens for a new sign-in with a device the user has (its last sign-in is now).
pub(super) fn with_device(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    device: DeviceRecord,
) -> OpResult<AuthReply> {
    let changes = before_tokens(
        ctx,
        pool,
        client,
        user,
        false,
        TokenSource::AuthenticateDevice,
    )?;
    known_device(ctx, pool, client, user, device, &changes)
}

/// The triggers a sign-in runs before anything of it is written: PreTokenGeneration
/// (what the tokens will say), then PostAuthentication (which may still refuse). Both
/// run without the store's lock: the user is read again after them.
fn before_tokens(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    new_device: bool,
    source: TokenSource,
) -> OpResult<TokenChanges> {
    let groups = group_names(ctx, pool, user)?;
    let scopes = [ADMIN_SCOPE.to_owned()];
    let changes =
        token_hooks::pre_token_generation(ctx, pool, client, user, &groups, &scopes, source)?;
    if lambdas::has(pool, Trigger::PreTokenGeneration) {
        *user = lockout::reread(ctx, pool, &user.username, &user.password)?;
    }
    sign_in_hooks::post_authentication(ctx, pool, client, user, new_device)?;
    Ok(changes)
}

/// A sign-in with a device the user has, once its triggers have run.
fn known_device(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    mut device: DeviceRecord,
    changes: &TokenChanges,
) -> OpResult<AuthReply> {
    lockout::forget(ctx, pool, user)?;
    device.last_authenticated = Some(ctx.now);
    devices::save(ctx, pool, &device)?;
    let result = new_sign_in(ctx, pool, client, user, Some(device.key), changes)?;
    Ok(AuthReply::tokens(result))
}

/// New id and access tokens for an existing sign-in (PreTokenGeneration runs with
/// source TokenGeneration_RefreshTokens), and its new refresh token when it was rotated.
pub(super) fn refreshed(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    sign_in: &SignInRecord,
    rotated: Option<String>,
) -> OpResult<AuthReply> {
    let groups = group_names(ctx, pool, user)?;
    let changes = token_hooks::pre_token_generation(
        ctx,
        pool,
        client,
        user,
        &groups,
        &scopes_of(sign_in),
        TokenSource::RefreshTokens,
    )?;
    let mut result = answer(ctx, pool, client, user, sign_in, &changes, None)?;
    result.refresh_token = rotated;
    Ok(AuthReply::tokens(result))
}

/// A sign-in recorded, with its refresh token beside the id and access tokens.
fn new_sign_in(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    device_key: Option<String>,
    changes: &TokenChanges,
) -> OpResult<AuthenticationResult> {
    user_sessions::make_room(ctx, pool, user)?;
    auth_events::signed_in(ctx, pool, user)?;
    let (sign_in, refresh_token) = sign_ins::create(ctx, pool, client, user, device_key)?;
    let mut result = answer(ctx, pool, client, user, &sign_in, changes, None)?;
    result.refresh_token = Some(refresh_token);
    Ok(result)
}

/// The names of the user's groups, in `cognito:groups` order.
fn group_names(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<Vec<String>> {
    Ok(groups::of_user(ctx, pool, &user.username)?
        .into_iter()
        .map(|g| g.name)
        .collect())
}

fn answer(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    sign_in: &SignInRecord,
    changes: &TokenChanges,
    nonce: Option<&str>,
) -> OpResult<AuthenticationResult> {
    let key = pools::signing_key(ctx, pool)?;
    let group_names = changes.groups(group_names(ctx, pool, user)?);
    let claims = Claims {
        issuer: issuer(ctx.issuer_base, pool),
        client,
        user,
        groups: &group_names,
        sign_in,
        now: ctx.now.secs(),
        event_id: uuid::Uuid::new_v4().to_string(),
        nonce,
    };
    let (mut id, mut access) = (claims.id(), claims.access());
    changes.apply_id(&mut id);
    changes.apply_access(&mut access);
    tracing::info!(pool = %pool.id, user = %user.username, "signed in");
    Ok(AuthenticationResult {
        access_token: Jwt::unsigned(&key, access),
        expires_in: client.lifetimes.access,
        token_type: "Bearer",
        id_token: Jwt::unsigned(&key, id),
        refresh_token: None,
        new_device_metadata: None,
    })
}

/// What the tokens of a sign-in say.
struct Claims<'a> {
    issuer: String,
    client: &'a ClientRecord,
    user: &'a UserRecord,
    /// The user's groups, in `cognito:groups` order.
    groups: &'a [String],
    sign_in: &'a SignInRecord,
    /// Now, in whole seconds.
    now: i64,
    /// The sign-in event both tokens name.
    event_id: String,
    /// The authorize request's nonce (hosted sign-ins), for the ID token.
    nonce: Option<&'a str>,
}

impl Claims<'_> {
    /// Attributes an id token carries: all, or the client's ReadAttributes.
    fn readable(&self, name: &str) -> bool {
        let read = &self.client.read_attributes;
        read.is_empty() || read.iter().any(|a| a == name)
    }

    /// The id token's claims.
    fn id(&self) -> Value {
        let Self {
            user, client, now, ..
        } = self;
        let mut id = Map::new();
        id.insert("sub".into(), json!(user.sub));
        if !self.groups.is_empty() {
            id.insert("cognito:groups".into(), json!(self.groups));
        }
        for (name, value) in &user.attributes {
            if !self.readable(name) {
                continue;
            }
            let value = if name.ends_with("_verified") {
                json!(value == "true")
            } else if name == crate::domain::identities::ATTRIBUTE {
                crate::domain::identities::claim(value)
            } else {
                json!(value)
            };
            id.insert(name.clone(), value);
        }
        id.insert("iss".into(), json!(self.issuer));
        id.insert("cognito:username".into(), json!(user.username));
        id.insert("origin_jti".into(), json!(self.sign_in.origin_jti));
        id.insert("aud".into(), json!(client.id));
        id.insert("event_id".into(), json!(self.event_id));
        if let Some(nonce) = self.nonce {
            id.insert("nonce".into(), json!(nonce));
        }
        id.insert("token_use".into(), json!("id"));
        id.insert("auth_time".into(), json!(self.sign_in.auth_time.secs()));
        id.insert("exp".into(), json!(now + client.lifetimes.id as i64));
        id.insert("iat".into(), json!(now));
        id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
        Value::Object(id)
    }

    /// The access token's claims.
    fn access(&self) -> Value {
        let Self {
            user, client, now, ..
        } = self;
        let mut access = Map::new();
        access.insert("sub".into(), json!(user.sub));
        if !self.groups.is_empty() {
            access.insert("cognito:groups".into(), json!(self.groups));
        }
        if let Some(device) = &self.sign_in.device_key {
            access.insert("device_key".into(), json!(device));
        }
        access.insert("iss".into(), json!(self.issuer));
        access.insert("client_id".into(), json!(client.id));
        if let Some(resource) = &self.sign_in.resource {
            access.insert("aud".into(), json!(resource));
        }
        access.insert("origin_jti".into(), json!(self.sign_in.origin_jti));
        access.insert("event_id".into(), json!(self.event_id));
        access.insert("token_use".into(), json!("access"));
        access.insert("scope".into(), json!(scopes_of(self.sign_in).join(" ")));
        if self.sign_in.scopes.is_some() {
            access.insert("version".into(), json!(2));
        }
        access.insert("auth_time".into(), json!(self.sign_in.auth_time.secs()));
        access.insert("exp".into(), json!(now + client.lifetimes.access as i64));
        access.insert("iat".into(), json!(now));
        access.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
        access.insert("username".into(), json!(user.username));
        Value::Object(access)
    }
}
