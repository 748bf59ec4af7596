//! GetUICustomization and SetUICustomization: CSS and a logo for a pool's hosted UI,
//! for every client (`ALL`, or no ClientId) or for one. As the API reference says, a
//! client without its own gets the pool's; with neither, the answer is empty. The logo
//! is served at the `ImageUrl` the answer gives (`/_local/ui/{pool}/{client}/image`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::records::PoolRecord;
use crate::domain::ui::UiCustomizationRecord;
use crate::domain::{Ctx, clients, pools, ui};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The most bytes of CSS, and of a logo.
const MOST_BYTES: usize = 131_072;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUiCustomizationRequest {
    user_pool_id: String,
    client_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUiCustomizationRequest {
    user_pool_id: String,
    client_id: Option<String>,
    #[serde(rename = "CSS")]
    css: Option<String>,
    image_file: Option<String>,
}

/// The pool, and the client named (checked to be the pool's), or `ALL`.
fn target(ctx: &Ctx<'_>, pool_id: &str, client_id: Option<&str>) -> OpResult<(PoolRecord, String)> {
    let pool = pools::get(ctx, pool_id)?;
    let client = match client_id {
        None | Some(ui::ALL) => ui::ALL.to_owned(),
        Some(id) => clients::get(ctx, pool_id, id)?.id,
    };
    Ok((pool, client))
}

pub fn get_ui_customization(ctx: &Ctx<'_>, req: GetUiCustomizationRequest) -> OpResult<Value> {
    let (pool, client) = target(ctx, &req.user_pool_id, req.client_id.as_deref())?;
    let found = ui::effective(ctx, &pool, &client)?;
    Ok(json!({ "UICustomization": shape(ctx, &pool, found.as_ref()) }))
}

pub fn set_ui_customization(ctx: &Ctx<'_>, req: SetUiCustomizationRequest) -> OpResult<Value> {
    let (pool, client) = target(ctx, &req.user_pool_id, req.client_id.as_deref())?;
    if req.css.as_ref().is_some_and(|css| css.len() > MOST_BYTES) {
        return Err(CognitoError::validation(
            "css",
            None,
            "Member must have length less than or equal to 131072",
        ));
    }
    let image = match &req.image_file {
        Some(encoded) => {
            let bytes = STANDARD.decode(encoded).map_err(|_| {
                CognitoError::new(
                    ErrorKind::SerializationException,
                    "ImageFile is not valid base64.",
                )
            })?;
            if bytes.len() > MOST_BYTES {
                return Err(CognitoError::validation(
                    "imageFile",
                    None,
                    "Member must have length less than or equal to 131072",
                ));
            }
            Some(encoded.clone())
        }
        None => None,
    };
    let created = ui::get(ctx, &pool, &client)?.map_or(ctx.now, |old| old.created);
    let record = UiCustomizationRecord {
        client_id: client,
        css: req.css,
        image,
        created,
        modified: ctx.now,
    };
    ui::save(ctx, &pool, &record)?;
    Ok(json!({ "UICustomization": shape(ctx, &pool, Some(&record)) }))
}

/// The image of a customization, for the `/_local` route: its bytes and content type.
pub fn image(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
) -> OpResult<Option<(Vec<u8>, &'static str)>> {
    let Some(pool) = pools::find(ctx, pool_id)? else {
        return Ok(None);
    };
    let Some(encoded) = ui::get(ctx, &pool, client_id)?.and_then(|r| r.image) else {
        return Ok(None);
    };
    let bytes = STANDARD.decode(encoded).map_err(CognitoError::internal)?;
    let kind = if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8]) {
        "image/jpeg"
    } else {
        "application/octet-stream"
    };
    Ok(Some((bytes, kind)))
}

/// A `UICustomizationType` (empty when nothing is set).
fn shape(ctx: &Ctx<'_>, pool: &PoolRecord, record: Option<&UiCustomizationRecord>) -> Value {
    let mut out = Map::new();
    let Some(record) = record else {
        return Value::Object(out);
    };
    out.insert("UserPoolId".into(), json!(pool.id));
    out.insert("ClientId".into(), json!(record.client_id));
    if let Some(css) = &record.css {
        out.insert("CSS".into(), json!(css));
        out.insert(
            "CSSVersion".into(),
            json!(record.modified.secs().to_string()),
        );
    }
    if record.image.is_some() {
        out.insert(
            "ImageUrl".into(),
            json!(format!(
                "{}/_local/ui/{}/{}/image",
                ctx.issuer_base.trim_end_matches('/'),
                pool.id,
                record.client_id
            )),
        );
    }
    out.insert("CreationDate".into(), json!(record.created));
    out.insert("LastModifiedDate".into(), json!(record.modified));
    Value::Object(out)
}
