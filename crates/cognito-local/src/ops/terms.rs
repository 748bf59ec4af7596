//! Terms documents: CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms,
//! UpdateTerms, DeleteTerms. Each app client has at most one terms of use and one
//! privacy policy, links by language; its sign-up page shows them once both exist.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::page;
use crate::domain::records::PoolRecord;
use crate::domain::state::{TermsEnforcement, TermsName, TermsSource};
use crate::domain::terms::{self, TermsRecord};
use crate::domain::{Ctx, clients, pools};
use crate::error::{CognitoError, OpResult};
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTermsRequest {
    user_pool_id: String,
    client_id: String,
    terms_name: TermsName,
    terms_source: TermsSource,
    enforcement: TermsEnforcement,
    links: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TermsIdRequest {
    user_pool_id: String,
    terms_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTermsByClientRequest {
    user_pool_id: String,
    client_id: String,
    terms_name: TermsName,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateTermsRequest {
    user_pool_id: String,
    terms_id: String,
    terms_name: Option<TermsName>,
    terms_source: Option<TermsSource>,
    enforcement: Option<TermsEnforcement>,
    links: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTermsRequest {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// A `TermsType`.
fn shown(pool: &PoolRecord, terms: &TermsRecord) -> Value {
    json!({
        "Terms": {
            "TermsId": terms.id,
            "UserPoolId": pool.id,
            "ClientId": terms.client_id,
            "TermsName": terms.name,
            "TermsSource": terms.source,
            "Enforcement": terms.enforcement,
            "Links": terms.links,
            "CreationDate": terms.created,
            "LastModifiedDate": terms.modified,
        }
    })
}

pub fn create_terms(ctx: &Ctx<'_>, req: CreateTermsRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    let terms = TermsRecord {
        id: uuid::Uuid::new_v4().to_string(),
        client_id: client.id,
        name: req.terms_name,
        source: req.terms_source,
        enforcement: req.enforcement,
        links: req.links.unwrap_or_default(),
        created: ctx.now,
        modified: ctx.now,
    };
    terms::create(ctx, &pool, &terms)?;
    Ok(shown(&pool, &terms))
}

pub fn describe_terms(ctx: &Ctx<'_>, req: TermsIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let terms = terms::get(ctx, &pool, &req.terms_id)?;
    Ok(shown(&pool, &terms))
}

pub fn describe_terms_by_client(
    ctx: &Ctx<'_>,
    req: DescribeTermsByClientRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let client = clients::get(ctx, &pool.id, &req.client_id)?;
    let terms = terms::of_client(ctx, &pool, &client.id, req.terms_name)?
        .ok_or_else(|| CognitoError::not_found("Terms does not exist."))?;
    Ok(shown(&pool, &terms))
}

/// Every document of the pool, whatever its client, as `TermsDescriptionType`s.
pub fn list_terms(ctx: &Ctx<'_>, req: ListTermsRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.max_results);
    let listed = terms::list(ctx, &pool, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let listed: Vec<Value> = listed
        .iter()
        .map(|t| {
            json!({
                "TermsId": t.id,
                "TermsName": t.name,
                "Enforcement": t.enforcement,
                "CreationDate": t.created,
                "LastModifiedDate": t.modified,
            })
        })
        .collect();
    Ok(crate::model::page("Terms", &listed, "NextToken", next))
}

/// Update changes what it names and keeps the rest; links given replace the links.
pub fn update_terms(ctx: &Ctx<'_>, req: UpdateTermsRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut terms = terms::get(ctx, &pool, &req.terms_id)?;
    if let Some(name) = req.terms_name {
        terms.name = name;
    }
    if let Some(source) = req.terms_source {
        terms.source = source;
    }
    if let Some(enforcement) = req.enforcement {
        terms.enforcement = enforcement;
    }
    if let Some(links) = req.links {
        terms.links = links;
    }
    terms.modified = ctx.now;
    terms::save(ctx, &pool, &terms)?;
    Ok(shown(&pool, &terms))
}

pub fn delete_terms(ctx: &Ctx<'_>, req: TermsIdRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let terms = terms::get(ctx, &pool, &req.terms_id)?;
    terms::delete(ctx, &pool, &terms)?;
    Ok(json!({}))
}
