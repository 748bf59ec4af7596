//! App clients: CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
//! DeleteUserPoolClient, ListUserPoolClients.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Ctx, page, pool, random_string, validate};
use crate::model::client::{ECHOED_SETTINGS, description, user_pool_client};
use crate::protocol::{CognitoError, OpResult};
use crate::store::{ClientRecord, TokenLifetimes};

const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

const NEW_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];
const LEGACY_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];
/// What a client allows when created without ExplicitAuthFlows.
const DEFAULT_FLOWS: &[&str] = &[
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_CUSTOM_AUTH",
];

/// The settings CreateUserPoolClient and UpdateUserPoolClient share.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ClientSettingsIn {
    client_name: Option<String>,
    refresh_token_validity: Option<i64>,
    access_token_validity: Option<i64>,
    id_token_validity: Option<i64>,
    token_validity_units: Option<TokenValidityUnitsIn>,
    read_attributes: Option<Vec<String>>,
    write_attributes: Option<Vec<String>>,
    explicit_auth_flows: Option<Vec<String>>,
    prevent_user_existence_errors: Option<String>,
    enable_token_revocation: Option<bool>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnitsIn {
    access_token: Option<String>,
    id_token: Option<String>,
    refresh_token: Option<String>,
}

fn unit_seconds(member: &str, unit: &str) -> OpResult<u64> {
    validate::one_of(member, unit, &["seconds", "minutes", "hours", "days"])?;
    Ok(match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        _ => 86_400,
    })
}

/// One token's lifetime in seconds, checked against the service's bounds.
fn lifetime(
    member: &str,
    value: Option<i64>,
    unit: &str,
    default_seconds: u64,
    bounds: (u64, u64),
) -> OpResult<u64> {
    let unit = unit_seconds(member, unit)?;
    let Some(value) = value else {
        return Ok(default_seconds);
    };
    let seconds = u64::try_from(value).ok().and_then(|v| v.checked_mul(unit));
    match seconds {
        Some(s) if (bounds.0..=bounds.1).contains(&s) => Ok(s),
        _ => Err(CognitoError::invalid_parameter(format!(
            "Invalid range for token validity: {member} must be between {} and {} seconds.",
            bounds.0, bounds.1
        ))),
    }
}

fn apply_settings(client: &mut ClientRecord, s: ClientSettingsIn) -> OpResult<()> {
    if let Some(name) = s.client_name {
        validate::name("clientName", &name, 128)?;
        client.name = name;
    }
    // Values without units are hours (access, id) and days (refresh); absent values
    // default to 60 minutes, 60 minutes and 30 days, shown in minutes and days.
    let given = s.token_validity_units.is_some();
    let units = s.token_validity_units.unwrap_or_default();
    let access_unit = units
        .access_token
        .unwrap_or_else(|| if given { "hours" } else { "minutes" }.into());
    let id_unit = units
        .id_token
        .unwrap_or_else(|| if given { "hours" } else { "minutes" }.into());
    let refresh_unit = units.refresh_token.unwrap_or_else(|| "days".into());
    let access_in = if given || s.access_token_validity.is_none() {
        access_unit.as_str()
    } else {
        "hours"
    };
    let id_in = if given || s.id_token_validity.is_none() {
        id_unit.as_str()
    } else {
        "hours"
    };
    client.lifetimes = TokenLifetimes {
        access: lifetime(
            "AccessTokenValidity",
            s.access_token_validity,
            access_in,
            3600,
            (300, 86_400),
        )?,
        id: lifetime(
            "IdTokenValidity",
            s.id_token_validity,
            id_in,
            3600,
            (300, 86_400),
        )?,
        refresh: lifetime(
            "RefreshTokenValidity",
            s.refresh_token_validity,
            &refresh_unit,
            30 * 86_400,
            (3600, 3650 * 86_400),
        )?,
    };
    client.token_validity_units = [
        ("AccessToken", access_unit),
        ("IdToken", id_unit),
        ("RefreshToken", refresh_unit),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), json!(v)))
    .collect();

    let flows = s
        .explicit_auth_flows
        .unwrap_or_else(|| DEFAULT_FLOWS.iter().map(|f| (*f).to_owned()).collect());
    for flow in &flows {
        if !NEW_FLOWS.contains(&flow.as_str()) && !LEGACY_FLOWS.contains(&flow.as_str()) {
            let allowed: Vec<&str> = LEGACY_FLOWS.iter().chain(NEW_FLOWS).copied().collect();
            validate::one_of("explicitAuthFlows", flow, &allowed)?;
        }
    }
    let legacy = flows.iter().any(|f| LEGACY_FLOWS.contains(&f.as_str()));
    let new = flows.iter().any(|f| NEW_FLOWS.contains(&f.as_str()));
    if legacy && new {
        return Err(CognitoError::invalid_parameter(
            "ExplicitAuthFlows cannot mix legacy values with ALLOW_ values.",
        ));
    }
    client.explicit_auth_flows = flows;

    let prevent = s
        .prevent_user_existence_errors
        .unwrap_or_else(|| "LEGACY".to_owned());
    validate::one_of(
        "preventUserExistenceErrors",
        &prevent,
        &["LEGACY", "ENABLED"],
    )?;
    client.prevent_user_existence_errors = prevent;
    client.read_attributes = s.read_attributes.unwrap_or_default();
    client.write_attributes = s.write_attributes.unwrap_or_default();
    client.enable_token_revocation = s.enable_token_revocation.unwrap_or(true);
    client.settings = s
        .rest
        .into_iter()
        .filter(|(key, value)| ECHOED_SETTINGS.contains(&key.as_str()) && !value.is_null())
        .collect();
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    user_pool_id: String,
    generate_secret: Option<bool>,
    #[serde(flatten)]
    settings: ClientSettingsIn,
}

