//! Self-service: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
//! ConfirmForgotPassword. These are unsigned: the app client identifies the pool.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::attributes::{self, AttributeIn, Writer};
use crate::domain::clients::{self, check_secret_hash};
use crate::domain::hooks::{self, ConfirmationSource, SignUpSource};
use crate::domain::lambdas;
use crate::domain::message_hooks::MessageSource;
use crate::domain::migration::{self, MigrationSource};
use crate::domain::outbox::Delivery;
use crate::domain::records::{PoolRecord, UserRecord};
use crate::domain::state::{
    AuthEventKind, CodePurpose, DeliveryMedium, EventResponse, UserStatus, VerifiableAttribute,
};
use crate::domain::{Ctx, auth_events, codes, passwords, users};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::delivery::CodeDeliveryDetails;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    password: String,
    user_attributes: Option<Vec<AttributeIn>>,
    validation_data: Option<Vec<AttributeIn>>,
}

pub fn sign_up(ctx: &Ctx<'_>, req: SignUpRequest) -> OpResult<Value> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    check_secret_hash(&client, &req.username, req.secret_hash.as_deref())?;
    if pool.admin_create_user_only {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            "SignUp is not permitted for this user pool",
        ));
    }
    let (mut user, from_name) =
        users::new_user(ctx, &pool, &req.username, UserStatus::Unconfirmed)?;
    passwords::check_policy(&pool.password_policy, &req.password)?;
    if users::name_taken(ctx, &pool, &req.username, &user.username)? {
        return Err(CognitoError::new(
            ErrorKind::UsernameExistsException,
            "User already exists",
        ));
    }
    let mut given = req.user_attributes.unwrap_or_default();
    if let Some(attribute) = from_name {
        if users::taken(
            ctx,
            &pool,
            &attribute.name,
            attribute.value.as_deref().unwrap_or_default(),
        )? {
            return Err(CognitoError::new(
                ErrorKind::UsernameExistsException,
                format!(
                    "An account with the given {} already exists.",
                    attribute.name
                ),
            ));
        }
        given.push(attribute);
    }
    attributes::apply(&pool, &mut user, &given, Writer::SignUp)?;
    attributes::check_required(&pool, &user)?;
    let answer = hooks::pre_sign_up(
        ctx,
        &pool,
        &mut user,
        SignUpSource::SignUp,
        Some(&client.id),
        req.validation_data.as_deref(),
    )?;
    let confirmed = answer.auto_confirm_user == Some(true);
    if confirmed {
        user.status = UserStatus::Confirmed;
    }
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.password,
    )?);
    // An automatically confirmed user is sent no confirmation code.
    let delivery = Delivery::for_verification(&pool, &user).filter(|_| !confirmed);
    if let Some(delivery) = &delivery {
        let source = MessageSource::SignUp;
        codes::send(ctx, &pool, &mut user, delivery, CodePurpose::SignUp, source)?;
        // The message's trigger ran without the store's lock.
        if lambdas::has_message_trigger(&pool) && users::find(ctx, &pool, &user.username)?.is_some()
        {
            return Err(CognitoError::new(
                ErrorKind::UsernameExistsException,
                "User already exists",
            ));
        }
    }
    users::save(ctx, &pool, &user)?;
    auth_events::record(
        ctx,
        &pool,
        &user,
        AuthEventKind::SignUp,
        EventResponse::Pass,
        None,
    )?;
    tracing::info!(pool = %pool.id, user = %user.username, "signed up");
    let mut out = json!({ "UserConfirmed": confirmed, "UserSub": user.sub });
    if let Some(delivery) = delivery {
        out["CodeDeliveryDetails"] = json!(CodeDeliveryDetails::of(&delivery));
    }
    Ok(out)
}

