//! Users, by admins: AdminCreateUser, AdminGetUser, AdminDeleteUser,
//! AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminDisableUser,
//! AdminEnableUser, AdminConfirmSignUp, AdminResetUserPassword,
//! AdminSetUserPassword, AdminSetUserSettings, ListUsers.

use serde::Deserialize;
use serde_json::{Value, json};

use super::attributes::{self, Writer};
use super::{Ctx, directory, passwords, pool, validate};
use crate::messages::{self, Delivery};
use crate::model::user::{AttributeIn, admin_get_user, user_type};
use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{MembershipRecord, PendingCode, PoolRecord, UserRecord};

/// Minutes a verification or reset code stays valid.
pub const CODE_LIFETIME_SECONDS: i64 = 24 * 3600;

/// A new user record for a name given in a request, and the attribute the name stands
/// for in pools where email or phone is the user name (the user name is then the `sub`).
pub fn new_user(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    given: &str,
    status: &str,
) -> OpResult<(UserRecord, Option<AttributeIn>)> {
    let (username, from_name) = new_username(pool, given)?;
    let sub = if from_name.is_some() {
        username.clone()
    } else {
        uuid::Uuid::new_v4().to_string()
    };
    Ok((blank_user(ctx, username, sub, status), from_name))
}

fn blank_user(ctx: &Ctx<'_>, username: String, sub: String, status: &str) -> UserRecord {
    UserRecord {
        username,
        sub,
        attributes: Default::default(),
        enabled: true,
        status: status.to_owned(),
        created: ctx.now,
        modified: ctx.now,
        password: None,
        temporary_password_expires: None,
        pending_code: None,
        mfa_options: None,
        failed_sign_ins: 0,
        locked_until: None,
        mfa: Default::default(),
        device_group_key: None,
    }
}

/// The user name a new user is stored under, and the attribute the name gave.
fn new_username(pool: &PoolRecord, given: &str) -> OpResult<(String, Option<AttributeIn>)> {
    if given.is_empty() || given.chars().count() > 128 {
        return Err(CognitoError::validation(
            "username",
            Some(given),
            "Member must have length between 1 and 128",
        ));
    }
    if pool.username_attributes.is_empty() {
        if given.contains(char::is_whitespace) {
            return Err(CognitoError::validation(
                "username",
                Some(given),
                "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
            ));
        }
        return Ok((directory::normalise(pool, given), None));
    }
    let attribute = if attributes::looks_like_email(given)
        && pool.username_attributes.iter().any(|a| a == "email")
    {
        "email"
    } else if attributes::looks_like_phone(given)
        && pool.username_attributes.iter().any(|a| a == "phone_number")
    {
        "phone_number"
    } else {
        let expected = pool
            .username_attributes
            .join(" or ")
            .replace("phone_number", "phone number");
        return Err(CognitoError::invalid_parameter(format!(
            "Username should be an {expected}."
        )));
    };
    let attribute = AttributeIn {
        name: attribute.to_owned(),
        value: Some(given.to_owned()),
    };
    Ok((uuid::Uuid::new_v4().to_string(), Some(attribute)))
}

/// Sends a code for `purpose` to `delivery` and keeps it on the user.
pub fn send_code(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    delivery: &Delivery,
    purpose: &str,
) -> OpResult<()> {
    let code = messages::new_code();
    let body = messages::verification_text(pool, delivery, &code, &user.username);
    messages::send(ctx, pool, user, delivery, purpose, body, Some(&code))?;
    user.pending_code = Some(PendingCode {
        purpose: purpose.to_owned(),
        code,
        expires: ctx.now as i64 + CODE_LIFETIME_SECONDS,
        failed_attempts: 0,
    });
    Ok(())
}

/// The service's answer to a wrong verification code.
pub fn code_mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatchException,
        "Invalid verification code provided, please try again.",
    )
}

/// Checks a code the user sent back; wrong guesses are counted (and kept even though the
/// operation fails), and the code is used up on success.
pub fn use_code(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    purpose: &str,
    code: &str,
) -> OpResult<()> {
    let mismatch = code_mismatch;
    let Some(pending) = user.pending_code.as_mut().filter(|p| p.purpose == purpose) else {
        return Err(mismatch());
    };
    if (ctx.now as i64) > pending.expires {
        return Err(CognitoError::new(
            ErrorKind::ExpiredCodeException,
            "Invalid code provided, please request a code again.",
        ));
    }
    if pending.code != code {
        pending.failed_attempts += 1;
        let error = if pending.failed_attempts >= 5 {
            user.pending_code = None;
            CognitoError::new(
                ErrorKind::LimitExceededException,
                "Attempt limit exceeded, please try after some time.",
            )
        } else {
            mismatch()
        };
        directory::save(ctx, pool, user)?;
        return Err(error.keeping_writes());
    }
    user.pending_code = None;
    Ok(())
}

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
}

