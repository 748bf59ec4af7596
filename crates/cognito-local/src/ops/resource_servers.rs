//! Resource servers: CreateResourceServer, DescribeResourceServer, UpdateResourceServer,
//! DeleteResourceServer, ListResourceServers.

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::page;
use crate::domain::records::PoolRecord;
use crate::domain::resource_servers::{self, ResourceServerRecord, ScopeRecord};
use crate::domain::{Ctx, pools};
use crate::error::{CognitoError, OpResult};
use crate::validate;

/// `ResourceServerScopeType`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScopeIn {
    scope_name: String,
    scope_description: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerRequest {
    user_pool_id: String,
    identifier: String,
    name: String,
    scopes: Option<Vec<ScopeIn>>,
}

/// A `ResourceServerType`.
fn shown(pool: &PoolRecord, server: &ResourceServerRecord) -> Value {
    let scopes: Vec<Value> = server
        .scopes
        .iter()
        .map(|s| json!({"ScopeName": s.name, "ScopeDescription": s.description}))
        .collect();
    json!({
        "UserPoolId": pool.id,
        "Identifier": server.identifier,
        "Name": server.name,
        "Scopes": scopes,
    })
}

/// The record a request describes; a scope named twice is refused.
fn record(req: ResourceServerRequest) -> OpResult<ResourceServerRecord> {
    let mut scopes: Vec<ScopeRecord> = Vec::new();
    for scope in req.scopes.unwrap_or_default() {
        if scopes.iter().any(|s| s.name == scope.scope_name) {
            return Err(CognitoError::invalid_parameter(format!(
                "Duplicate scope names are not allowed: {}",
                scope.scope_name
            )));
        }
        scopes.push(ScopeRecord {
            name: scope.scope_name,
            description: scope.scope_description,
        });
    }
    Ok(ResourceServerRecord {
        identifier: req.identifier,
        name: req.name,
        scopes,
    })
}

pub fn create_resource_server(ctx: &Ctx<'_>, req: ResourceServerRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let server = record(req)?;
    if !resource_servers::create(ctx, &pool, &server)? {
        return Err(CognitoError::invalid_parameter(format!(
            "{} already exists in user pool {}.",
            server.identifier, pool.id
        )));
    }
    Ok(json!({ "ResourceServer": shown(&pool, &server) }))
}

/// Update replaces the name and the scopes (absent scopes: none), as AWS documents:
/// "If you don't provide a value for an attribute, it is set to the default value."
pub fn update_resource_server(ctx: &Ctx<'_>, req: ResourceServerRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    resource_servers::get(ctx, &pool, &req.identifier)?;
    let server = record(req)?;
    resource_servers::save(ctx, &pool, &server)?;
    Ok(json!({ "ResourceServer": shown(&pool, &server) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerIdRequest {
    user_pool_id: String,
    identifier: String,
}

pub fn describe_resource_server(ctx: &Ctx<'_>, req: ResourceServerIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let server = resource_servers::get(ctx, &pool, &req.identifier)?;
    Ok(json!({ "ResourceServer": shown(&pool, &server) }))
}

pub fn delete_resource_server(ctx: &Ctx<'_>, req: ResourceServerIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let server = resource_servers::get(ctx, &pool, &req.identifier)?;
    resource_servers::delete(ctx, &pool, &server)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersRequest {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub fn list_resource_servers(ctx: &Ctx<'_>, req: ListResourceServersRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.max_results.or(Some(50)));
    let listed = resource_servers::list(ctx, &pool, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let listed: Vec<Value> = listed.iter().map(|s| shown(&pool, s)).collect();
    Ok(crate::model::page(
        "ResourceServers",
        &listed,
        "NextToken",
        next,
    ))
}
