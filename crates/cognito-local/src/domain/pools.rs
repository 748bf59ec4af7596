//! User pools and their signing keys. Pools live in the global scope; everything
//! else of a pool lives in the pool's own scope.

use std::sync::Arc;

use serde_json::Value;

use super::Ctx;
use super::records::{KeyRecord, PoolRecord, UserRecord};
use super::state::{AdvancedSecurityMode, Tier};
use crate::error::{CognitoError, OpResult};
use crate::tokens::SigningKey;

/// The scope of records that belong to no pool.
const GLOBAL: &str = "";

/// A pool, or the error the service gives for an unknown one.
pub fn get(ctx: &Ctx<'_>, id: &str) -> OpResult<PoolRecord> {
    find(ctx, id)?
        .filter(|pool| in_scope(ctx, pool))
        .ok_or_else(|| CognitoError::not_found(format!("User pool {id} does not exist.")))
}

/// Whether a signed request may see the pool: pools live in their region.
pub fn in_scope(ctx: &Ctx<'_>, pool: &PoolRecord) -> bool {
    ctx.caller
        .signed_region
        .as_deref()
        .is_none_or(|region| region == pool.region)
}

/// A pool, if there is one.
pub fn find(ctx: &Ctx<'_>, id: &str) -> OpResult<Option<PoolRecord>> {
    Ok(ctx.tx().get(GLOBAL, id)?)
}

/// Stores a new pool with its signing key; `false` if the id is taken.
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, key: &KeyRecord) -> OpResult<bool> {
    if !ctx.tx().insert(GLOBAL, &pool.id, pool)? {
        return Ok(false);
    }
    ctx.tx().put(&pool.id, &key.kid, key)?;
    Ok(true)
}

/// Saves a changed pool.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<()> {
    Ok(ctx.tx().put(GLOBAL, &pool.id, pool)?)
}

/// Deletes a pool and everything in its scope (its clients' global lookups go with
/// `clients::delete_all`).
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<()> {
    ctx.tx().delete_scope(&pool.id)?;
    ctx.tx().delete::<PoolRecord>(GLOBAL, &pool.id)?;
    Ok(())
}

/// Pools in id order after `after`, at most `limit`, each with its id.
pub fn list(
    ctx: &Ctx<'_>,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, PoolRecord)>> {
    Ok(ctx.tx().list(GLOBAL, after, limit)?)
}

/// How many users a pool has.
pub fn user_count(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<u64> {
    Ok(ctx.tx().count::<UserRecord>(&pool.id)?)
}

fn keys(ctx: &Ctx<'_>, pool_id: &str) -> OpResult<Vec<Arc<SigningKey>>> {
    ctx.tx()
        .list::<KeyRecord>(pool_id, None, usize::MAX)?
        .into_iter()
        .map(|(_, record)| SigningKey::load(&record.kid, &record.pkcs8))
        .collect()
}

/// The key the pool signs with.
pub fn signing_key(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Arc<SigningKey>> {
    keys(ctx, &pool.id)?
        .into_iter()
        .next()
        .ok_or_else(|| CognitoError::internal("pool has no signing key"))
}

/// GetSigningCertificate's certificate for the pool's key (signed outside the store's
/// lock).
pub fn signing_certificate(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<String> {
    let (_, key) = ctx
        .tx()
        .list::<KeyRecord>(&pool.id, None, 1)?
        .into_iter()
        .next()
        .ok_or_else(|| CognitoError::internal("pool has no signing key"))?;
    let (pool_id, issued) = (pool.id.as_str(), pool.created);
    ctx.unlocked(|| crate::certificate::signing_certificate(&key.pkcs8, pool_id, issued))?
}

/// The pool's public keys as JWKs, or `None` if there is no such pool.
pub fn jwks(ctx: &Ctx<'_>, pool_id: &str) -> OpResult<Option<Vec<Value>>> {
    if find(ctx, pool_id)?.is_none() {
        return Ok(None);
    }
    Ok(Some(keys(ctx, pool_id)?.iter().map(|k| k.jwk()).collect()))
}

/// The pool's feature plan (`UserPoolTier`): ESSENTIALS unless set otherwise, as for
/// every pool created through the API since the tiers came (API reference, UserPoolTier).
pub fn tier(pool: &PoolRecord) -> Tier {
    pool.settings
        .get("UserPoolTier")
        .and_then(Value::as_str)
        .and_then(Tier::parse)
        .unwrap_or(Tier::Essentials)
}

/// The pool's threat protection (`UserPoolAddOns.AdvancedSecurityMode`), OFF unless set.
pub fn threat_protection(pool: &PoolRecord) -> AdvancedSecurityMode {
    pool.settings
        .get("UserPoolAddOns")
        .and_then(|addons| addons.get("AdvancedSecurityMode"))
        .and_then(Value::as_str)
        .and_then(AdvancedSecurityMode::parse)
        .unwrap_or(AdvancedSecurityMode::Off)
}
