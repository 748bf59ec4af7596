//! A sign-in through one of the pool's identity providers, once the provider's answer
//! is verified: the user it vouches for found, created or updated, as the developer
//! guide's federation pages describe.
//! - The inbound federation trigger sees the provider's claims first and may replace
//!   them ("invoked ... before creating or updating the user profile").
//! - The provider's claims are mapped onto the pool's attributes on every sign-in
//!   ("Amazon Cognito updates each mapped attribute"); a claim that is missing changes
//!   nothing; a mapped email is verified only when `email_verified` is mapped too.
//! - An identity linked to a user (AdminLinkProviderForUser) signs that user in; else
//!   the user is `PROVIDER_subject`, created with status `EXTERNAL_PROVIDER`, the
//!   `identities` attribute and membership of the group `POOLID_PROVIDER`.
//! - Triggers by the guide's table: PreSignUp_ExternalProvider and
//!   PostConfirmation_ConfirmSignUp at the first sign-in, PreAuthentication and
//!   PostAuthentication at later ones. Federated users have no MFA ("Amazon Cognito
//!   delegates all authentication processes to the IdP").

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::attributes::{self, AttributeIn, Writer};
use super::hooks::{self, ConfirmationSource, SignUpSource};
use super::identities::{self, Identity};
use super::identity_providers::IdentityProviderRecord;
use super::lambdas::{self, Call, Trigger};
use super::provider_links::{self, ProviderLinkRecord, SUBJECT};
use super::records::{ClientRecord, GroupRecord, PoolRecord, UserRecord};
use super::state::UserStatus;
use super::{Ctx, groups, sign_in_hooks, users};
use crate::error::{CognitoError, OpResult};

/// What a provider vouched for, as it answered.
#[derive(Clone, Default)]
pub(crate) struct Vouched {
    /// The user's claims: the ID token's over the userInfo endpoint's.
    pub claims: Map<String, Value>,
    /// The provider's token response (for the inbound federation trigger).
    pub token_response: Value,
    /// The ID token's claims.
    pub id_token: Value,
    /// The userInfo endpoint's answer.
    pub user_info: Value,
}

/// Shown without the provider's tokens.
impl std::fmt::Debug for Vouched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vouched")
            .field("claims", &self.claims.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The inbound federation trigger's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct InboundAnswer {
    user_attributes_to_map: Option<BTreeMap<String, String>>,
}

/// A claim as an attribute's text: strings as they are, lists as AWS flattens them
/// (`[a,b]`), other values as their JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(text_of).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// Signs in the user `provider` vouches for through `client`: the user, as stored.
pub(crate) fn sign_in(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    provider: &IdentityProviderRecord,
    vouched: Vouched,
) -> OpResult<UserRecord> {
    let subject_claim = provider
        .attribute_mapping
        .get("username")
        .map(String::as_str)
        .unwrap_or("sub");
    let subject = vouched
        .claims
        .get(subject_claim)
        .map(text_of)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            CognitoError::invalid_parameter(format!(
                "The identity provider's answer has no {subject_claim} for the user name."
            ))
        })?;
    let username = users::normalise(pool, &format!("{}_{subject}", provider.name));
    let claims = inbound_federation(ctx, pool, client, provider, &username, vouched)?;
    // Attributes the client may not write are skipped, and sign-in goes on (as the
    // guide says of mappings onto attributes that are not writable).
    let mapped: Vec<AttributeIn> = provider
        .attribute_mapping
        .iter()
        .filter(|(attribute, _)| *attribute != "username")
        .filter(|(attribute, _)| {
            client.write_attributes.is_empty() || client.write_attributes.contains(attribute)
        })
        .filter_map(|(attribute, claim)| {
            claims.get(claim).map(|value| AttributeIn {
                name: attribute.clone(),
                value: Some(text_of(value)),
            })
        })
        .collect();
    if let Some((user, rewrite)) = linked_user(ctx, pool, provider, &subject, &mapped)? {
        let identity = Identity::new(&provider.name, provider.kind, &subject, false, ctx.now);
        let linked = Linked { identity, rewrite };
        return returning(ctx, pool, client, user, &mapped, Some(linked));
    }
    match users::by_username(ctx, pool, &username)? {
        Some(user) => {
            // The name is this identity's only if the user was made for it: a user of
            // that name made otherwise (SignUp, AdminCreateUser), or for a subject that
            // differs in case only, is not signed in as.
            let made_for_it = user.status == UserStatus::ExternalProvider
                && identities::of(&user)
                    .iter()
                    .any(|i| i.primary && i.provider_name == provider.name && i.user_id == subject);
            if !made_for_it {
                return Err(CognitoError::invalid_parameter(format!(
                    "The user {username} exists and did not sign in through {}.",
                    provider.name
                )));
            }
            returning(ctx, pool, client, user, &mapped, None)
        }
        None => first(ctx, pool, client, provider, &username, &subject, &mapped),
    }
}

