//! App clients: kept in their pool's scope, found by id alone through a global lookup
//! (self-service requests name only the client).

use super::records::{ClientRecord, PoolRecord};
use super::{Ctx, client_secrets, pools};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The global lookup from a client id to its pool.
const ID_LOOKUP: &str = "id";

fn not_found(client_id: &str) -> CognitoError {
    CognitoError::not_found(format!("User pool client {client_id} does not exist."))
}

/// A pool's client, or the error the service gives for an unknown one.
pub fn get(ctx: &Ctx<'_>, pool_id: &str, client_id: &str) -> OpResult<ClientRecord> {
    let pool = pools::get(ctx, pool_id)?;
    find(ctx, &pool, client_id)?.ok_or_else(|| not_found(client_id))
}

/// A client of the pool, if there is one.
pub fn find(ctx: &Ctx<'_>, pool: &PoolRecord, client_id: &str) -> OpResult<Option<ClientRecord>> {
    Ok(ctx.tx().get(&pool.id, client_id)?)
}

/// The client of a self-service request (which names no pool), and its pool.
pub fn by_id(ctx: &Ctx<'_>, client_id: &str) -> OpResult<(PoolRecord, ClientRecord)> {
    let pool_id = ctx
        .tx()
        .lookup::<ClientRecord>("", ID_LOOKUP, client_id)?
        .ok_or_else(|| not_found(client_id))?;
    let pool = pools::get(ctx, &pool_id)?;
    let client = find(ctx, &pool, client_id)?.ok_or_else(|| not_found(client_id))?;
    Ok((pool, client))
}

/// Stores a new client; `false` if its id is taken.
pub fn create(ctx: &Ctx<'_>, client: &ClientRecord) -> OpResult<bool> {
    Ok(ctx.tx().insert(&client.pool_id, &client.id, client)?
        && ctx
            .tx()
            .set_lookup::<ClientRecord>("", ID_LOOKUP, &client.id, &client.pool_id)?)
}

/// Saves a changed client.
pub fn save(ctx: &Ctx<'_>, client: &ClientRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&client.pool_id, &client.id, client)?)
}

/// Deletes a client.
pub fn delete(ctx: &Ctx<'_>, client: &ClientRecord) -> OpResult<()> {
    ctx.tx()
        .delete::<ClientRecord>(&client.pool_id, &client.id)?;
    ctx.tx()
        .remove_lookup::<ClientRecord>("", ID_LOOKUP, &client.id)?;
    Ok(())
}

/// Forgets every client of a pool (with the pool's deletion).
pub fn delete_all(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<()> {
    // Client ids point at their pool from the global scope.
    ctx.tx()
        .clear_lookup::<ClientRecord>("", ID_LOOKUP, &pool.id)?;
    Ok(())
}

/// A pool's clients in id order after `after`, at most `limit`, each with its id.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, ClientRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}

/// Checks the client secret itself (GetTokensFromRefreshToken's ClientSecret) when the
/// client has one, in constant time.
pub fn check_secret(client: &ClientRecord, given: Option<&str>) -> OpResult<()> {
    if client.secret.is_none() {
        return Ok(());
    }
    match given {
        Some(given) if client_secrets::any(client, |secret| same(secret, given)) => Ok(()),
        Some(_) => Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "Unable to verify the client secret for client {}",
                client.id
            ),
        )),
        None => Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "Client {} is configured with secret but ClientSecret was not received",
                client.id
            ),
        )),
    }
}

/// Checks SECRET_HASH for `username` when the client has a secret (in constant time).
pub fn check_secret_hash(
    client: &ClientRecord,
    username: &str,
    given: Option<&str>,
) -> OpResult<()> {
    if client.secret.is_none() {
        return Ok(());
    }
    let matches = |hash: &str| {
        client_secrets::any(client, |secret| {
            cognito_srp::verify_secret_hash(secret, username, &client.id, hash)
        })
    };
    match given {
        Some(hash) if matches(hash) => Ok(()),
        Some(_) => Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!("Unable to verify secret hash for client {}", client.id),
        )),
        None => Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "Client {} is configured for secret but secret was not received",
                client.id
            ),
        )),
    }
}

/// Whether a given secret is this one, in constant time.
pub fn same(secret: &str, given: &str) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(secret.as_bytes(), given.as_bytes()).is_ok()
}
