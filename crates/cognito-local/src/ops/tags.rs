//! Tags of user pools: TagResource, UntagResource, ListTagsForResource (and the
//! UserPoolTags of CreateUserPool and UpdateUserPool, which they share). A pool is named
//! by its ARN; at most 50 tags, keys of 1 to 128 characters, values of at most 256.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::records::PoolRecord;
use crate::domain::{Ctx, pools};
use crate::error::{CognitoError, OpResult};

/// Tags a resource may carry.
const MOST: usize = 50;
/// Where a pool keeps its tags (echoed by DescribeUserPool).
const TAGS: &str = "UserPoolTags";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourceRequest {
    resource_arn: String,
    tags: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagResourceRequest {
    resource_arn: String,
    tag_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceRequest {
    resource_arn: String,
}

/// The pool an ARN names: `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`.
fn pool_of(ctx: &Ctx<'_>, arn: &str) -> OpResult<PoolRecord> {
    let length = arn.chars().count();
    if !(20..=2048).contains(&length) {
        let bound = if length < 20 {
            "Member must have length greater than or equal to 20"
        } else {
            "Member must have length less than or equal to 2048"
        };
        return Err(CognitoError::validation("resourceArn", Some(arn), bound));
    }
    let missing = || CognitoError::not_found(format!("Resource {arn} does not exist."));
    let pool_id = arn
        .strip_prefix("arn:")
        .and_then(|rest| rest.rsplit_once(":userpool/"))
        .map(|(_, id)| id)
        .ok_or_else(missing)?;
    if crate::validate::pool_id("resourceArn", pool_id).is_err() {
        return Err(missing());
    }
    let pool = pools::find(ctx, pool_id)?
        .filter(|pool| pools::in_scope(ctx, pool))
        .ok_or_else(missing)?;
    if crate::model::pool::arn(&pool) != arn {
        return Err(missing());
    }
    Ok(pool)
}

fn tags(pool: &PoolRecord) -> Map<String, Value> {
    match pool.settings.get(TAGS) {
        Some(Value::Object(tags)) => tags.clone(),
        _ => Map::new(),
    }
}

/// Checks tags as the model constrains them.
pub fn check(tags: &Map<String, Value>) -> OpResult<()> {
    if tags.len() > MOST {
        return Err(CognitoError::validation(
            "tags",
            None,
            "Member must have length less than or equal to 50",
        ));
    }
    for (key, value) in tags {
        if !(1..=128).contains(&key.chars().count()) {
            return Err(CognitoError::invalid_parameter(format!(
                "Tag key {key:?} must be 1 to 128 characters long."
            )));
        }
        let Some(text) = value.as_str() else {
            return Err(CognitoError::new(
                crate::error::ErrorKind::SerializationException,
                "Tag values must be strings.",
            ));
        };
        if text.chars().count() > 256 {
            return Err(CognitoError::invalid_parameter(format!(
                "The value of tag {key:?} must be at most 256 characters long."
            )));
        }
    }
    Ok(())
}

pub fn tag_resource(ctx: &Ctx<'_>, req: TagResourceRequest) -> OpResult<Value> {
    let mut pool = pool_of(ctx, &req.resource_arn)?;
    let mut all = tags(&pool);
    all.extend(req.tags);
    check(&all)?;
    pool.settings.insert(TAGS.into(), Value::Object(all));
    pools::save(ctx, &pool)?;
    Ok(json!({}))
}

pub fn untag_resource(ctx: &Ctx<'_>, req: UntagResourceRequest) -> OpResult<Value> {
    let mut pool = pool_of(ctx, &req.resource_arn)?;
    let mut all = tags(&pool);
    for key in &req.tag_keys {
        all.remove(key);
    }
    pool.settings.insert(TAGS.into(), Value::Object(all));
    pools::save(ctx, &pool)?;
    Ok(json!({}))
}

pub fn list_tags_for_resource(ctx: &Ctx<'_>, req: ListTagsForResourceRequest) -> OpResult<Value> {
    let pool = pool_of(ctx, &req.resource_arn)?;
    Ok(json!({ "Tags": tags(&pool) }))
}
