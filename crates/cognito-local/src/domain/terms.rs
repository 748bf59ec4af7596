//! Terms documents: an app client's terms of use and privacy policy, each a link per
//! language, which its managed login sign-up page shows once both exist. A client has
//! at most one document of each name (AWS's `TermsExistsException`): documents are kept
//! under their id in the pool, with a lookup from `CLIENT/NAME`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::{ClientRecord, PoolRecord};
use super::state::{TermsEnforcement, TermsName, TermsSource};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// The lookup from `CLIENT/NAME` to a document's id.
const NAME_LOOKUP: &str = "client_terms";
/// The language key every document may have, for the languages without their own.
pub const DEFAULT_LANGUAGE: &str = "cognito:default";

/// A terms document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TermsRecord {
    /// `TermsId`, a UUID.
    pub id: String,
    /// The app client it is shown for.
    pub client_id: String,
    /// `TermsName`.
    pub name: TermsName,
    /// `TermsSource`.
    pub source: TermsSource,
    /// `Enforcement`.
    pub enforcement: TermsEnforcement,
    /// `Links`: language key (`cognito:default`, `cognito:spanish`...) to URL.
    pub links: BTreeMap<String, String>,
    /// When it was created and last changed.
    pub created: UnixTime,
    pub modified: UnixTime,
}

impl Record for TermsRecord {
    const KIND: &'static str = "terms";
}

fn name_key(client_id: &str, name: TermsName) -> String {
    format!("{client_id}/{name}")
}

fn exists(name: TermsName) -> CognitoError {
    CognitoError::new(
        ErrorKind::TermsExistsException,
        format!("Terms document with name {name} already exists for this app client."),
    )
}

/// A document of the pool by id, or `ResourceNotFoundException`.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<TermsRecord> {
    ctx.tx()
        .get(&pool.id, id)?
        .ok_or_else(|| CognitoError::not_found("Terms does not exist."))
}

/// A client's document of a name, if it has one.
pub fn of_client(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
    name: TermsName,
) -> OpResult<Option<TermsRecord>> {
    let key = name_key(client_id, name);
    let Some(id) = ctx
        .tx()
        .lookup::<TermsRecord>(&pool.id, NAME_LOOKUP, &key)?
    else {
        return Ok(None);
    };
    Ok(ctx.tx().get(&pool.id, &id)?)
}

/// Stores a new document: `TermsExistsException` if its client has one of that name.
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, terms: &TermsRecord) -> OpResult<()> {
    let key = name_key(&terms.client_id, terms.name);
    if !ctx
        .tx()
        .set_lookup::<TermsRecord>(&pool.id, NAME_LOOKUP, &key, &terms.id)?
    {
        return Err(exists(terms.name));
    }
    if !ctx.tx().insert(&pool.id, &terms.id, terms)? {
        return Err(CognitoError::internal("a terms document id was taken"));
    }
    Ok(())
}

/// Saves a changed document (renamed, perhaps: `TermsExistsException` if its client
/// has another of the new name).
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, terms: &TermsRecord) -> OpResult<()> {
    let tx = ctx.tx();
    let key = name_key(&terms.client_id, terms.name);
    match tx.lookup::<TermsRecord>(&pool.id, NAME_LOOKUP, &key)? {
        Some(owner) if owner != terms.id => return Err(exists(terms.name)),
        Some(_) => {}
        None => {
            tx.clear_lookup::<TermsRecord>(&pool.id, NAME_LOOKUP, &terms.id)?;
            tx.set_lookup::<TermsRecord>(&pool.id, NAME_LOOKUP, &key, &terms.id)?;
        }
    }
    Ok(tx.put(&pool.id, &terms.id, terms)?)
}

/// Deletes a document.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, terms: &TermsRecord) -> OpResult<()> {
    // Its name's lookup goes with the record.
    ctx.tx().delete::<TermsRecord>(&pool.id, &terms.id)?;
    Ok(())
}

/// Deletes a client's documents, with the client.
pub fn forget_client(ctx: &Ctx<'_>, pool: &PoolRecord, client: &ClientRecord) -> OpResult<()> {
    for name in TermsName::ALL {
        if let Some(terms) = of_client(ctx, pool, &client.id, *name)? {
            delete(ctx, pool, &terms)?;
        }
    }
    Ok(())
}

/// A pool's documents in id order after `after`, at most `limit`.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, TermsRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}

/// The links a client's sign-up page shows, `(terms of use, privacy policy)` for
/// `language` (a `cognito:` key) or the default: only when both documents exist, as
/// AWS documents ("You must provide both types of terms documents in at least one
/// language before Amazon Cognito displays your terms documents").
pub fn links_for(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client_id: &str,
    language: Option<&str>,
) -> OpResult<Option<(String, String)>> {
    let link = |name: TermsName| -> OpResult<Option<String>> {
        let Some(terms) = of_client(ctx, pool, client_id, name)? else {
            return Ok(None);
        };
        // The model takes any URL; the pages link only to web pages (no `javascript:`).
        let web = |key: &str| {
            terms
                .links
                .get(key)
                .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        };
        Ok(language
            .and_then(web)
            .or_else(|| web(DEFAULT_LANGUAGE))
            .cloned())
    };
    Ok(link(TermsName::TermsOfUse)?.zip(link(TermsName::PrivacyPolicy)?))
}

/// The `cognito:` language key of a managed login `lang` value (`es`, `pt-BR`...).
pub fn language_key(lang: &str) -> Option<&'static str> {
    Some(match lang.to_ascii_lowercase().as_str() {
        "en" | "en-us" | "en-gb" => "cognito:english",
        "nl" => "cognito:dutch",
        "fr" => "cognito:french",
        "es" => "cognito:spanish",
        "de" => "cognito:german",
        "id" => "cognito:bahasa-indonesia",
        "it" => "cognito:italian",
        "ja" => "cognito:japanese",
        "ko" => "cognito:korean",
        "pt-br" => "cognito:portuguese-brazil",
        "zh-cn" => "cognito:chinese-simplified",
        "zh-tw" => "cognito:chinese-traditional",
        _ => return None,
    })
}
