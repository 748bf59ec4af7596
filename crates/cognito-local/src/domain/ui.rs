//! Hosted-UI customization of a pool (client `ALL`) or of one app client: CSS and a
//! logo, kept in the pool's scope.

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::store::Record;

/// Hosted-UI customization of a pool (`ALL`) or of an app client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UiCustomizationRecord {
    /// The app client, or `ALL`.
    pub client_id: String,
    /// The CSS, as given.
    pub css: Option<String>,
    /// The logo, base64.
    pub image: Option<String>,
    /// When it was first set.
    pub created: UnixTime,
    /// When it last changed.
    pub modified: UnixTime,
}

impl Record for UiCustomizationRecord {
    const KIND: &'static str = "ui_customization";
}

/// The client id that stands for every client of the pool.
pub const ALL: &str = "ALL";

fn key(client_id: &str) -> String {
    format!("ui\u{1f}{client_id}")
}

/// The customization set for `client_id` (or [`ALL`]), if any.
pub fn get(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
) -> OpResult<Option<UiCustomizationRecord>> {
    Ok(ctx.tx().get(&pool.id, &key(client_id))?)
}

/// What applies to `client_id`: its own customization, else the pool's.
pub fn effective(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
) -> OpResult<Option<UiCustomizationRecord>> {
    match get(ctx, pool, client_id)? {
        Some(own) => Ok(Some(own)),
        None if client_id != ALL => get(ctx, pool, ALL),
        None => Ok(None),
    }
}

/// Saves a customization.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, record: &UiCustomizationRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &key(&record.client_id), record)?)
}
