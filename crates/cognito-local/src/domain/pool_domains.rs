//! A pool's domains: the prefix domain (`PREFIX.auth.REGION.amazoncognito.com` on AWS,
//! `PREFIX.auth.localhost` here) and the custom domain, where its hosted (OAuth)
//! endpoints are served. A domain names one pool server-wide: it is kept in the global
//! scope under its name, and each pool points at its own by kind.

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::store::Record;

/// The global scope, where domains are kept by name.
const GLOBAL: &str = "";
/// The pool's lookup from a domain kind to the domain's name.
const POOL_LOOKUP: &str = "domain";

/// Which of its two domains a domain is to its pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DomainKind {
    /// A prefix of the service's own domain.
    Prefix,
    /// A domain of the user's own, with a certificate.
    Custom,
}

impl DomainKind {
    fn key(self) -> &'static str {
        match self {
            DomainKind::Prefix => "prefix",
            DomainKind::Custom => "custom",
        }
    }
}

/// A custom domain's certificate and TLS policy (`CustomDomainConfigType`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CustomDomain {
    /// The ACM certificate's ARN.
    pub certificate_arn: String,
    /// `SecurityPolicy`, when given.
    pub security_policy: Option<String>,
    /// The CloudFront distribution AWS would put in front of it (its alias target).
    pub cloudfront: String,
}

/// A domain of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DomainRecord {
    /// The prefix, or the custom domain's name.
    pub domain: String,
    /// The pool it serves.
    pub pool_id: String,
    /// A custom domain's settings; `None` for a prefix domain.
    pub custom: Option<CustomDomain>,
    /// 1: the classic hosted UI; 2: managed login.
    pub managed_login_version: i64,
    /// When it was created.
    pub created: UnixTime,
}

impl DomainRecord {
    /// Which of the pool's domains it is.
    pub fn kind(&self) -> DomainKind {
        match self.custom {
            Some(_) => DomainKind::Custom,
            None => DomainKind::Prefix,
        }
    }
}

impl Record for DomainRecord {
    const KIND: &'static str = "domain";
}

/// The domain of that name, whichever pool it serves.
pub fn find(ctx: &Ctx<'_>, domain: &str) -> OpResult<Option<DomainRecord>> {
    Ok(ctx.tx().get(GLOBAL, domain)?)
}

/// The pool's domain of a kind.
pub fn of_pool(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    kind: DomainKind,
) -> OpResult<Option<DomainRecord>> {
    match ctx
        .tx()
        .lookup::<DomainRecord>(&pool.id, POOL_LOOKUP, kind.key())?
    {
        Some(name) => find(ctx, &name),
        None => Ok(None),
    }
}

/// Stores a new domain for its pool; `false` if the name is taken.
pub fn create(ctx: &Ctx<'_>, record: &DomainRecord) -> OpResult<bool> {
    if !ctx.tx().insert(GLOBAL, &record.domain, record)? {
        return Ok(false);
    }
    ctx.tx().set_lookup::<DomainRecord>(
        &record.pool_id,
        POOL_LOOKUP,
        record.kind().key(),
        &record.domain,
    )?;
    Ok(true)
}

/// Saves a changed domain.
pub fn save(ctx: &Ctx<'_>, record: &DomainRecord) -> OpResult<()> {
    Ok(ctx.tx().put(GLOBAL, &record.domain, record)?)
}

/// Deletes a domain.
pub fn delete(ctx: &Ctx<'_>, record: &DomainRecord) -> OpResult<()> {
    ctx.tx().delete::<DomainRecord>(GLOBAL, &record.domain)?;
    ctx.tx()
        .remove_lookup::<DomainRecord>(&record.pool_id, POOL_LOOKUP, record.kind().key())?;
    Ok(())
}

/// The pool's domains, prefix first.
pub fn all_of_pool(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Vec<DomainRecord>> {
    let mut out = Vec::new();
    for kind in [DomainKind::Prefix, DomainKind::Custom] {
        out.extend(of_pool(ctx, pool, kind)?);
    }
    Ok(out)
}

/// The domain a request's `Host` names, and so its pool: a custom domain by its
/// name, a prefix domain as `PREFIX.auth.localhost` (or any `PREFIX.auth.` host, as
/// `PREFIX.auth.REGION.amazoncognito.com` is on AWS). The port is ignored.
pub fn of_host(ctx: &Ctx<'_>, host: &str) -> OpResult<Option<DomainRecord>> {
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    let name = name.to_ascii_lowercase();
    if let Some(found) = find(ctx, &name)?
        && found.custom.is_some()
    {
        return Ok(Some(found));
    }
    if let Some((prefix, _)) = name.split_once(".auth.")
        && let Some(found) = find(ctx, prefix)?
        && found.custom.is_none()
    {
        return Ok(Some(found));
    }
    Ok(None)
}
