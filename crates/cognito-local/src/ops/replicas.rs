//! Create/Update/Delete/ListUserPoolReplicas (`domain::replicas`).

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::state::ReplicaStatus;
use crate::domain::{Ctx, pools, replicas};
use crate::error::OpResult;
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReplicaRequest {
    user_pool_id: String,
    region_name: Option<String>,
    status: Option<String>,
    user_pool_tags: Option<Map<String, Value>>,
}

pub fn create_user_pool_replica(ctx: &Ctx<'_>, req: ReplicaRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let region = req.region_name.unwrap_or_default();
    replicas::create(ctx, &pool, &region, req.user_pool_tags.unwrap_or_default())?;
    let shown = replicas::describe(&pool, &region, ReplicaStatus::Creating, false);
    Ok(json!({ "UserPoolReplica": shown }))
}

pub fn update_user_pool_replica(ctx: &Ctx<'_>, req: ReplicaRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let status = validate::named(
        "status",
        req.status.as_deref().unwrap_or_default(),
        ReplicaStatus::parse,
        ReplicaStatus::NAMES,
    )?;
    let region = req.region_name.unwrap_or_default();
    let replica = replicas::set_status(ctx, &pool, &region, status)?;
    let shown = replicas::describe(&pool, &replica.region, replica.status, false);
    Ok(json!({ "UserPoolReplica": shown }))
}

pub fn delete_user_pool_replica(ctx: &Ctx<'_>, req: ReplicaRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let replica = replicas::delete(ctx, &pool, req.region_name.as_deref().unwrap_or_default())?;
    let shown = replicas::describe(&pool, &replica.region, ReplicaStatus::Deleting, false);
    Ok(json!({ "UserPoolReplica": shown }))
}

/// The primary, then the secondaries by region, in one page.
pub fn list_user_pool_replicas(ctx: &Ctx<'_>, req: ReplicaRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut shown = vec![replicas::describe(
        &pool,
        &pool.region,
        ReplicaStatus::Active,
        true,
    )];
    for replica in replicas::list(ctx, &pool)? {
        shown.push(replicas::describe(
            &pool,
            &replica.region,
            replica.status,
            false,
        ));
    }
    Ok(json!({ "UserPoolReplicas": shown }))
}
