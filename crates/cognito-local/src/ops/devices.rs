//! Devices: ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice and
//! their Admin twins; new devices at sign-in.

use cognito_srp::{DeviceSecretVerifierConfig, Identity, Verifier};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, directory, page, passwords, pool, random_string, validate};
use crate::protocol::{CognitoError, OpResult};
use crate::store::{DeviceRecord, PoolRecord, UserRecord};

fn not_found() -> CognitoError {
    CognitoError::not_found("Device does not exist.")
}

/// A device of the user, or `ResourceNotFoundException`.
pub fn device_of(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    key: &str,
) -> OpResult<DeviceRecord> {
    ctx.store
        .get::<DeviceRecord>(&pool.id, key)?
        .filter(|d| d.username == user.username)
        .ok_or_else(not_found)
}

/// A new, unconfirmed device for a sign-in: what NewDeviceMetadata describes.
pub fn new_device(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
) -> OpResult<DeviceRecord> {
    let group_key = match &user.device_group_key {
        Some(key) => key.clone(),
        None => {
            let key = format!(
                "-{}",
                random_string(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                    8
                )
            );
            user.device_group_key = Some(key.clone());
            directory::save(ctx, pool, user)?;
            key
        }
    };
    let device = DeviceRecord {
        key: format!("{}_{}", pool.region, uuid::Uuid::new_v4()),
        group_key,
        username: user.username.clone(),
        name: None,
        salt: None,
        verifier: None,
        remembered: false,
        created: ctx.now,
        modified: ctx.now,
        last_authenticated: Some(ctx.now),
    };
    ctx.store.put(&pool.id, &device.key, &device)?;
    Ok(device)
}

/// The device's SRP identity and verifier, once confirmed.
pub fn srp(device: &DeviceRecord) -> OpResult<Option<(Identity, Verifier)>> {
    let (Some(salt), Some(v)) = (&device.salt, &device.verifier) else {
        return Ok(None);
    };
    let verifier = Verifier::from_parts(&passwords::from_hex(salt)?, &passwords::from_hex(v)?)
        .map_err(CognitoError::internal)?;
    Ok(Some((
        Identity::for_device(&device.group_key, &device.key),
        verifier,
    )))
}

