//! Devices: ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice and
//! their Admin twins.

use cognito_srp::{DeviceSecretVerifierConfig, Verifier};
use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::page;
use crate::domain::access::user_of as access_user;
use crate::domain::records::{DeviceRecord, PoolRecord, UserRecord};
use crate::domain::state::DeviceRememberedStatus;
use crate::domain::{Ctx, devices, pools, users};
use crate::error::{CognitoError, OpResult};
use crate::model::device::DeviceType;
use crate::validate;

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
    let (pool, user, _) = access_user(ctx, &req.access_token)?;
    let mut device = devices::of_user(ctx, &pool, &user, &req.device_key)?;
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
    device.remembered = if prompt {
        DeviceRememberedStatus::NotRemembered
    } else {
        DeviceRememberedStatus::Remembered
    };
    device.modified = ctx.now;
    devices::save(ctx, &pool, &device)?;
    Ok(json!({ "UserConfirmationNecessary": prompt }))
}

/// The user of a device request: by access token, or by pool and user name (admin).
fn owner(
    ctx: &Ctx<'_>,
    access_token: Option<&str>,
    admin: Option<(&str, &str)>,
) -> OpResult<(PoolRecord, UserRecord)> {
    match (access_token, admin) {
        (Some(token), _) => access_user(ctx, token).map(|(p, u, _)| (p, u)),
        (None, Some((pool_id, username))) => {
            let pool = pools::get(ctx, pool_id)?;
            let user = users::require(ctx, &pool, username)?;
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
    let device = devices::of_user(ctx, &pool, &user, &req.device_key)?;
    Ok((pool, device))
}

pub fn get_device(ctx: &Ctx<'_>, req: DeviceRequest) -> OpResult<Value> {
    let (_, device) = get(ctx, &req)?;
    Ok(json!({ "Device": DeviceType::of(&device) }))
}

pub fn update_device_status(ctx: &Ctx<'_>, req: DeviceRequest) -> OpResult<Value> {
    let (pool, mut device) = get(ctx, &req)?;
    device.remembered = match req.device_remembered_status.as_deref() {
        Some(status) => validate::named(
            "deviceRememberedStatus",
            status,
            DeviceRememberedStatus::parse,
            DeviceRememberedStatus::NAMES,
        )?,
        None => DeviceRememberedStatus::Remembered,
    };
    device.modified = ctx.now;
    devices::save(ctx, &pool, &device)?;
    Ok(json!({}))
}

pub fn forget_device(ctx: &Ctx<'_>, req: DeviceRequest) -> OpResult<Value> {
    let (pool, device) = get(ctx, &req)?;
    devices::forget(ctx, &pool, &device)?;
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
    let limit = validate::page_size(req.limit);
    let mine = devices::confirmed_of(ctx, &pool, &user, req.pagination_token.as_deref())?;
    let (mine, next) = page(mine, None, limit);
    let mine: Vec<DeviceType> = mine.iter().map(DeviceType::of).collect();
    Ok(crate::model::page(
        "Devices",
        &mine,
        "PaginationToken",
        next,
    ))
}
