//! Managed login branding: CreateManagedLoginBranding, DescribeManagedLoginBranding,
//! DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding,
//! DeleteManagedLoginBranding.
//!
//! A style takes either Cognito's own values (`UseCognitoProvidedValues`) or settings
//! of its own, never both and never neither, on create and on update alike (AWS's
//! message, as the AWS CLI prints it: "useCognitoProvidedValues or settings should be
//! specified (but not both)"). An update keeps what it does not name, as the API
//! reference says ("preserves existing style settings that you don't specify").

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::branding::{self, AssetRecord, BrandingRecord};
use crate::domain::records::PoolRecord;
use crate::domain::{Ctx, clients, pools};
use crate::error::{CognitoError, OpResult};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateBrandingRequest {
    user_pool_id: String,
    client_id: String,
    use_cognito_provided_values: Option<bool>,
    settings: Option<Value>,
    assets: Option<Vec<AssetRecord>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateBrandingRequest {
    user_pool_id: Option<String>,
    managed_login_branding_id: Option<String>,
    use_cognito_provided_values: Option<bool>,
    settings: Option<Value>,
    assets: Option<Vec<AssetRecord>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeBrandingRequest {
    user_pool_id: String,
    managed_login_branding_id: String,
    // With it, AWS merges its own defaults into the answer; this server has no copy of
    // Cognito's default style, so the answer is the style as stored either way.
    #[allow(dead_code)]
    return_merged_resources: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeBrandingByClientRequest {
    user_pool_id: String,
    client_id: String,
    #[allow(dead_code)]
    return_merged_resources: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteBrandingRequest {
    user_pool_id: String,
    managed_login_branding_id: String,
}

/// Which values a request gives the style.
enum Source {
    /// Cognito's own.
    Cognito,
    /// Its own settings.
    Settings(Value),
}

/// The one source a request names, or AWS's refusal.
fn source(cognito: Option<bool>, settings: Option<Value>, assets: bool) -> OpResult<Source> {
    let refused = || {
        CognitoError::invalid_parameter(
            "useCognitoProvidedValues or settings should be specified (but not both)",
        )
    };
    match (cognito, settings) {
        // "When you specify true for this option, you must also omit values for Settings
        // and Assets" (API reference); the message is this server's.
        (Some(true), None) if assets => Err(CognitoError::invalid_parameter(
            "assets must be omitted when useCognitoProvidedValues is true",
        )),
        (Some(true), None) => Ok(Source::Cognito),
        (Some(false) | None, Some(settings)) => Ok(Source::Settings(settings)),
        _ => Err(refused()),
    }
}

/// A `ManagedLoginBrandingType`: `Settings` only when the style has its own, `Assets`
/// always (an empty list too).
fn shown(pool: &PoolRecord, style: &BrandingRecord) -> Value {
    let mut out = Map::new();
    out.insert("ManagedLoginBrandingId".into(), json!(style.id));
    out.insert("UserPoolId".into(), json!(pool.id));
    out.insert(
        "UseCognitoProvidedValues".into(),
        json!(style.cognito_provided),
    );
    if let Some(settings) = &style.settings {
        out.insert("Settings".into(), settings.clone());
    }
    out.insert("Assets".into(), json!(style.assets));
    out.insert("CreationDate".into(), json!(style.created));
    out.insert("LastModifiedDate".into(), json!(style.modified));
    json!({ "ManagedLoginBranding": Value::Object(out) })
}

pub fn create_managed_login_branding(ctx: &Ctx<'_>, req: CreateBrandingRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    let assets = req.assets.unwrap_or_default();
    let source = source(
        req.use_cognito_provided_values,
        req.settings,
        !assets.is_empty(),
    )?;
    let (cognito_provided, settings) = match source {
        Source::Cognito => (true, None),
        Source::Settings(settings) => (false, Some(settings)),
    };
    let style = BrandingRecord {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: client.id,
        cognito_provided,
        settings,
        assets: merged_assets(Vec::new(), assets),
        created: ctx.now,
        modified: ctx.now,
    };
    branding::create(ctx, &pool, &style)?;
    Ok(shown(&pool, &style))
}

pub fn describe_managed_login_branding(
    ctx: &Ctx<'_>,
    req: DescribeBrandingRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let style = branding::get(ctx, &pool, &req.managed_login_branding_id)?;
    Ok(shown(&pool, &style))
}

pub fn describe_managed_login_branding_by_client(
    ctx: &Ctx<'_>,
    req: DescribeBrandingByClientRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    let style = branding::of_client(ctx, &pool, &client.id)?.ok_or_else(|| {
        CognitoError::not_found(format!(
            "ManagedLoginBranding for client {} does not exist.",
            client.id
        ))
    })?;
    Ok(shown(&pool, &style))
}

pub fn update_managed_login_branding(ctx: &Ctx<'_>, req: UpdateBrandingRequest) -> OpResult<Value> {
    // The model makes every member optional; the ids are needed all the same.
    let (Some(pool_id), Some(id)) = (req.user_pool_id, req.managed_login_branding_id) else {
        return Err(CognitoError::invalid_parameter(
            "UserPoolId and ManagedLoginBrandingId are required.",
        ));
    };
    let pool = pools::get(ctx, &pool_id)?;
    let mut style = branding::get(ctx, &pool, &id)?;
    let assets = req.assets.unwrap_or_default();
    match source(
        req.use_cognito_provided_values,
        req.settings,
        !assets.is_empty(),
    )? {
        // Back to Cognito's own style: nothing of its own is kept.
        Source::Cognito => {
            style.cognito_provided = true;
            style.settings = None;
            style.assets.clear();
        }
        Source::Settings(settings) => {
            style.cognito_provided = false;
            style.settings = Some(match style.settings.take() {
                Some(kept) => merged(kept, settings),
                None => settings,
            });
            style.assets = merged_assets(std::mem::take(&mut style.assets), assets);
        }
    }
    style.modified = ctx.now;
    branding::save(ctx, &pool, &style)?;
    Ok(shown(&pool, &style))
}

pub fn delete_managed_login_branding(ctx: &Ctx<'_>, req: DeleteBrandingRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let style = branding::get(ctx, &pool, &req.managed_login_branding_id)?;
    branding::delete(ctx, &pool, &style)?;
    Ok(json!({}))
}

/// `kept` with `given` over it: objects member by member, anything else replaced.
fn merged(kept: Value, given: Value) -> Value {
    match (kept, given) {
        (Value::Object(mut kept), Value::Object(given)) => {
            for (key, value) in given {
                let old = kept.remove(&key).unwrap_or(Value::Null);
                kept.insert(key, merged(old, value));
            }
            Value::Object(kept)
        }
        (_, given) => given,
    }
}

/// `kept` assets with `given` ones over them: one image per category and colour mode.
fn merged_assets(mut kept: Vec<AssetRecord>, given: Vec<AssetRecord>) -> Vec<AssetRecord> {
    for asset in given {
        kept.retain(|a| !(a.category == asset.category && a.color_mode == asset.color_mode));
        kept.push(asset);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_merge_member_by_member() {
        let kept = json!({"components": {"form": {"borderRadius": 8}, "page": {"x": 1}}});
        let given = json!({"components": {"form": {"borderRadius": 2}}, "categories": {}});
        assert_eq!(
            merged(kept, given),
            json!({"components": {"form": {"borderRadius": 2}, "page": {"x": 1}}, "categories": {}})
        );
    }
}
