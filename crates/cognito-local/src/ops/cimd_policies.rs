//! Client ID metadata document policies: CreateCIMDPolicy, DescribeCIMDPolicy,
//! UpdateCIMDPolicy, DeleteCIMDPolicy, ListCIMDPolicies, and the documents fetched under
//! them: ListClientMetadataURLs, UpdateClientMetadataURLState. A policy names an existing app
//! client of the pool; an update replaces its client and URL patterns (both required)
//! and keeps a name or cache duration it does not give; a policy shows its client only
//! while that client exists. The model checks the patterns (https, no query or
//! fragment, at most five) and the cache duration (a day to a year). An update drops
//! the cached documents its patterns no longer take; a deletion drops them all.
//! `domain::client_documents` accepts the clients themselves.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::listing::page;
use crate::domain::cimd_policies::{self, CimdPolicyRecord};
use crate::domain::records::PoolRecord;
use crate::domain::state::CimdCacheAction;
use crate::domain::{Ctx, client_documents, clients, pools};
use crate::error::OpResult;
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateCimdPolicyRequest {
    user_pool_id: String,
    client_id: String,
    policy_name: String,
    cache_duration: Option<i64>,
    #[serde(rename = "URLPatterns")]
    url_patterns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateCimdPolicyRequest {
    user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    policy_id: String,
    client_id: String,
    policy_name: Option<String>,
    cache_duration: Option<i64>,
    #[serde(rename = "URLPatterns")]
    url_patterns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CimdPolicyIdRequest {
    user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    policy_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListClientMetadataUrlsRequest {
    user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    policy_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateClientMetadataUrlStateRequest {
    user_pool_id: String,
    #[serde(rename = "CIMDPolicyId")]
    policy_id: String,
    #[serde(rename = "URL")]
    url: String,
    action: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListCimdPoliciesRequest {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// A policy's members: all of them (`CIMDPolicyType`), or the summary's (no patterns,
/// no pool id). `ClientId` only while the client exists.
fn shown(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    policy: &CimdPolicyRecord,
    full: bool,
) -> OpResult<Value> {
    let mut out = Map::new();
    if full {
        out.insert("UserPoolId".into(), json!(pool.id));
    }
    out.insert("CIMDPolicyId".into(), json!(policy.id));
    if clients::find(ctx, pool, &policy.client_id)?.is_some() {
        out.insert("ClientId".into(), json!(policy.client_id));
    }
    out.insert("PolicyName".into(), json!(policy.name));
    if let Some(duration) = policy.cache_duration {
        out.insert("CacheDuration".into(), json!(duration));
    }
    if full {
        out.insert("URLPatterns".into(), json!(policy.url_patterns));
    }
    out.insert("CreationDate".into(), json!(policy.created));
    out.insert("LastModifiedDate".into(), json!(policy.modified));
    Ok(Value::Object(out))
}

pub fn create_cimd_policy(ctx: &Ctx<'_>, req: CreateCimdPolicyRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    let policy = CimdPolicyRecord {
        id: cimd_policies::new_id(),
        client_id: client.id,
        name: req.policy_name,
        cache_duration: req.cache_duration,
        url_patterns: req.url_patterns,
        created: ctx.now,
        modified: ctx.now,
    };
    cimd_policies::save(ctx, &pool, &policy)?;
    Ok(json!({ "CIMDPolicy": shown(ctx, &pool, &policy, true)? }))
}

pub fn describe_cimd_policy(ctx: &Ctx<'_>, req: CimdPolicyIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let policy = cimd_policies::get(ctx, &pool, &req.policy_id)?;
    Ok(json!({ "CIMDPolicy": shown(ctx, &pool, &policy, true)? }))
}

pub fn update_cimd_policy(ctx: &Ctx<'_>, req: UpdateCimdPolicyRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut policy = cimd_policies::get(ctx, &pool, &req.policy_id)?;
    policy.client_id = clients::get(ctx, &pool.id, &req.client_id)?.id;
    policy.url_patterns = req.url_patterns;
    if let Some(name) = req.policy_name {
        policy.name = name;
    }
    if let Some(duration) = req.cache_duration {
        policy.cache_duration = Some(duration);
    }
    policy.modified = ctx.now;
    cimd_policies::save(ctx, &pool, &policy)?;
    client_documents::prune(ctx, &pool, &policy, false)?;
    Ok(json!({ "CIMDPolicy": shown(ctx, &pool, &policy, true)? }))
}

pub fn delete_cimd_policy(ctx: &Ctx<'_>, req: CimdPolicyIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let policy = cimd_policies::get(ctx, &pool, &req.policy_id)?;
    client_documents::prune(ctx, &pool, &policy, true)?;
    cimd_policies::delete(ctx, &pool, &policy)?;
    Ok(json!({}))
}

pub fn list_cimd_policies(ctx: &Ctx<'_>, req: ListCimdPoliciesRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.max_results);
    let listed = cimd_policies::list(ctx, &pool, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let shown: Vec<Value> = listed
        .iter()
        .map(|policy| shown(ctx, &pool, policy, false))
        .collect::<OpResult<_>>()?;
    Ok(crate::model::page(
        "CIMDPolicies",
        &shown,
        "NextToken",
        next,
    ))
}

/// ListClientMetadataURLs: the documents cached under a policy, in URL order, with
/// when each was fetched and when it expires.
pub fn list_client_metadata_urls(
    ctx: &Ctx<'_>,
    req: ListClientMetadataUrlsRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let policy = cimd_policies::get(ctx, &pool, &req.policy_id)?;
    let limit = validate::page_size(req.max_results);
    let listed = client_documents::list(ctx, &pool, &policy, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let shown: Vec<Value> = listed
        .iter()
        .map(|document| {
            json!({
                "URL": document.url,
                "CachedDate": document.cached,
                "ExpirationDate": document.expires,
            })
        })
        .collect();
    Ok(crate::model::page(
        "ClientMetadataURLs",
        &shown,
        "NextToken",
        next,
    ))
}

/// UpdateClientMetadataURLState: REFRESH fetches a cached document again, INVALIDATE
/// drops it; a URL with nothing cached is `CachedCIMDURLDoesNotExistException`.
pub fn update_client_metadata_url_state(
    ctx: &Ctx<'_>,
    req: UpdateClientMetadataUrlStateRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let policy = cimd_policies::get(ctx, &pool, &req.policy_id)?;
    match CimdCacheAction::parse(&req.action) {
        Some(CimdCacheAction::Refresh) => client_documents::refresh(ctx, &pool, &policy, &req.url)?,
        Some(CimdCacheAction::Invalidate) => {
            client_documents::invalidate(ctx, &pool, &policy, &req.url)?;
        }
        None => {
            return Err(crate::error::CognitoError::invalid_parameter(
                "Action must be REFRESH or INVALIDATE.",
            ));
        }
    }
    Ok(json!({}))
}
