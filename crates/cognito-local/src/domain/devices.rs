//! Devices a pool tracks for a user: made unconfirmed at a sign-in, confirmed with an
//! SRP verifier, found by key (and by user through a link).

use cognito_srp::{Identity, Verifier};

use super::records::{DeviceRecord, PoolRecord, UserRecord};
use super::state::DeviceRememberedStatus;
use super::{Ctx, LINK_USER, passwords, random_string, users};
use crate::error::{CognitoError, OpResult};

/// The service's answer to a device the user does not have.
pub fn not_found() -> CognitoError {
    CognitoError::not_found("Device does not exist.")
}

/// A device of the user, if the user has it.
pub fn find(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    key: &str,
) -> OpResult<Option<DeviceRecord>> {
    let device: Option<DeviceRecord> = ctx.tx().get(&pool.id, key)?;
    Ok(device.filter(|d| d.username == user.username))
}

/// A device of the user, or `ResourceNotFoundException`.
pub fn of_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    key: &str,
) -> OpResult<DeviceRecord> {
    find(ctx, pool, user, key)?.ok_or_else(not_found)
}

/// A new, unconfirmed device for a sign-in: what NewDeviceMetadata describes. A user's
/// first device gives the user a device group key (saved with the user).
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> OpResult<DeviceRecord> {
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
            users::save_sign_in_state(ctx, pool, user)?;
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
        remembered: DeviceRememberedStatus::NotRemembered,
        created: ctx.now,
        modified: ctx.now,
        last_authenticated: Some(ctx.now),
    };
    save(ctx, pool, &device)?;
    ctx.tx()
        .link::<DeviceRecord>(&pool.id, LINK_USER, &user.username, &device.key)?;
    Ok(device)
}

/// Saves a changed device.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, device: &DeviceRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &device.key, device)?)
}

/// Forgets a device.
pub fn forget(ctx: &Ctx<'_>, pool: &PoolRecord, device: &DeviceRecord) -> OpResult<()> {
    ctx.tx().delete::<DeviceRecord>(&pool.id, &device.key)?;
    Ok(())
}

/// The user's confirmed devices in key order after `after`.
pub fn confirmed_of(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    after: Option<&str>,
) -> OpResult<Vec<(String, DeviceRecord)>> {
    Ok(ctx
        .tx()
        .linked::<DeviceRecord>(&pool.id, LINK_USER, &user.username)?
        .into_iter()
        .filter(|(key, d)| d.verifier.is_some() && after.is_none_or(|a| key.as_str() > a))
        .collect())
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
