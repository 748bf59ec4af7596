//! Users, by admins: AdminCreateUser, AdminGetUser, AdminDeleteUser,
//! AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminDisableUser,
//! AdminEnableUser, AdminConfirmSignUp, AdminResetUserPassword,
//! AdminSetUserPassword, AdminSetUserSettings, ListUsers.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::attributes::{self, AttributeIn, Writer};
use crate::domain::hooks::{self, ConfirmationSource, SignUpSource};
use crate::domain::message_hooks::{self, Message, MessageSource};
use crate::domain::outbox::{self, Delivery};
use crate::domain::records::UserRecord;
use crate::domain::state::{DeliveryMedium, MessageAction, MessagePurpose, UserStatus};
use crate::domain::{Ctx, codes, passwords, pools, users};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::user::{GetUserResponse, UserType};
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    user_pool_id: String,
    username: String,
    user_attributes: Option<Vec<AttributeIn>>,
    temporary_password: Option<String>,
    message_action: Option<String>,
    desired_delivery_mediums: Option<Vec<String>>,
    force_alias_creation: Option<bool>,
    validation_data: Option<Vec<AttributeIn>>,
}

pub fn admin_create_user(ctx: &Ctx<'_>, req: AdminCreateUserRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let action = req
        .message_action
        .as_deref()
        .map(|action| {
            validate::named(
                "messageAction",
                action,
                MessageAction::parse,
                MessageAction::NAMES,
            )
        })
        .transpose()?;
    let mediums = match &req.desired_delivery_mediums {
        Some(given) => validate::all_named(
            "desiredDeliveryMediums",
            given,
            DeliveryMedium::parse,
            DeliveryMedium::NAMES,
        )?,
        None => vec![DeliveryMedium::Sms],
    };
    let temporary = match req.temporary_password {
        Some(password) => {
            passwords::check_policy(&pool.password_policy, &password)?;
            password
        }
        None => passwords::temporary_password(&pool.password_policy),
    };

    let mut user = if action == Some(MessageAction::Resend) {
        let user = users::require(ctx, &pool, &req.username)?;
        if user.status != UserStatus::ForceChangePassword {
            return Err(CognitoError::new(
                ErrorKind::UnsupportedUserStateException,
                format!(
                    "Resend not possible. {} status is not FORCE_CHANGE_PASSWORD",
                    user.username
                ),
            ));
        }
        user
    } else {
        let (mut user, from_name) =
            users::new_user(ctx, &pool, &req.username, UserStatus::ForceChangePassword)?;
        if users::name_taken(ctx, &pool, &req.username, &user.username)? {
            return Err(CognitoError::new(
                ErrorKind::UsernameExistsException,
                "User account already exists",
            ));
        }
        let mut given = req.user_attributes.unwrap_or_default();
        given.extend(from_name);
        attributes::apply(&pool, &mut user, &given, Writer::Admin)?;
        // AdminCreateUser's users wait for a new password whatever the answer says:
        // only its verified attributes count.
        hooks::pre_sign_up(
            ctx,
            &pool,
            &mut user,
            SignUpSource::AdminCreateUser,
            None,
            req.validation_data.as_deref(),
        )?;
        if req.force_alias_creation == Some(true) {
            users::steal_aliases(ctx, &pool, &user)?;
        }
        user
    };
    user.password = Some(passwords::new_verifier(&pool, &user.username, &temporary)?);
    user.temporary_password_expires = Some(passwords::temporary_expiry(ctx, &pool));
    user.modified = ctx.now;

    if action != Some(MessageAction::Suppress) {
        for medium in &mediums {
            let delivery = match medium {
                DeliveryMedium::Email => Delivery::email(&user),
                DeliveryMedium::Sms => Delivery::sms(&user),
            };
            // As AWS: DesiredDeliveryMediums defaults to SMS, and a user without a
            // phone number then gets nothing. The outbox says so.
            if delivery.is_none() {
                let (attribute, hint) = match medium {
                    DeliveryMedium::Sms => (
                        "phone_number",
                        " (DesiredDeliveryMediums defaults to SMS: pass EMAIL to send the invitation by email)",
                    ),
                    DeliveryMedium::Email => ("email", ""),
                };
                outbox::undeliverable(
                    ctx,
                    &pool,
                    &user,
                    *medium,
                    MessagePurpose::Invitation,
                    format!("Not delivered: the user has no {attribute}{hint}."),
                )?;
            }
            if let Some(delivery) = delivery {
                let (key, default) = if *medium == DeliveryMedium::Email {
                    (
                        "EmailMessage",
                        "Your username is {username} and temporary password is {####}. ",
                    )
                } else {
                    (
                        "SMSMessage",
                        "Your username is {username} and temporary password is {####}. ",
                    )
                };
                let text = outbox::template(
                    &pool,
                    &["AdminCreateUserConfig", "InviteMessageTemplate", key],
                    default,
                );
                let message = Message {
                    delivery: &delivery,
                    purpose: MessagePurpose::Invitation,
                    source: MessageSource::AdminCreateUser,
                    template: text,
                    code: &temporary,
                };
                message_hooks::send(ctx, &pool, &user, message)?;
            }
        }
    }
    users::save(ctx, &pool, &user)?;
    tracing::info!(pool = %pool.id, user = %user.username, "created user");
    Ok(json!({ "User": UserType::of(&user, None) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserRequest {
    user_pool_id: String,
    username: String,
}

pub fn admin_get_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let user = users::require(ctx, &pool, &req.username)?;
    Ok(json!(GetUserResponse::of(&user)))
}

pub fn admin_delete_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let user = users::require(ctx, &pool, &req.username)?;
    users::delete(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesRequest {
    user_pool_id: String,
    username: String,
    user_attributes: Vec<AttributeIn>,
}

pub fn admin_update_user_attributes(
    ctx: &Ctx<'_>,
    req: AdminUpdateUserAttributesRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    let mut changed = attributes::apply(&pool, &mut user, &req.user_attributes, Writer::Admin)?;
    // A verified flag given counts as set, even at the value it had: a new email given
    // with `email_verified` true stays verified (and claims its alias).
    changed.extend(
        req.user_attributes
            .iter()
            .filter(|a| a.name.ends_with("_verified"))
            .map(|a| a.name.clone()),
    );
    codes::after_contact_change(ctx, &pool, &mut user, &changed)?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeleteUserAttributesRequest {
    user_pool_id: String,
    username: String,
    user_attribute_names: Vec<String>,
}

pub fn admin_delete_user_attributes(
    ctx: &Ctx<'_>,
    req: AdminDeleteUserAttributesRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    attributes::delete(&pool, &mut user, &req.user_attribute_names, Writer::Admin)?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

fn set_enabled(ctx: &Ctx<'_>, req: UserRequest, enabled: bool) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    user.enabled = enabled;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

pub fn admin_disable_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    set_enabled(ctx, req, false)
}

pub fn admin_enable_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    set_enabled(ctx, req, true)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminConfirmSignUpRequest {
    user_pool_id: String,
    username: String,
}

/// Confirms a user; PostConfirmation runs as for ConfirmSignUp (trigger source
/// PostConfirmation_ConfirmSignUp, no app client).
pub fn admin_confirm_sign_up(ctx: &Ctx<'_>, req: AdminConfirmSignUpRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        ));
    }
    user.status = UserStatus::Confirmed;
    user.pending_code = None;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    hooks::post_confirmation(ctx, &pool, &user, ConfirmationSource::SignUp, None)?;
    Ok(json!({}))
}

pub fn admin_reset_user_password(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    // As the service refuses them: a disabled user, and one that has not yet chosen a
    // password of its own.
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if user.status == UserStatus::ForceChangePassword {
        return Err(CognitoError::not_authorized(
            "User password cannot be reset in the current state.",
        ));
    }
    codes::send_reset(ctx, &pool, &mut user)?;
    if user.status != UserStatus::Unconfirmed {
        user.status = UserStatus::ResetRequired;
    }
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordRequest {
    user_pool_id: String,
    username: String,
    password: String,
    permanent: Option<bool>,
}

pub fn admin_set_user_password(ctx: &Ctx<'_>, req: AdminSetUserPasswordRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    passwords::check_policy(&pool.password_policy, &req.password)?;
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.password,
    )?);
    if req.permanent == Some(true) {
        user.status = UserStatus::Confirmed;
        user.temporary_password_expires = None;
    } else {
        user.status = UserStatus::ForceChangePassword;
        user.temporary_password_expires = Some(passwords::temporary_expiry(ctx, &pool));
    }
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserSettingsRequest {
    user_pool_id: String,
    username: String,
    #[serde(rename = "MFAOptions")]
    mfa_options: Vec<Value>,
}

pub fn admin_set_user_settings(ctx: &Ctx<'_>, req: AdminSetUserSettingsRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    user.mfa_options = (!req.mfa_options.is_empty()).then_some(Value::Array(req.mfa_options));
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    user_pool_id: String,
    attributes_to_get: Option<Vec<String>>,
    limit: Option<i64>,
    pagination_token: Option<String>,
    filter: Option<String>,
}

/// A ListUsers filter: `name = "value"` or `name ^= "value"`.
struct Filter {
    attribute: String,
    prefix: bool,
    value: String,
}

const FILTERABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

fn parse_filter(text: &str) -> OpResult<Option<Filter>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = || CognitoError::invalid_parameter("Error while parsing filter.");
    let (attribute, rest, prefix) = if let Some((a, r)) = text.split_once("^=") {
        (a, r, true)
    } else if let Some((a, r)) = text.split_once('=') {
        (a, r, false)
    } else {
        return Err(invalid());
    };
    let attribute = attribute.trim().trim_matches('"').to_owned();
    let value = rest.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(invalid)?;
    if !FILTERABLE.contains(&attribute.as_str()) {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid search attribute: {attribute}"
        )));
    }
    Ok(Some(Filter {
        attribute,
        prefix,
        value: value.to_owned(),
    }))
}

impl Filter {
    fn matches(&self, user: &UserRecord) -> bool {
        let actual = match self.attribute.as_str() {
            "username" => Some(user.username.clone()),
            "sub" => Some(user.sub.clone()),
            "cognito:user_status" => Some(user.status.as_str().to_owned()),
            "status" => Some(if user.enabled { "Enabled" } else { "Disabled" }.to_owned()),
            name => user.attributes.get(name).cloned(),
        };
        actual.is_some_and(|a| {
            if self.prefix {
                a.starts_with(&self.value)
            } else {
                a == self.value
            }
        })
    }
}

pub fn list_users(ctx: &Ctx<'_>, req: ListUsersRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.limit);
    let filter = parse_filter(req.filter.as_deref().unwrap_or(""))?;
    let mut found: Vec<(String, UserRecord)> = Vec::new();
    let mut next = None;
    let mut after = req.pagination_token.clone();
    'pages: loop {
        let page = users::list(ctx, &pool, after.as_deref(), 200)?;
        let done = page.len() < 200;
        for (key, user) in page {
            after = Some(key.clone());
            if filter.as_ref().is_none_or(|f| f.matches(&user)) {
                if found.len() == limit {
                    next = found.last().map(|(key, _)| key.clone());
                    break 'pages;
                }
                found.push((key, user));
            }
        }
        if done {
            break;
        }
    }
    let only = req.attributes_to_get.as_deref();
    let listed: Vec<UserType> = found.iter().map(|(_, u)| UserType::of(u, only)).collect();
    Ok(crate::model::page(
        "Users",
        &listed,
        "PaginationToken",
        next,
    ))
}
