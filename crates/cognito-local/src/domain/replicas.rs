//! Replicas of a user pool in other regions (Create/Update/Delete/ListUserPoolReplicas).
//! They are kept and answered as the service answers them; no second region runs, so
//! a replica is ready as soon as it is made (the service reports CREATING at first,
//! then ACTIVE: here the first answer says CREATING and every later one ACTIVE).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Ctx;
use super::records::PoolRecord;
use super::state::ReplicaStatus;
use crate::error::{CognitoError, OpResult};
use crate::store::Record;

/// A secondary replica.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReplicaRecord {
    /// Its region.
    pub region: String,
    /// ACTIVE or INACTIVE.
    pub status: ReplicaStatus,
    /// `UserPoolTags` given at its creation.
    pub tags: Map<String, Value>,
}

impl Record for ReplicaRecord {
    const KIND: &'static str = "replica";
}

fn key(region: &str) -> String {
    format!("replica\u{1f}{region}")
}

fn not_found(pool: &PoolRecord, region: &str) -> CognitoError {
    CognitoError::not_found(format!("User pool {} has no replica in {region}.", pool.id))
}

/// The pool's secondary replicas, by region.
pub fn list(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Vec<ReplicaRecord>> {
    let prefix = key("");
    Ok(ctx
        .tx()
        .list::<ReplicaRecord>(&pool.id, None, usize::MAX)?
        .into_iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, r)| r)
        .collect())
}

/// A replica in a region the pool is not in and has none in yet.
pub fn create(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    region: &str,
    tags: Map<String, Value>,
) -> OpResult<ReplicaRecord> {
    if region == pool.region {
        return Err(CognitoError::invalid_parameter(format!(
            "User pool {} is in {region} already: a replica goes to another region.",
            pool.id
        )));
    }
    if ctx
        .tx()
        .get::<ReplicaRecord>(&pool.id, &key(region))?
        .is_some()
    {
        return Err(CognitoError::invalid_parameter(format!(
            "User pool {} has a replica in {region} already.",
            pool.id
        )));
    }
    let replica = ReplicaRecord {
        region: region.to_owned(),
        status: ReplicaStatus::Active,
        tags,
    };
    ctx.tx().put(&pool.id, &key(region), &replica)?;
    Ok(replica)
}

/// Activates or deactivates a replica.
pub fn set_status(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    region: &str,
    status: ReplicaStatus,
) -> OpResult<ReplicaRecord> {
    let mut replica = ctx
        .tx()
        .get::<ReplicaRecord>(&pool.id, &key(region))?
        .ok_or_else(|| not_found(pool, region))?;
    replica.status = status;
    ctx.tx().put(&pool.id, &key(region), &replica)?;
    Ok(replica)
}

/// "You can only delete replicas that are in the INACTIVE status." (API reference)
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, region: &str) -> OpResult<ReplicaRecord> {
    let replica = ctx
        .tx()
        .get::<ReplicaRecord>(&pool.id, &key(region))?
        .ok_or_else(|| not_found(pool, region))?;
    if replica.status != ReplicaStatus::Inactive {
        return Err(CognitoError::invalid_parameter(format!(
            "The replica in {region} is {}: only INACTIVE replicas can be deleted.",
            replica.status
        )));
    }
    ctx.tx().delete::<ReplicaRecord>(&pool.id, &key(region))?;
    Ok(replica)
}

/// A `UserPoolReplicaType` (the pool's id is the same in every region).
pub fn describe(pool: &PoolRecord, region: &str, status: ReplicaStatus, primary: bool) -> Value {
    json!({
        "RegionName": region,
        "Status": status,
        "Role": if primary { "PRIMARY" } else { "SECONDARY" },
        "UserPoolArn": format!("arn:aws:cognito-idp:{region}:000000000000:userpool/{}", pool.id),
    })
}
