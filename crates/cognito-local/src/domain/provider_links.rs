//! Links from an identity at a pool's identity provider to an existing user
//! (AdminLinkProviderForUser): when that identity signs in, the linked user signs in
//! instead. A link names the provider, the attribute it matches on (`Cognito_Subject`,
//! the provider's subject, or a pool attribute the provider's claims are mapped onto)
//! and its value; it is linked to its user, and goes with it.

use serde::{Deserialize, Serialize};

use super::records::PoolRecord;
use super::{Ctx, LINK_USER};
use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::store::Record;

/// The attribute name that stands for the provider's own subject.
pub const SUBJECT: &str = "Cognito_Subject";

/// An identity linked to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProviderLinkRecord {
    /// The identity provider's name.
    pub provider: String,
    /// [`SUBJECT`] or a pool attribute.
    pub attribute: String,
    /// The identity's value of it.
    pub value: String,
    /// The user it signs in as.
    pub username: String,
    /// When it was made.
    pub created: UnixTime,
}

impl Record for ProviderLinkRecord {
    const KIND: &'static str = "provider_link";
}

/// The store key of a link: its three parts, unambiguously.
fn key(provider: &str, attribute: &str, value: &str) -> String {
    serde_json::json!([provider, attribute, value]).to_string()
}

/// The link of `provider`'s identity whose `attribute` is `value`, if there is one.
pub fn find(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    provider: &str,
    attribute: &str,
    value: &str,
) -> OpResult<Option<ProviderLinkRecord>> {
    Ok(ctx.tx().get(&pool.id, &key(provider, attribute, value))?)
}

/// Stores a link, linked to its user; `false` if that identity is linked already.
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, link: &ProviderLinkRecord) -> OpResult<bool> {
    let key = key(&link.provider, &link.attribute, &link.value);
    let tx = ctx.tx();
    if !tx.insert(&pool.id, &key, link)? {
        return Ok(false);
    }
    tx.link::<ProviderLinkRecord>(&pool.id, LINK_USER, &link.username, &key)?;
    Ok(true)
}

/// Removes a link.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, link: &ProviderLinkRecord) -> OpResult<()> {
    ctx.tx().delete::<ProviderLinkRecord>(
        &pool.id,
        &key(&link.provider, &link.attribute, &link.value),
    )?;
    Ok(())
}

/// The links of a user.
pub fn of_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
) -> OpResult<Vec<ProviderLinkRecord>> {
    Ok(ctx
        .tx()
        .linked::<ProviderLinkRecord>(&pool.id, LINK_USER, username)?
        .into_iter()
        .map(|(_, link)| link)
        .collect())
}

/// The links of a pool's provider (to count the attributes it links on).
pub fn of_provider(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    provider: &str,
) -> OpResult<Vec<ProviderLinkRecord>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = ctx
            .tx()
            .list::<ProviderLinkRecord>(&pool.id, after.as_deref(), 500)?;
        let Some((last, _)) = page.last() else {
            break;
        };
        after = Some(last.clone());
        out.extend(
            page.into_iter()
                .map(|(_, link)| link)
                .filter(|link| link.provider == provider),
        );
    }
    Ok(out)
}

/// Removes a provider's links (the provider is being deleted: one made again under its
/// name must not inherit them).
pub fn delete_all_of_provider(ctx: &Ctx<'_>, pool: &PoolRecord, provider: &str) -> OpResult<()> {
    for link in of_provider(ctx, pool, provider)? {
        delete(ctx, pool, &link)?;
    }
    Ok(())
}

/// Removes a user's links (the user is being deleted).
pub fn delete_all_of(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<()> {
    ctx.tx()
        .delete_linked::<ProviderLinkRecord>(&pool.id, LINK_USER, username)?;
    Ok(())
}