/// A `DeviceType`.
fn device_type(device: &DeviceRecord) -> Value {
    let status = if device.remembered {
        "remembered"
    } else {
        "not_remembered"
    };
    let mut attributes = vec![
        json!({"Name": "device_status", "Value": "valid"}),
        json!({"Name": "dev:device_remembered_status", "Value": status}),
    ];
    if let Some(name) = &device.name {
        attributes.push(json!({"Name": "device_name", "Value": name}));
    }
    let mut out = json!({
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": device.modified,
    });
    if let Some(at) = device.last_authenticated {
        out["DeviceLastAuthenticatedDate"] = json!(at);
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifierConfigIn {
    password_verifier: String,
    salt: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    access_token: String,
    device_key: String,
    device_secret_verifier_config: Option<VerifierConfigIn>,
    device_name: Option<String>,
}

pub fn confirm_device(ctx: &Ctx<'_>, req: ConfirmDeviceRequest) -> OpResult<Value> {
    let (pool, user, _) = super::signed_in::access_user(ctx, &req.access_token)?;
    let mut device = device_of(ctx, &pool, &user, &req.device_key)?;
    let config = req.device_secret_verifier_config.ok_or_else(|| {
        CognitoError::invalid_parameter("DeviceSecretVerifierConfig is required.")
    })?;
    let verifier = Verifier::from_device_config(&DeviceSecretVerifierConfig {
        password_verifier: config.password_verifier,
        salt: config.salt,
    })
    .map_err(|e| {
        CognitoError::invalid_parameter(format!("Invalid DeviceSecretVerifierConfig: {e}"))
    })?;
    device.salt = Some(crate::hex::encode(verifier.salt()));
    device.verifier = Some(crate::hex::encode(&verifier.verifier_bytes()));
    device.name = req.device_name;
    let prompt = pool
        .devices
        .is_some_and(|d| d.device_only_remembered_on_user_prompt);
    device.remembered = !prompt;
    device.modified = ctx.now;
    ctx.store.put(&pool.id, &device.key, &device)?;
    Ok(json!({ "UserConfirmationNecessary": prompt }))
}

/// The user of a device request: by access token, or by pool and user name (admin).
fn owner(
    ctx: &Ctx<'_>,
    access_token: Option<&str>,
    admin: Option<(&str, &str)>,
) -> OpResult<(PoolRecord, UserRecord)> {
    match (access_token, admin) {
        (Some(token), _) => super::signed_in::access_user(ctx, token).map(|(p, u, _)| (p, u)),
        (None, Some((pool_id, username))) => {
            let pool = pool(ctx, pool_id)?;
            let user = directory::require(ctx, &pool, username)?;
            Ok((pool, user))
        }
        (None, None) => Err(CognitoError::validation(
            "accessToken",
            None,
            "Member must not be null",
        )),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceRequest {
    device_key: String,
    access_token: Option<String>,
    user_pool_id: Option<String>,
    username: Option<String>,
    device_remembered_status: Option<String>,
}

impl DeviceRequest {
    fn admin(&self) -> Option<(&str, &str)> {
        Some((self.user_pool_id.as_deref()?, self.username.as_deref()?))
    }
}

fn get(ctx: &Ctx<'_>, req: &DeviceRequest) -> OpResult<(PoolRecord, DeviceRecord)> {
    let (pool, user) = owner(ctx, req.access_token.as_deref(), req.admin())?;
    let device = device_of(ctx, &pool, &user, &req.device_key)?;
    Ok((pool, device))
}

pub fn get_device(ctx: &Ctx<'_>, req: DeviceRequest) -> OpResult<Value> {
    let (_, device) = get(ctx, &req)?;
    Ok(json!({ "Device": device_type(&device) }))
}

pub fn update_device_status(ctx: &Ctx<'_>, req: DeviceRequest) -> OpResult<Value> {
    let (pool, mut device) = get(ctx, &req)?;
    let status = req
        .device_remembered_status
        .as_deref()
        .unwrap_or("remembered");
    validate::one_of(
        "deviceRememberedStatus",
        status,
        &["remembered", "not_remembered"],
    )?;
    device.remembered = status == "remembered";
    device.modified = ctx.now;
    ctx.store.put(&pool.id, &device.key, &device)?;
    Ok(json!({}))
}

pub fn forget_device(ctx: &Ctx<'_>, req: DeviceRequest) -> OpResult<Value> {
    let (pool, device) = get(ctx, &req)?;
    ctx.store.delete::<DeviceRecord>(&pool.id, &device.key)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    access_token: Option<String>,
    user_pool_id: Option<String>,
    username: Option<String>,
    limit: Option<i64>,
    pagination_token: Option<String>,
}

pub fn list_devices(ctx: &Ctx<'_>, req: ListDevicesRequest) -> OpResult<Value> {
    let admin = req.user_pool_id.as_deref().zip(req.username.as_deref());
    let (pool, user) = owner(ctx, req.access_token.as_deref(), admin)?;
    let limit = validate::max_results("limit", req.limit.unwrap_or(60), 60)?;
    let mine: Vec<(String, DeviceRecord)> = ctx
        .store
        .list::<DeviceRecord>(&pool.id, req.pagination_token.as_deref(), usize::MAX)?
        .into_iter()
        .filter(|(_, d)| d.username == user.username && d.verifier.is_some())
        .collect();
    let (devices, next) = page(mine, None, limit);
    let devices = devices.iter().map(device_type).collect();
    Ok(crate::model::page(
        "Devices",
        devices,
        "PaginationToken",
        next,
    ))
}
