//! Provisioned API request-rate limits (GetProvisionedLimit, UpdateProvisionedLimit):
//! per account and region, by API category, in requests per second. This server
//! enforces no rate: it keeps and answers what was provisioned, between the category's
//! default (free) rate and a maximum.

use serde::{Deserialize, Serialize};

use super::Ctx;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// The scope of records that belong to no pool.
const GLOBAL: &str = "";

/// The user pool API categories with their default quotas in requests per second
/// (developer guide, "Amazon Cognito user pools API operation categories and request
/// rate quotas").
pub const CATEGORIES: &[(&str, i64)] = &[
    ("UserAuthentication", 120),
    ("UserCreation", 50),
    ("UserFederation", 25),
    ("UserAccountRecovery", 30),
    ("UserRead", 120),
    ("UserUpdate", 25),
    ("UserResourceRead", 50),
    ("UserResourceUpdate", 25),
    ("UserList", 30),
    ("UserPoolRead", 15),
    ("UserPoolUpdate", 15),
    ("UserPoolResourceRead", 20),
    ("UserPoolResourceUpdate", 15),
    ("UserPoolClientRead", 15),
    ("UserPoolClientUpdate", 15),
    ("ClientAuthentication", 150),
];

/// The account-level maximum is set in Service Quotas, which does not run here: this
/// server allows up to ten times a category's default.
const MAXIMUM_FACTOR: i64 = 10;

/// A provisioned rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LimitRecord {
    /// Requests per second.
    pub provisioned: i64,
}

impl Record for LimitRecord {
    const KIND: &'static str = "provisioned_limit";
}

/// A category's rates: `(provisioned, free)`.
pub fn get(ctx: &Ctx<'_>, category: &str) -> OpResult<(i64, i64)> {
    let free = free_rate(category)?;
    let provisioned = ctx
        .tx()
        .get::<LimitRecord>(GLOBAL, &key(ctx, category))?
        .map_or(free, |record| record.provisioned);
    Ok((provisioned, free))
}

/// Provisions a category's rate: "The value must be between the default limit and your
/// account-level maximum limit" (API reference, UpdateProvisionedLimit).
pub fn set(ctx: &Ctx<'_>, category: &str, requested: i64) -> OpResult<(i64, i64)> {
    let free = free_rate(category)?;
    if requested < free {
        return Err(CognitoError::invalid_parameter(format!(
            "The requested limit {requested} is below the default limit {free} of {category}."
        )));
    }
    if requested > free * MAXIMUM_FACTOR {
        return Err(CognitoError::new(
            ErrorKind::ServiceQuotaExceededException,
            format!(
                "The requested limit {requested} exceeds the account-level maximum {} of {category}.",
                free * MAXIMUM_FACTOR
            ),
        ));
    }
    let record = LimitRecord {
        provisioned: requested,
    };
    ctx.tx().put(GLOBAL, &key(ctx, category), &record)?;
    Ok((requested, free))
}

fn free_rate(category: &str) -> OpResult<i64> {
    CATEGORIES
        .iter()
        .find(|(name, _)| *name == category)
        .map(|(_, rate)| *rate)
        .ok_or_else(|| {
            CognitoError::not_found(format!("Limit for the category {category} does not exist."))
        })
}

/// Limits are kept per region, as quotas are.
fn key(ctx: &Ctx<'_>, category: &str) -> String {
    format!("limit\u{1f}{}\u{1f}{category}", ctx.region)
}
