//! AdminLinkProviderForUser and AdminDisableProviderForUser, as the API reference
//! describes them:
//! - the destination is an existing user (`ProviderName` `Cognito`, the value its user
//!   name; its `ProviderAttributeName` is ignored), none of whose attributes may be
//!   immutable custom ones; the source an identity of one of the pool's providers
//!   "who doesn't exist yet in the user pool", matched by `Cognito_Subject` (the only
//!   choice for social providers) or by a pool attribute the provider maps a claim
//!   onto; at most five identities a user, and five attributes a provider links on;
//! - disabling an identity removes its link and its entry in the user's `identities`;
//!   a user who signed in through the provider without a link can no longer sign in
//!   with it (disabled); for `Cognito` (`Cognito_Subject` and the user name) the
//!   native user "can't use their password to sign in" (the password is removed).

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::identities;
use crate::domain::identity_providers::{self, IdentityProviderRecord};
use crate::domain::provider_links::{self, ProviderLinkRecord, SUBJECT};
use crate::domain::records::PoolRecord;
use crate::domain::state::ProviderType;
use crate::domain::{Ctx, pools, users};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The provider name of the pool's own users.
const COGNITO: &str = "Cognito";
/// The most identities linked to one user, and attributes one provider links on.
const MOST_LINKS: usize = 5;

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub struct ProviderUser {
    provider_name: Option<String>,
    provider_attribute_name: Option<String>,
    provider_attribute_value: Option<String>,
}

impl ProviderUser {
    fn name(&self) -> &str {
        self.provider_name.as_deref().unwrap_or_default()
    }
    fn attribute(&self) -> &str {
        self.provider_attribute_name.as_deref().unwrap_or_default()
    }
    fn value(&self) -> &str {
        self.provider_attribute_value.as_deref().unwrap_or_default()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminLinkProviderForUserRequest {
    user_pool_id: String,
    destination_user: ProviderUser,
    source_user: ProviderUser,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDisableProviderForUserRequest {
    user_pool_id: String,
    user: ProviderUser,
}

/// The provider of a source user, with the attribute it links on checked.
fn source_provider(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    source: &ProviderUser,
) -> OpResult<IdentityProviderRecord> {
    if source.name() == COGNITO {
        return Err(CognitoError::invalid_parameter(
            "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser",
        ));
    }
    let provider = identity_providers::find(ctx, pool, source.name())?.ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "Invalid SourceUser: {} is not an identity provider of the user pool.",
            source.name()
        ))
    })?;
    if source.value().is_empty() {
        return Err(CognitoError::invalid_parameter(
            "Invalid SourceUser: ProviderAttributeValue is required.",
        ));
    }
    let attribute = source.attribute();
    let social = !matches!(provider.kind, ProviderType::Oidc | ProviderType::Saml);
    if attribute == SUBJECT {
        return Ok(provider);
    }
    if social {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid SourceUser: ProviderAttributeName must be {SUBJECT} for {} users.",
            provider.kind
        )));
    }
    if !provider.attribute_mapping.contains_key(attribute) || attribute == "username" {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid SourceUser: {attribute} is not an attribute {} is mapped onto.",
            provider.name
        )));
    }
    Ok(provider)
}

pub fn admin_link_provider_for_user(
    ctx: &Ctx<'_>,
    req: AdminLinkProviderForUserRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let (destination, source) = (&req.destination_user, &req.source_user);
    if destination.name() != COGNITO {
        return Err(CognitoError::invalid_parameter(
            "Invalid DestinationUser: ProviderName must be Cognito.",
        ));
    }
    let user =
        users::by_username(ctx, &pool, destination.value())?.ok_or_else(users::user_not_found)?;
    let provider = source_provider(ctx, &pool, source)?;
    let immutable_custom = pool.schema.iter().any(|a| {
        !a.mutable && a.name.starts_with("custom:") && user.attributes.contains_key(&a.name)
    });
    if immutable_custom {
        return Err(CognitoError::invalid_parameter(
            "Invalid DestinationUser: all of its attributes must be mutable.",
        ));
    }
    // "A user who doesn't exist yet in the user pool": a source who has signed in
    // already must be deleted first.
    if source.attribute() == SUBJECT {
        let federated = users::normalise(&pool, &format!("{}_{}", provider.name, source.value()));
        if users::by_username(ctx, &pool, &federated)?.is_some() {
            return Err(CognitoError::invalid_parameter(
                "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
            ));
        }
    }
    if provider_links::find(
        ctx,
        &pool,
        &provider.name,
        source.attribute(),
        source.value(),
    )?
    .is_some()
    {
        return Err(CognitoError::invalid_parameter(
            "Invalid SourceUser: the identity is already linked to a user.",
        ));
    }
    if provider_links::of_user(ctx, &pool, &user.username)?.len() >= MOST_LINKS {
        return Err(CognitoError::new(
            ErrorKind::LimitExceededException,
            "A user can have at most 5 linked identities.",
        ));
    }
    let mut attributes: Vec<String> = provider_links::of_provider(ctx, &pool, &provider.name)?
        .into_iter()
        .map(|link| link.attribute)
        .collect();
    attributes.sort();
    attributes.dedup();
    if !attributes.iter().any(|a| a == source.attribute()) && attributes.len() >= MOST_LINKS {
        return Err(CognitoError::new(
            ErrorKind::LimitExceededException,
            "An identity provider can link users on at most 5 attributes.",
        ));
    }
    let link = ProviderLinkRecord {
        provider: provider.name.clone(),
        attribute: source.attribute().to_owned(),
        value: source.value().to_owned(),
        username: user.username.clone(),
        created: ctx.now,
    };
    provider_links::create(ctx, &pool, &link)?;
    Ok(json!({}))
}

pub fn admin_disable_provider_for_user(
    ctx: &Ctx<'_>,
    req: AdminDisableProviderForUserRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let who = &req.user;
    if who.name() == COGNITO {
        if who.attribute() != SUBJECT {
            return Err(CognitoError::invalid_parameter(format!(
                "ProviderAttributeName must be {SUBJECT} for Cognito users."
            )));
        }
        let mut user =
            users::by_username(ctx, &pool, who.value())?.ok_or_else(users::user_not_found)?;
        user.password = None;
        user.modified = ctx.now;
        users::save(ctx, &pool, &user)?;
        return Ok(json!({}));
    }
    let provider = identity_providers::get(ctx, &pool, who.name())?;
    if let Some(link) =
        provider_links::find(ctx, &pool, &provider.name, who.attribute(), who.value())?
    {
        provider_links::delete(ctx, &pool, &link)?;
        if let Some(mut user) = users::by_username(ctx, &pool, &link.username)?
            && identities::remove(&mut user, &provider.name, who.value())
        {
            user.modified = ctx.now;
            users::save(ctx, &pool, &user)?;
        }
        return Ok(json!({}));
    }
    if who.attribute() == SUBJECT {
        let federated = users::normalise(&pool, &format!("{}_{}", provider.name, who.value()));
        if let Some(mut user) = users::by_username(ctx, &pool, &federated)? {
            user.enabled = false;
            user.modified = ctx.now;
            users::save(ctx, &pool, &user)?;
            return Ok(json!({}));
        }
    }
    Err(users::user_not_found())
}