pub fn create_user_pool_client(ctx: &Ctx<'_>, req: CreateUserPoolClientRequest) -> OpResult<Value> {
    let record = pool(ctx, &req.user_pool_id)?;
    if req.settings.client_name.is_none() {
        return Err(CognitoError::validation(
            "clientName",
            None,
            "Member must not be null",
        ));
    }
    let mut client = ClientRecord {
        pool_id: record.id.clone(),
        id: random_string(LOWER_ALPHANUMERIC, 26),
        name: String::new(),
        secret: req
            .generate_secret
            .unwrap_or(false)
            .then(|| random_string(LOWER_ALPHANUMERIC, 51)),
        created: ctx.now,
        modified: ctx.now,
        explicit_auth_flows: Vec::new(),
        prevent_user_existence_errors: String::new(),
        read_attributes: Vec::new(),
        write_attributes: Vec::new(),
        lifetimes: TokenLifetimes {
            access: 3600,
            id: 3600,
            refresh: 30 * 86_400,
        },
        token_validity_units: Map::new(),
        enable_token_revocation: true,
        settings: Map::new(),
    };
    apply_settings(&mut client, req.settings)?;
    if !ctx.store.insert(&record.id, &client.id, &client)?
        || !ctx
            .store
            .set_lookup::<ClientRecord>("", "id", &client.id, &record.id)?
    {
        return Err(CognitoError::internal("client id collision"));
    }
    Ok(json!({ "UserPoolClient": user_pool_client(&client) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientIdRequest {
    user_pool_id: String,
    client_id: String,
}

/// A pool's client, or the error the service gives for an unknown one.
pub(crate) fn client(ctx: &Ctx<'_>, pool_id: &str, client_id: &str) -> OpResult<ClientRecord> {
    let record = pool(ctx, pool_id)?;
    validate::client_id("clientId", client_id)?;
    ctx.store.get(&record.id, client_id)?.ok_or_else(|| {
        CognitoError::not_found(format!("User pool client {client_id} does not exist."))
    })
}

pub fn describe_user_pool_client(ctx: &Ctx<'_>, req: ClientIdRequest) -> OpResult<Value> {
    let client = client(ctx, &req.user_pool_id, &req.client_id)?;
    Ok(json!({ "UserPoolClient": user_pool_client(&client) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolClientRequest {
    user_pool_id: String,
    client_id: String,
    #[serde(flatten)]
    settings: ClientSettingsIn,
}

pub fn update_user_pool_client(ctx: &Ctx<'_>, req: UpdateUserPoolClientRequest) -> OpResult<Value> {
    let mut record = client(ctx, &req.user_pool_id, &req.client_id)?;
    apply_settings(&mut record, req.settings)?;
    record.modified = ctx.now;
    ctx.store.put(&record.pool_id, &record.id, &record)?;
    Ok(json!({ "UserPoolClient": user_pool_client(&record) }))
}

pub fn delete_user_pool_client(ctx: &Ctx<'_>, req: ClientIdRequest) -> OpResult<Value> {
    let record = client(ctx, &req.user_pool_id, &req.client_id)?;
    ctx.store
        .delete::<ClientRecord>(&record.pool_id, &record.id)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsRequest {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub fn list_user_pool_clients(ctx: &Ctx<'_>, req: ListUserPoolClientsRequest) -> OpResult<Value> {
    let record = pool(ctx, &req.user_pool_id)?;
    let limit = validate::max_results("maxResults", req.max_results.unwrap_or(60), 60)?;
    let listed =
        ctx.store
            .list::<ClientRecord>(&record.id, req.next_token.as_deref(), limit + 1)?;
    let (clients, next) = page(listed, None, limit);
    let clients = clients.iter().map(description).collect();
    Ok(crate::model::page(
        "UserPoolClients",
        clients,
        "NextToken",
        next,
    ))
}

/// The client of a self-service request (which names no pool), and its pool.
pub(crate) fn client_by_id(
    ctx: &Ctx<'_>,
    client_id: &str,
) -> OpResult<(crate::store::PoolRecord, ClientRecord)> {
    validate::client_id("clientId", client_id)?;
    let not_found =
        || CognitoError::not_found(format!("User pool client {client_id} does not exist."));
    let pool_id = ctx
        .store
        .lookup::<ClientRecord>("", "id", client_id)?
        .ok_or_else(not_found)?;
    let pool = pool(ctx, &pool_id)?;
    let client = ctx.store.get(&pool.id, client_id)?.ok_or_else(not_found)?;
    Ok((pool, client))
}

/// Checks SECRET_HASH for `username` when the client has a secret.
pub(crate) fn check_secret_hash(
    client: &ClientRecord,
    username: &str,
    given: Option<&str>,
) -> OpResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let unable = || {
        CognitoError::new(
            crate::protocol::ErrorKind::NotAuthorizedException,
            format!("Unable to verify secret hash for client {}", client.id),
        )
    };
    match given {
        Some(hash) if cognito_srp::verify_secret_hash(secret, username, &client.id, hash) => Ok(()),
        Some(_) => Err(unable()),
        None => Err(CognitoError::new(
            crate::protocol::ErrorKind::NotAuthorizedException,
            format!(
                "Client {} is configured for secret but secret was not received",
                client.id
            ),
        )),
    }
}