/// A sign-in through a linked identity: the identity to record on the user, and the
/// link by attribute to turn into a link by subject once the sign-in passes.
struct Linked {
    identity: Identity,
    rewrite: Option<ProviderLinkRecord>,
}

/// The mapped attributes to write to `user`: a contact attribute whose value changes is
/// no longer verified unless the provider says so too (its `*_verified` mapped), as
/// any change of email or phone number unverifies it.
fn with_verification(user: &UserRecord, mapped: &[AttributeIn]) -> Vec<AttributeIn> {
    let mut out = mapped.to_vec();
    for contact in ["email", "phone_number"] {
        let flag = format!("{contact}_verified");
        let changed = mapped
            .iter()
            .any(|a| a.name == contact && user.attributes.get(contact) != a.value.as_ref());
        if changed && !mapped.iter().any(|a| a.name == flag) {
            out.push(AttributeIn {
                name: flag,
                value: Some("false".to_owned()),
            });
        }
    }
    out
}

/// Runs the inbound federation trigger, if the pool has it: the claims it keeps
/// (`{}` keeps them all; otherwise "omitted attributes are dropped").
fn inbound_federation(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    provider: &IdentityProviderRecord,
    username: &str,
    vouched: Vouched,
) -> OpResult<Map<String, Value>> {
    let answer: Option<InboundAnswer> = lambdas::call(
        ctx,
        pool,
        Call {
            trigger: Trigger::InboundFederation,
            source: "InboundFederation_ExternalProvider".into(),
            username,
            client_id: Some(&client.id),
            request: json!({
                "providerName": provider.name,
                "providerType": provider.kind.as_str(),
                "attributes": {
                    "tokenResponse": vouched.token_response,
                    "idToken": vouched.id_token,
                    "userInfo": vouched.user_info,
                },
            }),
            response: json!({ "userAttributesToMap": {} }),
        },
    )?;
    match answer.and_then(|a| a.user_attributes_to_map) {
        Some(kept) if !kept.is_empty() => Ok(kept
            .into_iter()
            .map(|(name, value)| (name, Value::String(value)))
            .collect()),
        _ => Ok(vouched.claims),
    }
}

/// The user an identity is linked to: by its subject, else by one of its mapped
/// attributes (that link is returned, to become a link by subject once the sign-in
/// passes, as AWS's unlinking rules imply: "If the user has already signed in, the
/// ProviderAttributeName must be Cognito_Subject"). A link whose user is gone is
/// ignored (it goes with its user).
fn linked_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    provider: &IdentityProviderRecord,
    subject: &str,
    mapped: &[AttributeIn],
) -> OpResult<Option<(UserRecord, Option<ProviderLinkRecord>)>> {
    let mut found = provider_links::find(ctx, pool, &provider.name, SUBJECT, subject)?
        .map(|link| (link, false));
    if found.is_none() {
        for attribute in mapped {
            let value = attribute.value.as_deref().unwrap_or_default();
            if let Some(link) =
                provider_links::find(ctx, pool, &provider.name, &attribute.name, value)?
            {
                found = Some((link, true));
                break;
            }
        }
    }
    let Some((link, by_attribute)) = found else {
        return Ok(None);
    };
    Ok(users::by_username(ctx, pool, &link.username)?
        .map(|user| (user, by_attribute.then_some(link))))
}

