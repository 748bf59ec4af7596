//! GetProvisionedLimit and UpdateProvisionedLimit (`domain::limits`).

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::{Ctx, limits};
use crate::error::{CognitoError, OpResult};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LimitRequest {
    limit_definition: LimitDefinition,
    requested_limit_value: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LimitDefinition {
    limit_class: String,
    attributes: Map<String, Value>,
}

/// "For API rate limits, specify the Category key with a value like UserAuthentication
/// or UserCreation." (API reference, LimitDefinitionType)
fn category(definition: &LimitDefinition) -> OpResult<&str> {
    definition
        .attributes
        .get("Category")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            CognitoError::invalid_parameter(
                "An API_CATEGORY limit is named by its Category attribute.",
            )
        })
}

fn limit(definition: &LimitDefinition, category: &str, (provisioned, free): (i64, i64)) -> Value {
    json!({
        "Limit": {
            "LimitDefinition": {
                "LimitClass": definition.limit_class,
                "Attributes": { "Category": category },
            },
            "ProvisionedLimitValue": provisioned,
            "FreeLimitValue": free,
        }
    })
}

pub fn get_provisioned_limit(ctx: &Ctx<'_>, req: LimitRequest) -> OpResult<Value> {
    let category = category(&req.limit_definition)?;
    Ok(limit(
        &req.limit_definition,
        category,
        limits::get(ctx, category)?,
    ))
}

pub fn update_provisioned_limit(ctx: &Ctx<'_>, req: LimitRequest) -> OpResult<Value> {
    let category = category(&req.limit_definition)?;
    let requested = req.requested_limit_value.unwrap_or_default();
    Ok(limit(
        &req.limit_definition,
        category,
        limits::set(ctx, category, requested)?,
    ))
}