/// The user of a self-service request, checking SECRET_HASH: `None` for an unknown
/// user when the client prevents user existence errors, else `UserNotFoundException`.
fn user_for(
    ctx: &Ctx<'_>,
    client_id: &str,
    username: &str,
    secret_hash: Option<&str>,
) -> OpResult<(PoolRecord, Option<UserRecord>)> {
    let (pool, client) = clients::by_id(ctx, client_id)?;
    check_secret_hash(&client, username, secret_hash)?;
    match users::find(ctx, &pool, username)? {
        Some(user) => Ok((pool, Some(user))),
        None if client.hides_users() => Ok((pool, None)),
        None => Err(users::user_not_found()),
    }
}

/// A code given for an unknown user (when hidden): refused as a wrong code is, and
/// counted toward the same limit.
fn unknown_code(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> CognitoError {
    if ctx.phantoms.wrong_code(pool, username, ctx.now) {
        codes::limit_exceeded()
    } else {
        codes::mismatch()
    }
}

/// A code asked for an unknown user (when hidden): where it "went", within the same
/// limit a real user has.
fn unknown_delivery(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<Value> {
    if !ctx.phantoms.send_code(pool, username, ctx.now) {
        return Err(codes::limit_exceeded());
    }
    let delivery = plausible_delivery(ctx, pool, username);
    Ok(json!({ "CodeDeliveryDetails": delivery }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    confirmation_code: String,
    force_alias_creation: Option<bool>,
}

pub fn confirm_sign_up(ctx: &Ctx<'_>, req: ConfirmSignUpRequest) -> OpResult<Value> {
    let (pool, user) = user_for(
        ctx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )?;
    let Some(mut user) = user else {
        return Err(unknown_code(ctx, &pool, &req.username));
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        ));
    }
    codes::check(
        ctx,
        &pool,
        &mut user,
        CodePurpose::SignUp,
        &req.confirmation_code,
    )?;
    // The code went to an auto-verified attribute: that attribute is now verified.
    if let Some(delivery) = Delivery::for_verification(&pool, &user) {
        user.attributes.insert(
            format!("{}_verified", delivery.attribute),
            "true".to_owned(),
        );
    }
    user.status = UserStatus::Confirmed;
    user.modified = ctx.now;
    if req.force_alias_creation == Some(true) {
        users::steal_aliases(ctx, &pool, &user)?;
    }
    users::save(ctx, &pool, &user)?;
    hooks::post_confirmation(
        ctx,
        &pool,
        &user,
        ConfirmationSource::SignUp,
        Some(&req.client_id),
    )?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeRequest {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
}

/// Where a code "went" for an unknown user when existence errors are prevented: the
/// medium the pool verifies (email unless only phones are), and a destination that is
/// the same on every request and masks as a real one does (the name itself when it is
/// an email address).
fn plausible_delivery(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> CodeDeliveryDetails {
    let by_phone = pool
        .auto_verified_attributes
        .iter()
        .any(|a| a == "phone_number")
        && !pool.auto_verified_attributes.iter().any(|a| a == "email");
    let pick = |label: &str, below: u32| ctx.phantoms.pick(label, pool, username, below);
    let letter = |label: &str| char::from(b'a' + pick(label, 26) as u8);
    let delivery = if by_phone {
        Delivery {
            medium: DeliveryMedium::Sms,
            attribute: VerifiableAttribute::PhoneNumber,
            destination: format!("+1555555{:04}", pick("phone", 10_000)),
        }
    } else {
        let destination = if username.contains('@') {
            users::normalise(pool, username)
        } else {
            format!("{}@{}.com", letter("local"), letter("domain"))
        };
        Delivery {
            medium: DeliveryMedium::Email,
            attribute: VerifiableAttribute::Email,
            destination,
        }
    };
    CodeDeliveryDetails::of(&delivery)
}

pub fn resend_confirmation_code(ctx: &Ctx<'_>, req: CodeRequest) -> OpResult<Value> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    check_secret_hash(&client, &req.username, req.secret_hash.as_deref())?;
    let Some(mut user) = users::find(ctx, &pool, &req.username)? else {
        if client.hides_users() {
            return unknown_delivery(ctx, &pool, &req.username);
        }
        return Err(users::user_not_found());
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::invalid_parameter(
            "User is already confirmed.",
        ));
    }
    codes::may_send(ctx, &mut user)?;
    let delivery = Delivery::for_verification(&pool, &user)
        .ok_or_else(|| CognitoError::invalid_parameter("Auto verification not turned on."))?;
    let source = MessageSource::ResendCode;
    codes::send(
        ctx,
        &pool,
        &mut user,
        &delivery,
        CodePurpose::SignUp,
        source,
    )?;
    users::save(ctx, &pool, &user)?;
    auth_events::record(
        ctx,
        &pool,
        &user,
        AuthEventKind::ResendCode,
        EventResponse::Pass,
        None,
    )?;
    Ok(json!({ "CodeDeliveryDetails": CodeDeliveryDetails::of(&delivery) }))
}

/// Whether the pool's AccountRecoverySetting leaves recovery to administrators only
/// (its only mechanism is `admin_only`).
fn admin_only_recovery(pool: &PoolRecord) -> bool {
    let mechanisms = pool
        .settings
        .get("AccountRecoverySetting")
        .and_then(|s| s.get("RecoveryMechanisms"))
        .and_then(serde_json::Value::as_array);
    mechanisms.is_some_and(|list| {
        !list.is_empty()
            && list
                .iter()
                .all(|m| m.get("Name").and_then(serde_json::Value::as_str) == Some("admin_only"))
    })
}

pub fn forgot_password(ctx: &Ctx<'_>, req: CodeRequest) -> OpResult<Value> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    check_secret_hash(&client, &req.username, req.secret_hash.as_deref())?;
    if admin_only_recovery(&pool) {
        return Err(CognitoError::not_authorized(
            "Contact administrator to reset password.",
        ));
    }
    let known = match users::find(ctx, &pool, &req.username)? {
        Some(user) => Some(user),
        None => {
            let source = MigrationSource::ForgotPassword;
            migration::migrate(ctx, &pool, &client, &req.username, None, source)?
        }
    };
    let Some(mut user) = known else {
        if client.hides_users() {
            return unknown_delivery(ctx, &pool, &req.username);
        }
        return Err(CognitoError::new(
            ErrorKind::UserNotFoundException,
            "Username/client id combination not found.",
        ));
    };
    if !user.enabled {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            "User is disabled.",
        ));
    }
    codes::may_send(ctx, &mut user)?;
    let delivery = codes::send_reset(ctx, &pool, &mut user)?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    // The reset is under way until ConfirmForgotPassword.
    auth_events::record(
        ctx,
        &pool,
        &user,
        AuthEventKind::ForgotPassword,
        EventResponse::InProgress,
        None,
    )?;
    Ok(json!({ "CodeDeliveryDetails": CodeDeliveryDetails::of(&delivery) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    confirmation_code: String,
    password: String,
}

pub fn confirm_forgot_password(
    ctx: &Ctx<'_>,
    req: ConfirmForgotPasswordRequest,
) -> OpResult<Value> {
    let (pool, user) = user_for(
        ctx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )?;
    passwords::check_policy(&pool.password_policy, &req.password)?;
    let Some(mut user) = user else {
        return Err(unknown_code(ctx, &pool, &req.username));
    };
    codes::check(
        ctx,
        &pool,
        &mut user,
        CodePurpose::ForgotPassword,
        &req.confirmation_code,
    )?;
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.password,
    )?);
    user.temporary_password_expires = None;
    if matches!(
        user.status,
        UserStatus::ResetRequired | UserStatus::ForceChangePassword
    ) {
        user.status = UserStatus::Confirmed;
    }
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    auth_events::record(
        ctx,
        &pool,
        &user,
        AuthEventKind::ForgotPassword,
        EventResponse::Pass,
        None,
    )?;
    hooks::post_confirmation(
        ctx,
        &pool,
        &user,
        ConfirmationSource::ForgotPassword,
        Some(&req.client_id),
    )?;
    Ok(json!({}))
}