pub fn admin_create_user(ctx: &Ctx<'_>, req: AdminCreateUserRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let action = req.message_action.as_deref();
    if let Some(action) = action {
        validate::one_of("messageAction", action, &["RESEND", "SUPPRESS"])?;
    }
    let mediums = req
        .desired_delivery_mediums
        .unwrap_or_else(|| vec!["SMS".to_owned()]);
    for medium in &mediums {
        validate::one_of("desiredDeliveryMediums", medium, &["SMS", "EMAIL"])?;
    }
    let temporary = match req.temporary_password {
        Some(password) => {
            passwords::check_policy(&pool.password_policy, &password)?;
            password
        }
        None => passwords::temporary_password(&pool.password_policy),
    };

    let mut user = if action == Some("RESEND") {
        let user = directory::require(ctx, &pool, &req.username)?;
        if user.status != "FORCE_CHANGE_PASSWORD" {
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
        let (mut user, from_name) = new_user(ctx, &pool, &req.username, "FORCE_CHANGE_PASSWORD")?;
        if directory::name_taken(ctx, &pool, &req.username, &user.username)? {
            return Err(CognitoError::new(
                ErrorKind::UsernameExistsException,
                "User account already exists",
            ));
        }
        let mut given = req.user_attributes.unwrap_or_default();
        given.extend(from_name);
        attributes::apply(&pool, &mut user, &given, Writer::Admin)?;
        if req.force_alias_creation == Some(true) {
            steal_aliases(ctx, &pool, &user)?;
        }
        user
    };
    user.password = Some(passwords::new_verifier(&pool, &user.username, &temporary)?);
    let days = f64::from(pool.password_policy.temporary_password_validity_days);
    user.temporary_password_expires = Some(ctx.now + days * 86_400.0);
    user.modified = ctx.now;

    if action != Some("SUPPRESS") {
        for medium in &mediums {
            let delivery = if medium == "EMAIL" {
                Delivery::email(&user)
            } else {
                Delivery::sms(&user)
            };
            if let Some(delivery) = delivery {
                let (key, default) = if medium == "EMAIL" {
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
                let text = messages::template(
                    &pool,
                    &["AdminCreateUserConfig", "InviteMessageTemplate", key],
                    default,
                );
                let body = messages::fill(&text, &temporary, &user.username);
                messages::send(
                    ctx,
                    &pool,
                    &user,
                    &delivery,
                    "invitation",
                    body,
                    Some(&temporary),
                )?;
            }
        }
    }
    directory::save(ctx, &pool, &user)?;
    tracing::info!(pool = %pool.id, user = %user.username, "created user");
    Ok(json!({ "User": user_type(&user, None) }))
}

/// With ForceAliasCreation, an alias another user holds moves to this one.
pub fn steal_aliases(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    for alias in &pool.alias_attributes {
        let Some(value) = user.attributes.get(alias) else {
            continue;
        };
        if let Some(owner) =
            ctx.store
                .lookup::<UserRecord>(&pool.id, alias, &directory::normalise(pool, value))?
            && owner != user.username
            && let Some(mut other) = ctx.store.get::<UserRecord>(&pool.id, &owner)?
        {
            other.attributes.remove(&format!("{alias}_verified"));
            directory::save(ctx, pool, &other)?;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserRequest {
    user_pool_id: String,
    username: String,
}

pub fn admin_get_user_op(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let user = directory::require(ctx, &pool, &req.username)?;
    Ok(admin_get_user(&user))
}

/// Deletes a user and its group memberships.
pub fn delete_user_record(ctx: &Ctx<'_>, pool: &PoolRecord, user: &UserRecord) -> OpResult<()> {
    for (key, membership) in ctx
        .store
        .list::<MembershipRecord>(&pool.id, None, usize::MAX)?
    {
        if membership.username == user.username {
            ctx.store.delete::<MembershipRecord>(&pool.id, &key)?;
        }
    }
    ctx.store.delete::<UserRecord>(&pool.id, &user.username)?;
    Ok(())
}

pub fn admin_delete_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let user = directory::require(ctx, &pool, &req.username)?;
    delete_user_record(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesRequest {
    user_pool_id: String,
    username: String,
    user_attributes: Vec<AttributeIn>,
}

/// After `email` or `phone_number` changed: unverified unless the same call verified it,
/// and a code sent when the pool verifies that attribute automatically.
pub fn after_contact_change(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    changed: &[String],
) -> OpResult<Option<Delivery>> {
    let mut delivery = None;
    for (attribute, make) in [
        (
            "email",
            Delivery::email as fn(&UserRecord) -> Option<Delivery>,
        ),
        ("phone_number", Delivery::sms),
    ] {
        let flag = format!("{attribute}_verified");
        if !changed.iter().any(|c| c == attribute) || changed.contains(&flag) {
            continue;
        }
        user.attributes.insert(flag, "false".to_owned());
        if pool.auto_verified_attributes.iter().any(|a| a == attribute)
            && let Some(d) = make(user)
        {
            send_code(ctx, pool, user, &d, &format!("verify:{attribute}"))?;
            delivery = Some(d);
        }
    }
    Ok(delivery)
}

pub fn admin_update_user_attributes(
    ctx: &Ctx<'_>,
    req: AdminUpdateUserAttributesRequest,
) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    let changed = attributes::apply(&pool, &mut user, &req.user_attributes, Writer::Admin)?;
    after_contact_change(ctx, &pool, &mut user, &changed)?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    attributes::delete(&pool, &mut user, &req.user_attribute_names, Writer::Admin)?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

fn set_enabled(ctx: &Ctx<'_>, req: UserRequest, enabled: bool) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    user.enabled = enabled;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

pub fn admin_disable_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    set_enabled(ctx, req, false)
}

pub fn admin_enable_user(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    set_enabled(ctx, req, true)
}

pub fn admin_confirm_sign_up(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    if user.status != "UNCONFIRMED" {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        ));
    }
    user.status = "CONFIRMED".to_owned();
    user.pending_code = None;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

/// Where a password-reset code goes: a verified email, else a verified phone.
pub fn reset_delivery(user: &UserRecord) -> Option<Delivery> {
    let verified = |a: &str| {
        user.attributes
            .get(&format!("{a}_verified"))
            .is_some_and(|v| v == "true")
    };
    (verified("email").then(|| Delivery::email(user)).flatten()).or_else(|| {
        verified("phone_number")
            .then(|| Delivery::sms(user))
            .flatten()
    })
}

pub fn admin_reset_user_password(ctx: &Ctx<'_>, req: UserRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    let delivery = reset_delivery(&user).ok_or_else(|| {
        CognitoError::invalid_parameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
    })?;
    if user.status != "UNCONFIRMED" {
        user.status = "RESET_REQUIRED".to_owned();
    }
    send_code(ctx, &pool, &mut user, &delivery, "forgot_password")?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    passwords::check_policy(&pool.password_policy, &req.password)?;
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.password,
    )?);
    if req.permanent == Some(true) {
        user.status = "CONFIRMED".to_owned();
        user.temporary_password_expires = None;
    } else {
        user.status = "FORCE_CHANGE_PASSWORD".to_owned();
        let days = f64::from(pool.password_policy.temporary_password_validity_days);
        user.temporary_password_expires = Some(ctx.now + days * 86_400.0);
    }
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    user.mfa_options = (!req.mfa_options.is_empty()).then_some(Value::Array(req.mfa_options));
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
            "cognito:user_status" => Some(user.status.clone()),
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
    let pool = pool(ctx, &req.user_pool_id)?;
    let limit = validate::max_results("limit", req.limit.unwrap_or(60), 60)?;
    let filter = parse_filter(req.filter.as_deref().unwrap_or(""))?;
    let mut users: Vec<(String, UserRecord)> = Vec::new();
    let mut next = None;
    let mut after = req.pagination_token.clone();
    'pages: loop {
        let page = ctx
            .store
            .list::<UserRecord>(&pool.id, after.as_deref(), 200)?;
        let done = page.len() < 200;
        for (key, user) in page {
            after = Some(key.clone());
            if filter.as_ref().is_none_or(|f| f.matches(&user)) {
                if users.len() == limit {
                    next = users.last().map(|(key, _)| key.clone());
                    break 'pages;
                }
                users.push((key, user));
            }
        }
        if done {
            break;
        }
    }
    let only = req.attributes_to_get.as_deref();
    let listed = users.iter().map(|(_, u)| user_type(u, only)).collect();
    Ok(crate::model::page("Users", listed, "PaginationToken", next))
}