/// A later sign-in (or a linked one): PreAuthentication, the mapped attributes
/// updated, the linked identity recorded, PostAuthentication.
fn returning(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    mapped: &[AttributeIn],
    linked: Option<Linked>,
) -> OpResult<UserRecord> {
    let disabled = || CognitoError::not_authorized("User is disabled.");
    if !user.enabled {
        return Err(disabled());
    }
    let mut user = sign_in_hooks::pre_authentication(ctx, pool, client, user)?;
    // Read again after the trigger: it ran without the store's lock.
    if !user.enabled {
        return Err(disabled());
    }
    let changes = with_verification(&user, mapped);
    attributes::apply(pool, &mut user, &changes, Writer::Admin)?;
    if let Some(Linked { identity, rewrite }) = linked {
        if let Some(link) = rewrite {
            provider_links::delete(ctx, pool, &link)?;
            let by_subject = ProviderLinkRecord {
                attribute: SUBJECT.to_owned(),
                value: identity.user_id.clone(),
                ..link
            };
            provider_links::create(ctx, pool, &by_subject)?;
        }
        identities::add(&mut user, identity);
    }
    user.modified = ctx.now;
    users::save(ctx, pool, &user)?;
    sign_in_hooks::post_authentication(ctx, pool, client, &mut user, false)?;
    Ok(user)
}

/// The first sign-in: the attributes the pool requires must be mapped ("attributes
/// required: [...]", as the service redirects), PreSignUp may refuse, the user is
/// created in the provider's group, PostConfirmation runs.
fn first(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    provider: &IdentityProviderRecord,
    username: &str,
    subject: &str,
    mapped: &[AttributeIn],
) -> OpResult<UserRecord> {
    let missing: Vec<&str> = pool
        .schema
        .iter()
        .filter(|a| a.required && a.name != "sub")
        .filter(|a| !mapped.iter().any(|m| m.name == a.name))
        .map(|a| a.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(CognitoError::invalid_parameter(format!(
            "attributes required: [{}]",
            missing.join(", ")
        )));
    }
    let mut user = users::blank(ctx, username, UserStatus::ExternalProvider);
    attributes::apply(pool, &mut user, mapped, Writer::Admin)?;
    identities::add(
        &mut user,
        Identity::new(&provider.name, provider.kind, subject, true, ctx.now),
    );
    hooks::pre_sign_up(
        ctx,
        pool,
        &mut user,
        SignUpSource::ExternalProvider,
        Some(&client.id),
        None,
    )?;
    users::save(ctx, pool, &user)?;
    let group = provider_group(ctx, pool, provider)?;
    groups::add_member(ctx, pool, &group, &user)?;
    hooks::post_confirmation(
        ctx,
        pool,
        &user,
        ConfirmationSource::SignUp,
        Some(&client.id),
    )?;
    Ok(user)
}

/// The group of a provider's users, `POOLID_PROVIDER`, made at its first user
/// ("Amazon Cognito creates a user group for each OIDC, SAML, and social IdP").
fn provider_group(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    provider: &IdentityProviderRecord,
) -> OpResult<GroupRecord> {
    let name = format!("{}_{}", pool.id, provider.name);
    let group = GroupRecord {
        name: name.clone(),
        description: Some(
            "Autogenerated group for users who sign in using the identity provider".to_owned(),
        ),
        role_arn: None,
        precedence: None,
        created: ctx.now,
        modified: ctx.now,
    };
    if groups::create(ctx, pool, &group)? {
        return Ok(group);
    }
    groups::get(ctx, pool, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_become_attribute_text_as_aws_flattens_them() {
        assert_eq!(text_of(&json!("a")), "a");
        assert_eq!(text_of(&json!(true)), "true");
        assert_eq!(text_of(&json!(["x", "y"])), "[x,y]");
    }
}
