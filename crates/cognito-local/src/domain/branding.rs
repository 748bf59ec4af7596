//! Managed login branding styles: the settings (a JSON document in the branding
//! editor's schema) and image assets of an app client's managed login pages. A style
//! belongs to one app client, and a client has at most one (AWS's
//! `ManagedLoginBrandingExistsException`): styles are kept under their id in the pool,
//! with a lookup from the client.

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::{ClientRecord, PoolRecord};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// The lookup from an app client's id to its style's id.
const CLIENT_LOOKUP: &str = "client";

/// An image of a style (`AssetType`), as given: the model checks its enums and sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AssetRecord {
    /// `Category`: where the image goes (`PAGE_HEADER_LOGO`, `FAVICON_ICO`...).
    pub category: String,
    /// `ColorMode`: `LIGHT`, `DARK` or `DYNAMIC`.
    pub color_mode: String,
    /// `Extension`: `PNG`, `SVG`...
    pub extension: String,
    /// `Bytes`, base64 as on the wire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
    /// `ResourceId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

/// A branding style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct BrandingRecord {
    /// `ManagedLoginBrandingId`, a UUID.
    pub id: String,
    /// The app client it styles.
    pub client_id: String,
    /// `UseCognitoProvidedValues`: Cognito's own style, no settings of its own.
    pub cognito_provided: bool,
    /// `Settings`, when the style has its own.
    pub settings: Option<serde_json::Value>,
    /// `Assets`.
    pub assets: Vec<AssetRecord>,
    /// When it was created and last changed.
    pub created: UnixTime,
    pub modified: UnixTime,
}

impl Record for BrandingRecord {
    const KIND: &'static str = "managed_login_branding";
}

/// The error for a style that is not there (floci's measurement of AWS's message).
fn not_found() -> CognitoError {
    CognitoError::not_found("ManagedLoginBranding does not exist.")
}

/// A style of the pool by id, or `ResourceNotFoundException`.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<BrandingRecord> {
    ctx.tx().get(&pool.id, id)?.ok_or_else(not_found)
}

/// The style of an app client, if it has one.
pub fn of_client(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
) -> OpResult<Option<BrandingRecord>> {
    let Some(id) = ctx
        .tx()
        .lookup::<BrandingRecord>(&pool.id, CLIENT_LOOKUP, client_id)?
    else {
        return Ok(None);
    };
    Ok(ctx.tx().get(&pool.id, &id)?)
}

/// Stores a new style for its client: `ManagedLoginBrandingExistsException` if the
/// client has one already.
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, style: &BrandingRecord) -> OpResult<()> {
    let tx = ctx.tx();
    if !tx.set_lookup::<BrandingRecord>(&pool.id, CLIENT_LOOKUP, &style.client_id, &style.id)? {
        return Err(CognitoError::new(
            ErrorKind::ManagedLoginBrandingExistsException,
            format!(
                "A ManagedLoginBranding already exists for client {}",
                style.client_id
            ),
        ));
    }
    if !tx.insert(&pool.id, &style.id, style)? {
        return Err(CognitoError::internal("a branding style id was taken"));
    }
    Ok(())
}

/// Saves a changed style.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, style: &BrandingRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &style.id, style)?)
}

/// Deletes a style: its client's pages have none until another is made.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, style: &BrandingRecord) -> OpResult<()> {
    // The client's lookup goes with the record.
    ctx.tx().delete::<BrandingRecord>(&pool.id, &style.id)?;
    Ok(())
}

/// Deletes a client's style, with the client.
pub fn forget_client(ctx: &Ctx<'_>, pool: &PoolRecord, client: &ClientRecord) -> OpResult<()> {
    match of_client(ctx, pool, &client.id)? {
        Some(style) => delete(ctx, pool, &style),
        None => Ok(()),
    }
}
