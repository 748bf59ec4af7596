//! Client ID metadata document (CIMD) policies: for one app client, the https URL
//! patterns an OAuth client's `client_id` may match, and how long a fetched metadata
//! document is cached. Kept by their id in the pool. A policy outlives its app client
//! ("Amazon Cognito omits this value when the app client no longer exists").

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use crate::clock::UnixTime;
use crate::error::{CognitoError, OpResult};
use crate::store::Record;

/// A CIMD policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CimdPolicyRecord {
    /// `CIMDPolicyId`: lowercase letters and digits.
    pub id: String,
    /// The app client it maps the URLs to.
    pub client_id: String,
    /// `PolicyName`.
    pub name: String,
    /// `CacheDuration`, seconds, as given.
    pub cache_duration: Option<i64>,
    /// `URLPatterns`.
    pub url_patterns: Vec<String>,
    /// When it was created and last changed.
    pub created: UnixTime,
    pub modified: UnixTime,
}

impl Record for CimdPolicyRecord {
    const KIND: &'static str = "cimd_policy";
}

/// A new policy id.
pub fn new_id() -> String {
    super::random_string(super::LOWER_ALPHANUMERIC, 20)
}

/// A policy of the pool, or `ResourceNotFoundException`.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<CimdPolicyRecord> {
    ctx.tx()
        .get(&pool.id, id)?
        .ok_or_else(|| CognitoError::not_found(format!("CIMD policy {id} does not exist.")))
}

/// Stores a policy (new or changed).
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, policy: &CimdPolicyRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &policy.id, policy)?)
}

/// Deletes a policy.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, policy: &CimdPolicyRecord) -> OpResult<()> {
    ctx.tx().delete::<CimdPolicyRecord>(&pool.id, &policy.id)?;
    Ok(())
}

/// A pool's policies in id order after `after`, at most `limit`.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, CimdPolicyRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}
