//! Resource servers: an identifier and the custom scopes it defines, which app clients
//! name as `IDENTIFIER/SCOPE` in their OAuth scopes.

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use crate::error::{CognitoError, OpResult};
use crate::store::Record;

/// A scope a resource server defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ScopeRecord {
    /// `ScopeName`.
    pub name: String,
    /// `ScopeDescription`.
    pub description: String,
}

/// A resource server of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ResourceServerRecord {
    /// Its identifier (often a URL), unique in the pool.
    pub identifier: String,
    /// Its name.
    pub name: String,
    /// Its scopes, in the order given.
    pub scopes: Vec<ScopeRecord>,
}

impl Record for ResourceServerRecord {
    const KIND: &'static str = "resource_server";
}

/// The error for an unknown resource server.
fn not_found(identifier: &str) -> CognitoError {
    CognitoError::not_found(format!("Resource server {identifier} does not exist."))
}

/// A resource server of the pool, if there is one.
pub fn find(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    identifier: &str,
) -> OpResult<Option<ResourceServerRecord>> {
    Ok(ctx.tx().get(&pool.id, identifier)?)
}

/// A resource server of the pool, or `ResourceNotFoundException`.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, identifier: &str) -> OpResult<ResourceServerRecord> {
    find(ctx, pool, identifier)?.ok_or_else(|| not_found(identifier))
}

/// Stores a new resource server; `false` if its identifier is taken.
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, server: &ResourceServerRecord) -> OpResult<bool> {
    Ok(ctx.tx().insert(&pool.id, &server.identifier, server)?)
}

/// Saves a changed resource server.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, server: &ResourceServerRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &server.identifier, server)?)
}

/// Deletes a resource server.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, server: &ResourceServerRecord) -> OpResult<()> {
    ctx.tx()
        .delete::<ResourceServerRecord>(&pool.id, &server.identifier)?;
    Ok(())
}

/// A pool's resource servers in identifier order after `after`, at most `limit`.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, ResourceServerRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}

/// Whether `IDENTIFIER/SCOPE` names a scope some resource server of the pool defines.
/// The identifier may itself hold slashes (a URL): the scope is after the last one.
pub fn defines(ctx: &Ctx<'_>, pool: &PoolRecord, scope: &str) -> OpResult<bool> {
    let Some((identifier, name)) = scope.rsplit_once('/') else {
        return Ok(false);
    };
    Ok(find(ctx, pool, identifier)?
        .is_some_and(|server| server.scopes.iter().any(|s| s.name == name)))
}
