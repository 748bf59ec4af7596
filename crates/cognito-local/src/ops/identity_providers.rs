//! Identity providers: CreateIdentityProvider, DescribeIdentityProvider,
//! UpdateIdentityProvider, DeleteIdentityProvider, ListIdentityProviders,
//! GetIdentityProviderByIdentifier.
//!
//! What the API reference and the service's messages say is checked: social providers
//! are named as their type ("Provider X cannot be of type Google."), each type has the
//! details it requires ("client_id, client_secret and authorize_scopes are all required
//! idp details"; "At least one of the MetadataURL or MetadataFile should be provided."),
//! attribute mappings name the pool's attributes ("AttributeMapping contains invalid
//! mapping: [custom:x]"), and `username` maps to the provider's subject by default.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::page;
use crate::domain::identity_providers::{self, IdentityProviderRecord};
use crate::domain::records::PoolRecord;
use crate::domain::state::ProviderType;
use crate::domain::{Ctx, clients, pools};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The most providers a page lists (the model's `ProvidersListType`).
const MOST_A_PAGE: usize = 50;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateIdentityProviderRequest {
    user_pool_id: String,
    provider_name: String,
    provider_type: ProviderType,
    provider_details: BTreeMap<String, String>,
    attribute_mapping: Option<BTreeMap<String, String>>,
    idp_identifiers: Option<Vec<String>>,
    acr_mapping: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateIdentityProviderRequest {
    user_pool_id: String,
    provider_name: String,
    provider_details: Option<BTreeMap<String, String>>,
    attribute_mapping: Option<BTreeMap<String, String>>,
    idp_identifiers: Option<Vec<String>>,
    acr_mapping: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderNameRequest {
    user_pool_id: String,
    provider_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersRequest {
    user_pool_id: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ByIdentifierRequest {
    user_pool_id: String,
    idp_identifier: String,
}

/// The details a type requires, in the order its message names them.
fn required_details(kind: ProviderType) -> &'static [&'static str] {
    match kind {
        ProviderType::Google | ProviderType::Facebook | ProviderType::LoginWithAmazon => {
            &["client_id", "client_secret", "authorize_scopes"]
        }
        ProviderType::SignInWithApple => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        ProviderType::Oidc => &["client_id", "oidc_issuer", "authorize_scopes"],
        ProviderType::Saml => &[],
    }
}

/// `a, b and c`.
fn listed(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Checks a provider's details for its type.
fn check_details(kind: ProviderType, details: &BTreeMap<String, String>) -> OpResult<()> {
    let required = required_details(kind);
    if required
        .iter()
        .any(|key| details.get(*key).is_none_or(|v| v.trim().is_empty()))
    {
        return Err(CognitoError::invalid_parameter(format!(
            "{} are all required idp details",
            listed(required)
        )));
    }
    match kind {
        ProviderType::Saml => {
            if !details.contains_key("MetadataURL") && !details.contains_key("MetadataFile") {
                return Err(CognitoError::invalid_parameter(
                    "At least one of the MetadataURL or MetadataFile should be provided.",
                ));
            }
            if let Some(algorithm) = details.get("RequestSigningAlgorithm")
                && algorithm != "rsa-sha256"
            {
                return Err(CognitoError::invalid_parameter(
                    "RequestSigningAlgorithm only accepts rsa-sha256.",
                ));
            }
            for flag in ["IDPSignout", "IDPInit", "EncryptedResponses"] {
                if details
                    .get(flag)
                    .is_some_and(|v| v != "true" && v != "false")
                {
                    return Err(CognitoError::invalid_parameter(format!(
                        "{flag} must be true or false."
                    )));
                }
            }
        }
        ProviderType::Oidc
            if details
                .get("attributes_request_method")
                .is_some_and(|m| m != "GET" && m != "POST") =>
        {
            return Err(CognitoError::invalid_parameter(
                "attributes_request_method must be GET or POST.",
            ));
        }
        _ => {}
    }
    Ok(())
}

/// The mapping of a new provider: `username` to the provider's subject unless given
/// (for OIDC, "As a default, the OIDC claim sub is mapped to the user pool attribute
/// Username"; SAML has no default).
fn with_default_mapping(
    kind: ProviderType,
    mut mapping: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let subject = match kind {
        ProviderType::Oidc | ProviderType::Google | ProviderType::SignInWithApple => "sub",
        ProviderType::Facebook => "id",
        ProviderType::LoginWithAmazon => "user_id",
        ProviderType::Saml => return mapping,
    };
    mapping
        .entry("username".to_owned())
        .or_insert_with(|| subject.to_owned());
    mapping
}

/// Checks that a mapping names the pool's attributes (or `username`).
fn check_mapping(pool: &PoolRecord, mapping: &BTreeMap<String, String>) -> OpResult<()> {
    let invalid: Vec<&str> = mapping
        .keys()
        .filter(|key| *key != "username" && !pool.schema.iter().any(|a| &a.name == *key))
        .map(String::as_str)
        .collect();
    if invalid.is_empty() {
        return Ok(());
    }
    Err(CognitoError::invalid_parameter(format!(
        "AttributeMapping contains invalid mapping: [{}]",
        invalid.join(", ")
    )))
}

/// The details as AWS shows them: as given, with the endpoints it fills in for the
/// social types (from the API reference's examples), `attributes_url_add_attributes`,
/// and without Apple's private key.
fn shown_details(record: &IdentityProviderRecord) -> BTreeMap<String, String> {
    let mut details = record.details.clone();
    let fixed: &[(&str, &str)] = match record.kind {
        ProviderType::Google => &[
            (
                "attributes_url",
                "https://people.googleapis.com/v1/people/me?personFields=",
            ),
            ("attributes_url_add_attributes", "true"),
            (
                "authorize_url",
                "https://accounts.google.com/o/oauth2/v2/auth",
            ),
            ("oidc_issuer", "https://accounts.google.com"),
            ("token_request_method", "POST"),
            ("token_url", "https://www.googleapis.com/oauth2/v4/token"),
        ],
        ProviderType::LoginWithAmazon => &[
            ("attributes_url", "https://api.amazon.com/user/profile"),
            ("attributes_url_add_attributes", "false"),
            ("authorize_url", "https://www.amazon.com/ap/oa"),
            ("token_request_method", "POST"),
            ("token_url", "https://api.amazon.com/auth/o2/token"),
        ],
        ProviderType::SignInWithApple => &[
            ("attributes_url_add_attributes", "false"),
            ("authorize_url", "https://appleid.apple.com/auth/authorize"),
            ("oidc_issuer", "https://appleid.apple.com"),
            ("token_request_method", "POST"),
            ("token_url", "https://appleid.apple.com/auth/token"),
        ],
        ProviderType::Oidc => &[("attributes_url_add_attributes", "false")],
        ProviderType::Facebook | ProviderType::Saml => &[],
    };
    for (key, value) in fixed {
        details
            .entry((*key).to_owned())
            .or_insert_with(|| (*value).to_owned());
    }
    if record.kind == ProviderType::Facebook {
        let version = details
            .get("api_version")
            .cloned()
            .unwrap_or_else(|| "v17.0".to_owned());
        for (key, value) in [
            (
                "attributes_url",
                format!("https://graph.facebook.com/{version}/me?fields="),
            ),
            ("attributes_url_add_attributes", "true".to_owned()),
            (
                "authorize_url",
                format!("https://www.facebook.com/{version}/dialog/oauth"),
            ),
            ("token_request_method", "GET".to_owned()),
            (
                "token_url",
                format!("https://graph.facebook.com/{version}/oauth/access_token"),
            ),
        ] {
            details.entry(key.to_owned()).or_insert(value);
        }
    }
    if record.kind == ProviderType::SignInWithApple {
        details.remove("private_key");
    }
    details
}

/// An `IdentityProviderType`.
fn shown(pool: &PoolRecord, record: &IdentityProviderRecord) -> Value {
    let mut out = json!({
        "UserPoolId": pool.id,
        "ProviderName": record.name,
        "ProviderType": record.kind,
        "ProviderDetails": shown_details(record),
        "AttributeMapping": record.attribute_mapping,
        "IdpIdentifiers": record.identifiers,
        "LastModifiedDate": record.modified,
        "CreationDate": record.created,
    });
    if !record.acr_mapping.is_empty() {
        out["AcrMapping"] = json!(record.acr_mapping);
    }
    json!({ "IdentityProvider": out })
}

/// Checks a new provider's name against its type: social providers are named as their
/// type, and `COGNITO` is the pool's own.
fn check_name(name: &str, kind: ProviderType) -> OpResult<()> {
    if name.eq_ignore_ascii_case("COGNITO") {
        return Err(CognitoError::invalid_parameter(
            "COGNITO is a reserved provider name.",
        ));
    }
    let social = !matches!(kind, ProviderType::Oidc | ProviderType::Saml);
    if social && name != kind.as_str() {
        return Err(CognitoError::invalid_parameter(format!(
            "Provider {name} cannot be of type {kind}."
        )));
    }
    Ok(())
}

pub fn create_identity_provider(
    ctx: &Ctx<'_>,
    req: CreateIdentityProviderRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    check_name(&req.provider_name, req.provider_type)?;
    check_details(req.provider_type, &req.provider_details)?;
    let mapping =
        with_default_mapping(req.provider_type, req.attribute_mapping.unwrap_or_default());
    check_mapping(&pool, &mapping)?;
    let record = IdentityProviderRecord {
        name: req.provider_name,
        kind: req.provider_type,
        details: req.provider_details,
        attribute_mapping: mapping,
        identifiers: req.idp_identifiers.unwrap_or_default(),
        acr_mapping: req.acr_mapping.unwrap_or_default(),
        created: ctx.now,
        modified: ctx.now,
    };
    if !identity_providers::create(ctx, &pool, &record)? {
        return Err(CognitoError::new(
            ErrorKind::DuplicateProviderException,
            format!("{} already exists in user pool {}.", record.name, pool.id),
        ));
    }
    Ok(shown(&pool, &record))
}

pub fn describe_identity_provider(ctx: &Ctx<'_>, req: ProviderNameRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = identity_providers::get(ctx, &pool, &req.provider_name)?;
    Ok(shown(&pool, &record))
}

/// Update replaces what it names and keeps the rest; the keys AWS derives are not
/// details of the provider's own (`ActiveEncryptionCertificate`, which the Terraform
/// provider strips before its updates, is dropped if sent back).
pub fn update_identity_provider(
    ctx: &Ctx<'_>,
    req: UpdateIdentityProviderRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut record = identity_providers::get(ctx, &pool, &req.provider_name)?;
    if let Some(mut details) = req.provider_details {
        details.remove("ActiveEncryptionCertificate");
        check_details(record.kind, &details)?;
        record.details = details;
    }
    if let Some(mapping) = req.attribute_mapping {
        let mapping = with_default_mapping(record.kind, mapping);
        check_mapping(&pool, &mapping)?;
        record.attribute_mapping = mapping;
    }
    if let Some(identifiers) = req.idp_identifiers {
        record.identifiers = identifiers;
    }
    if let Some(acr) = req.acr_mapping {
        record.acr_mapping = acr;
    }
    record.modified = ctx.now;
    identity_providers::save(ctx, &pool, &record)?;
    Ok(shown(&pool, &record))
}

/// Delete also takes the provider off its pool's app clients (their
/// SupportedIdentityProviders would otherwise name a provider that is gone).
pub fn delete_identity_provider(ctx: &Ctx<'_>, req: ProviderNameRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = identity_providers::get(ctx, &pool, &req.provider_name)?;
    identity_providers::delete(ctx, &pool, &record)?;
    for (_, mut client) in clients::list(ctx, &pool, None, usize::MAX)? {
        let Some(Value::Array(supported)) = client.settings.get_mut("SupportedIdentityProviders")
        else {
            continue;
        };
        let before = supported.len();
        supported.retain(|name| name.as_str() != Some(record.name.as_str()));
        if supported.len() != before {
            client.modified = ctx.now;
            clients::save(ctx, &client)?;
        }
    }
    Ok(json!({}))
}

pub fn list_identity_providers(
    ctx: &Ctx<'_>,
    req: ListIdentityProvidersRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = match req.max_results {
        Some(n @ 1..=60) => n as usize,
        _ => 60,
    }
    .min(MOST_A_PAGE);
    let listed = identity_providers::list(ctx, &pool, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let listed: Vec<Value> = listed
        .iter()
        .map(|p| {
            json!({
                "ProviderName": p.name,
                "ProviderType": p.kind,
                "LastModifiedDate": p.modified,
                "CreationDate": p.created,
            })
        })
        .collect();
    Ok(crate::model::page("Providers", &listed, "NextToken", next))
}

pub fn get_identity_provider_by_identifier(
    ctx: &Ctx<'_>,
    req: ByIdentifierRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record =
        identity_providers::by_identifier(ctx, &pool, &req.idp_identifier)?.ok_or_else(|| {
            CognitoError::not_found(format!(
                "Identity provider with identifier {} does not exist.",
                req.idp_identifier
            ))
        })?;
    Ok(shown(&pool, &record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_required_details() {
        let none = BTreeMap::new();
        let error = check_details(ProviderType::Google, &none).unwrap_err();
        assert_eq!(
            error.message,
            "client_id, client_secret and authorize_scopes are all required idp details"
        );
        let error = check_details(ProviderType::Saml, &none).unwrap_err();
        assert_eq!(
            error.message,
            "At least one of the MetadataURL or MetadataFile should be provided."
        );
        assert_eq!(listed(&["a"]), "a");
    }
}
