//! Domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
//! DeleteUserPoolDomain.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::pool_domains::{self, CustomDomain, DomainKind, DomainRecord};
use crate::domain::records::PoolRecord;
use crate::domain::{Ctx, LOWER_ALPHANUMERIC, pools, random_string};
use crate::error::{CognitoError, OpResult};

/// `CustomDomainConfigType`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomDomainConfigIn {
    certificate_arn: String,
    security_policy: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainRequest {
    domain: String,
    user_pool_id: String,
    managed_login_version: Option<i64>,
    custom_domain_config: Option<CustomDomainConfigIn>,
}

/// `ManagedLoginVersion`: 1 (the classic hosted UI, the default) or 2 (managed login).
fn managed_login_version(given: Option<i64>) -> OpResult<Option<i64>> {
    match given {
        None | Some(1 | 2) => Ok(given),
        Some(other) => Err(CognitoError::invalid_parameter(format!(
            "Invalid ManagedLoginVersion {other}: the version must be 1 or 2."
        ))),
    }
}

/// A prefix is one DNS label that names none of AWS's own brands: the service answers
/// `Domain cannot contain reserved word: aws` for `aws-...` prefixes (the developer
/// guide: "You can't use the text aws, amazon, or cognito in the domain prefix"). Real
/// answers refuse `aws` and `amazon` as hyphen-separated words (`my-awsome-app` is
/// taken) and `cognito` anywhere (`newcognito` is refused). A custom domain is a fully
/// qualified name of several labels.
fn check_name(domain: &str, kind: DomainKind) -> OpResult<()> {
    match kind {
        DomainKind::Prefix => {
            if domain.contains('.') {
                return Err(CognitoError::invalid_parameter(
                    "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
                ));
            }
            let word = domain
                .split('-')
                .find_map(|part| ["aws", "amazon"].into_iter().find(|w| part == *w))
                .or_else(|| domain.contains("cognito").then_some("cognito"));
            if let Some(word) = word {
                return Err(CognitoError::invalid_parameter(format!(
                    "Domain cannot contain reserved word: {word}"
                )));
            }
        }
        DomainKind::Custom => {
            if !domain.contains('.') {
                return Err(CognitoError::invalid_parameter(
                    "The custom domain must be a fully qualified domain name.",
                ));
            }
        }
    }
    Ok(())
}

fn custom_config(given: CustomDomainConfigIn, cloudfront: Option<String>) -> CustomDomain {
    CustomDomain {
        certificate_arn: given.certificate_arn,
        security_policy: given.security_policy,
        cloudfront: cloudfront.unwrap_or_else(|| {
            format!("d{}.cloudfront.net", random_string(LOWER_ALPHANUMERIC, 13))
        }),
    }
}

/// What Create and UpdateUserPoolDomain answer.
fn answer(record: &DomainRecord) -> Value {
    let mut out = Map::new();
    out.insert(
        "ManagedLoginVersion".into(),
        json!(record.managed_login_version),
    );
    if let Some(custom) = &record.custom {
        out.insert("CloudFrontDomain".into(), json!(custom.cloudfront));
    }
    Value::Object(out)
}

pub fn create_user_pool_domain(ctx: &Ctx<'_>, req: DomainRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let kind = match req.custom_domain_config {
        Some(_) => DomainKind::Custom,
        None => DomainKind::Prefix,
    };
    let domain = req.domain;
    check_name(&domain, kind)?;
    let version = managed_login_version(req.managed_login_version)?;
    if pool_domains::of_pool(ctx, &pool, kind)?.is_some() {
        return Err(CognitoError::invalid_parameter(
            "The user pool already has a domain configured.",
        ));
    }
    let record = DomainRecord {
        domain,
        pool_id: pool.id.clone(),
        custom: req.custom_domain_config.map(|c| custom_config(c, None)),
        managed_login_version: version.unwrap_or(1),
        created: ctx.now,
    };
    if !pool_domains::create(ctx, &record)? {
        return Err(CognitoError::invalid_parameter(
            "Domain already associated with another user pool.",
        ));
    }
    tracing::info!(pool = %pool.id, domain = %record.domain, "created domain");
    Ok(answer(&record))
}

/// The pool's domain of that name, or the error AWS gives for another's.
fn own_domain(ctx: &Ctx<'_>, pool: &PoolRecord, domain: &str) -> OpResult<DomainRecord> {
    match pool_domains::find(ctx, domain)? {
        Some(record) if record.pool_id == pool.id => Ok(record),
        _ => Err(CognitoError::invalid_parameter(
            "No such domain or user pool exists.",
        )),
    }
}

pub fn update_user_pool_domain(ctx: &Ctx<'_>, req: DomainRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut record = own_domain(ctx, &pool, &req.domain)?;
    if let Some(version) = managed_login_version(req.managed_login_version)? {
        record.managed_login_version = version;
    }
    match (req.custom_domain_config, &record.custom) {
        (Some(config), Some(custom)) => {
            record.custom = Some(custom_config(config, Some(custom.cloudfront.clone())));
        }
        (Some(_), None) => {
            return Err(CognitoError::invalid_parameter(
                "A prefix domain has no CustomDomainConfig to update.",
            ));
        }
        (None, _) => {}
    }
    pool_domains::save(ctx, &record)?;
    Ok(answer(&record))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteDomainRequest {
    domain: String,
    user_pool_id: String,
}

pub fn delete_user_pool_domain(ctx: &Ctx<'_>, req: DeleteDomainRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = own_domain(ctx, &pool, &req.domain)?;
    pool_domains::delete(ctx, &record)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeDomainRequest {
    domain: String,
}

/// An unknown domain is described as nothing (`{"DomainDescription": {}}`), as AWS
/// answers it.
pub fn describe_user_pool_domain(ctx: &Ctx<'_>, req: DescribeDomainRequest) -> OpResult<Value> {
    let Some(record) = pool_domains::find(ctx, &req.domain)? else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    let Some(pool) = pools::find(ctx, &record.pool_id)? else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    if !pools::in_scope(ctx, &pool) {
        return Ok(json!({ "DomainDescription": {} }));
    }
    let mut out = Map::new();
    out.insert("UserPoolId".into(), json!(record.pool_id));
    out.insert("AWSAccountId".into(), json!("000000000000"));
    out.insert("Domain".into(), json!(record.domain));
    out.insert("Status".into(), json!("ACTIVE"));
    out.insert("Version".into(), json!("20130630"));
    out.insert(
        "ManagedLoginVersion".into(),
        json!(record.managed_login_version),
    );
    if let Some(custom) = &record.custom {
        out.insert("CloudFrontDistribution".into(), json!(custom.cloudfront));
        let mut config = Map::new();
        config.insert("CertificateArn".into(), json!(custom.certificate_arn));
        if let Some(policy) = &custom.security_policy {
            config.insert("SecurityPolicy".into(), json!(policy));
        }
        out.insert("CustomDomainConfig".into(), Value::Object(config));
    }
    Ok(json!({ "DomainDescription": out }))
}
