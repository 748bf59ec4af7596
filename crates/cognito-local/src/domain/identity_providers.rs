//! A pool's identity providers: the social ones (named as their type), OIDC and SAML
//! providers, each with its details (the client settings and endpoints of the
//! provider), the mapping of its claims onto the pool's attributes, and the identifiers
//! (email domains, say) that pick it at sign-in. Kept under their name in the pool;
//! each identifier, lowercased, looks its provider up.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use super::state::ProviderType;
use crate::clock::UnixTime;
use crate::error::{CognitoError, OpResult};
use crate::store::Record;

/// The lookup from an identifier (lowercased) to its provider's name.
const IDENTIFIER_LOOKUP: &str = "idp_identifier";

/// An identity provider of a pool.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IdentityProviderRecord {
    /// `ProviderName`, unique in the pool.
    pub name: String,
    /// `ProviderType`.
    pub kind: ProviderType,
    /// `ProviderDetails`, as given (the keys AWS derives are added when shown).
    pub details: BTreeMap<String, String>,
    /// `AttributeMapping`: pool attribute to the provider's claim.
    pub attribute_mapping: BTreeMap<String, String>,
    /// `IdpIdentifiers`.
    pub identifiers: Vec<String>,
    /// `AcrMapping`: `Level1`..`Level4` to the provider's ACR values.
    pub acr_mapping: BTreeMap<String, String>,
    /// When it was created and last changed.
    pub created: UnixTime,
    pub modified: UnixTime,
}

/// Shown without its details' values: they hold the client secret.
impl std::fmt::Debug for IdentityProviderRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityProviderRecord")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("details", &self.details.keys().collect::<Vec<_>>())
            .field("attribute_mapping", &self.attribute_mapping)
            .field("identifiers", &self.identifiers)
            .finish_non_exhaustive()
    }
}

impl Record for IdentityProviderRecord {
    const KIND: &'static str = "identity_provider";
}

/// The error for a provider the pool does not have.
pub fn not_found(name: &str) -> CognitoError {
    CognitoError::not_found(format!("Identity provider {name} does not exist."))
}

/// A provider of the pool by name, if it has one.
pub fn find(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    name: &str,
) -> OpResult<Option<IdentityProviderRecord>> {
    Ok(ctx.tx().get(&pool.id, name)?)
}

/// A provider of the pool by name, or `ResourceNotFoundException`.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, name: &str) -> OpResult<IdentityProviderRecord> {
    find(ctx, pool, name)?.ok_or_else(|| not_found(name))
}

/// The provider an identifier picks (case-insensitively), if any.
pub fn by_identifier(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    identifier: &str,
) -> OpResult<Option<IdentityProviderRecord>> {
    let key = identifier.to_lowercase();
    match ctx
        .tx()
        .lookup::<IdentityProviderRecord>(&pool.id, IDENTIFIER_LOOKUP, &key)?
    {
        Some(name) => find(ctx, pool, &name),
        None => Ok(None),
    }
}

/// Points the provider's identifiers at it: an identifier of another provider is
/// refused ("Identifiers must be unique across the identity provider", the developer
/// guide says of SAML identifiers; the message is this server's).
fn claim_identifiers(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    provider: &IdentityProviderRecord,
) -> OpResult<()> {
    let tx = ctx.tx();
    tx.clear_lookup::<IdentityProviderRecord>(&pool.id, IDENTIFIER_LOOKUP, &provider.name)?;
    for identifier in &provider.identifiers {
        let key = identifier.to_lowercase();
        if !tx.set_lookup::<IdentityProviderRecord>(
            &pool.id,
            IDENTIFIER_LOOKUP,
            &key,
            &provider.name,
        )? {
            return Err(CognitoError::invalid_parameter(format!(
                "The identifier {identifier} is already used by another identity provider of the user pool."
            )));
        }
    }
    Ok(())
}

/// Stores a new provider; `false` if its name is taken.
pub fn create(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    provider: &IdentityProviderRecord,
) -> OpResult<bool> {
    if find(ctx, pool, &provider.name)?.is_some() {
        return Ok(false);
    }
    claim_identifiers(ctx, pool, provider)?;
    Ok(ctx.tx().insert(&pool.id, &provider.name, provider)?)
}

/// Saves a changed provider (its identifiers claimed anew).
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, provider: &IdentityProviderRecord) -> OpResult<()> {
    claim_identifiers(ctx, pool, provider)?;
    Ok(ctx.tx().put(&pool.id, &provider.name, provider)?)
}

/// Deletes a provider, with its identifiers.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, provider: &IdentityProviderRecord) -> OpResult<()> {
    ctx.tx()
        .delete::<IdentityProviderRecord>(&pool.id, &provider.name)?;
    super::provider_links::delete_all_of_provider(ctx, pool, &provider.name)?;
    Ok(())
}

/// A pool's providers in name order after `after`, at most `limit`.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, IdentityProviderRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}
