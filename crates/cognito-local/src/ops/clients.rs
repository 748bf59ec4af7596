//! App clients: CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
//! DeleteUserPoolClient, ListUserPoolClients.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::listing::page;
use crate::domain::configs::{self, Config};
use crate::domain::records::{ClientRecord, RefreshRotation, TokenLifetimes};
use crate::domain::state::{ExplicitAuthFlow, PreventUserExistenceErrors};
use crate::domain::{
    Ctx, LOWER_ALPHANUMERIC, branding, client_oauth, client_secrets, clients, pools, random_string,
    terms,
};
use crate::error::{CognitoError, OpResult};
use crate::model::client::{ECHOED_SETTINGS, description, user_pool_client};
use crate::validate;

/// What a client allows when created without ExplicitAuthFlows.
const DEFAULT_FLOWS: &[ExplicitAuthFlow] = &[
    ExplicitAuthFlow::AllowRefreshTokenAuth,
    ExplicitAuthFlow::AllowUserSrpAuth,
    ExplicitAuthFlow::AllowCustomAuth,
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
    refresh_token_rotation: Option<RefreshTokenRotationIn>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// `RefreshTokenRotationType`.
#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct RefreshTokenRotationIn {
    feature: Option<String>,
    retry_grace_period_seconds: Option<i64>,
}

/// The client's RefreshTokenRotation: Feature ENABLED or DISABLED (required), a grace
/// period of 0 to 60 seconds.
fn refresh_rotation(given: RefreshTokenRotationIn) -> OpResult<RefreshRotation> {
    let feature = given.feature.ok_or_else(|| {
        CognitoError::validation(
            "refreshTokenRotation.feature",
            None,
            "Member must not be null",
        )
    })?;
    validate::one_of(
        "refreshTokenRotation.feature",
        &feature,
        &["ENABLED", "DISABLED"],
    )?;
    let grace = given.retry_grace_period_seconds.unwrap_or(0);
    let member = "refreshTokenRotation.retryGracePeriodSeconds";
    let shown = grace.to_string();
    if grace < 0 {
        return Err(CognitoError::validation(
            member,
            Some(&shown),
            "Member must have value greater than or equal to 0",
        ));
    }
    if grace > 60 {
        return Err(CognitoError::validation(
            member,
            Some(&shown),
            "Member must have value less than or equal to 60",
        ));
    }
    Ok(RefreshRotation {
        enabled: feature == "ENABLED",
        grace_seconds: grace as u32,
    })
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

    let flows = match s.explicit_auth_flows {
        Some(given) => validate::all_named(
            "explicitAuthFlows",
            &given,
            ExplicitAuthFlow::parse,
            ExplicitAuthFlow::NAMES,
        )?,
        None => DEFAULT_FLOWS.to_vec(),
    };
    let legacy = flows.iter().any(|f| f.is_legacy());
    let new = flows.iter().any(|f| !f.is_legacy());
    if legacy && new {
        return Err(CognitoError::invalid_parameter(
            "ExplicitAuthFlows cannot mix legacy values with ALLOW_ values.",
        ));
    }
    client.explicit_auth_flows = flows;

    client.prevent_user_existence_errors = match s.prevent_user_existence_errors {
        Some(prevent) => validate::named(
            "preventUserExistenceErrors",
            &prevent,
            PreventUserExistenceErrors::parse,
            PreventUserExistenceErrors::NAMES,
        )?,
        None => PreventUserExistenceErrors::Legacy,
    };
    client.read_attributes = s.read_attributes.unwrap_or_default();
    client.write_attributes = s.write_attributes.unwrap_or_default();
    client.enable_token_revocation = s.enable_token_revocation.unwrap_or(true);
    client.refresh_rotation = s.refresh_token_rotation.map(refresh_rotation).transpose()?;
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
    let record = pools::get(ctx, &req.user_pool_id)?;
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
        secret: None,
        secrets: Vec::new(),
        created: ctx.now,
        modified: ctx.now,
        explicit_auth_flows: Vec::new(),
        prevent_user_existence_errors: PreventUserExistenceErrors::Legacy,
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
        refresh_rotation: None,
        metadata: None,
    };
    if req.generate_secret.unwrap_or(false) {
        client_secrets::first(&mut client, ctx.now);
    }
    apply_settings(&mut client, req.settings)?;
    client_oauth::check(ctx, &record, &client)?;
    if !clients::create(ctx, &client)? {
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

pub fn describe_user_pool_client(ctx: &Ctx<'_>, req: ClientIdRequest) -> OpResult<Value> {
    let client = clients::get(ctx, &req.user_pool_id, &req.client_id)?;
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
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut record = clients::get(ctx, &pool.id, &req.client_id)?;
    apply_settings(&mut record, req.settings)?;
    client_oauth::check(ctx, &pool, &record)?;
    record.modified = ctx.now;
    clients::save(ctx, &record)?;
    Ok(json!({ "UserPoolClient": user_pool_client(&record) }))
}

pub fn delete_user_pool_client(ctx: &Ctx<'_>, req: ClientIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = clients::get(ctx, &pool.id, &req.client_id)?;
    clients::delete(ctx, &record)?;
    // Its branding style and terms documents go with it.
    branding::forget_client(ctx, &pool, &record)?;
    terms::forget_client(ctx, &pool, &record)?;
    // Its own risk and session configurations go with it.
    for config in [
        Config::Risk(Some(&record.id)),
        Config::ClientSessions(&record.id),
    ] {
        configs::delete(ctx, &pool, config)?;
    }
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
    let record = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.max_results);
    let listed = clients::list(ctx, &record, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let listed: Vec<Value> = listed.iter().map(description).collect();
    Ok(crate::model::page(
        "UserPoolClients",
        &listed,
        "NextToken",
        next,
    ))
}
