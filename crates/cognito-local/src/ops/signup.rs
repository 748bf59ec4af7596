//! Self-service: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
//! ConfirmForgotPassword. These are unsigned: the app client identifies the pool.

use serde::Deserialize;
use serde_json::{Value, json};

use super::attributes::{self, Writer};
use super::clients::{check_secret_hash, client_by_id};
use super::users::{code_mismatch, new_user, reset_delivery, send_code, steal_aliases, use_code};
use super::{Ctx, directory, passwords};
use crate::messages::Delivery;
use crate::model::user::AttributeIn;
use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{ClientRecord, PoolRecord, UserRecord};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    password: String,
    user_attributes: Option<Vec<AttributeIn>>,
}

pub fn sign_up(ctx: &Ctx<'_>, req: SignUpRequest) -> OpResult<Value> {
    let (pool, client) = client_by_id(ctx, &req.client_id)?;
    check_secret_hash(&client, &req.username, req.secret_hash.as_deref())?;
    if pool.admin_create_user_only {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            "SignUp is not permitted for this user pool",
        ));
    }
    let (mut user, from_name) = new_user(ctx, &pool, &req.username, "UNCONFIRMED")?;
    passwords::check_policy(&pool.password_policy, &req.password)?;
    if directory::name_taken(ctx, &pool, &req.username, &user.username)? {
        return Err(CognitoError::new(
            ErrorKind::UsernameExistsException,
            "User already exists",
        ));
    }
    let mut given = req.user_attributes.unwrap_or_default();
    if let Some(attribute) = from_name {
        if directory::taken(
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
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.password,
    )?);
    let delivery = Delivery::for_verification(&pool, &user);
    if let Some(delivery) = &delivery {
        send_code(ctx, &pool, &mut user, delivery, "signup")?;
    }
    directory::save(ctx, &pool, &user)?;
    tracing::info!(pool = %pool.id, user = %user.username, "signed up");
    let mut out = json!({ "UserConfirmed": false, "UserSub": user.sub });
    if let Some(delivery) = delivery {
        out["CodeDeliveryDetails"] = delivery.details();
    }
    Ok(out)
}

/// The user of a self-service request, checking SECRET_HASH; an unknown user is
/// `UserNotFoundException`, or `unknown` when the client prevents user existence errors.
fn user_for(
    ctx: &Ctx<'_>,
    client_id: &str,
    username: &str,
    secret_hash: Option<&str>,
    unknown: CognitoError,
) -> OpResult<(PoolRecord, ClientRecord, UserRecord)> {
    let (pool, client) = client_by_id(ctx, client_id)?;
    check_secret_hash(&client, username, secret_hash)?;
    match directory::find(ctx, &pool, username)? {
        Some(user) => Ok((pool, client, user)),
        None if client.prevent_user_existence_errors == "ENABLED" => Err(unknown),
        None => Err(directory::user_not_found()),
    }
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
    let (pool, _, mut user) = user_for(
        ctx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
        code_mismatch(),
    )?;
    if user.status != "UNCONFIRMED" {
        return Err(CognitoError::new(
            ErrorKind::NotAuthorizedException,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        ));
    }
    use_code(ctx, &pool, &mut user, "signup", &req.confirmation_code)?;
    // The code went to an auto-verified attribute: that attribute is now verified.
    if let Some(delivery) = Delivery::for_verification(&pool, &user) {
        user.attributes.insert(
            format!("{}_verified", delivery.attribute),
            "true".to_owned(),
        );
    }
    user.status = "CONFIRMED".to_owned();
    user.modified = ctx.now;
    if req.force_alias_creation == Some(true) {
        steal_aliases(ctx, &pool, &user)?;
    }
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeRequest {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
}

/// What ForgotPassword answers for an unknown user when existence errors are prevented.
fn plausible_delivery(username: &str) -> Value {
    let destination = if username.contains('@') {
        username.to_owned()
    } else {
        format!("{username}@example.com")
    };
    Delivery {
        medium: "EMAIL",
        attribute: "email",
        destination,
    }
    .details()
}

pub fn resend_confirmation_code(ctx: &Ctx<'_>, req: CodeRequest) -> OpResult<Value> {
    let (pool, client) = client_by_id(ctx, &req.client_id)?;
    check_secret_hash(&client, &req.username, req.secret_hash.as_deref())?;
    let Some(mut user) = directory::find(ctx, &pool, &req.username)? else {
        if client.prevent_user_existence_errors == "ENABLED" {
            return Ok(json!({ "CodeDeliveryDetails": plausible_delivery(&req.username) }));
        }
        return Err(directory::user_not_found());
    };
    if user.status != "UNCONFIRMED" {
        return Err(CognitoError::invalid_parameter(
            "User is already confirmed.",
        ));
    }
    let delivery = Delivery::for_verification(&pool, &user)
        .ok_or_else(|| CognitoError::invalid_parameter("Auto verification not turned on."))?;
    send_code(ctx, &pool, &mut user, &delivery, "signup")?;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({ "CodeDeliveryDetails": delivery.details() }))
}

pub fn forgot_password(ctx: &Ctx<'_>, req: CodeRequest) -> OpResult<Value> {
    let (pool, client) = client_by_id(ctx, &req.client_id)?;
    check_secret_hash(&client, &req.username, req.secret_hash.as_deref())?;
    let Some(mut user) = directory::find(ctx, &pool, &req.username)? else {
        if client.prevent_user_existence_errors == "ENABLED" {
            return Ok(json!({ "CodeDeliveryDetails": plausible_delivery(&req.username) }));
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
    let delivery = reset_delivery(&user).ok_or_else(|| {
        CognitoError::invalid_parameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
    })?;
    send_code(ctx, &pool, &mut user, &delivery, "forgot_password")?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({ "CodeDeliveryDetails": delivery.details() }))
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
    let (pool, _, mut user) = user_for(
        ctx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
        code_mismatch(),
    )?;
    passwords::check_policy(&pool.password_policy, &req.password)?;
    use_code(
        ctx,
        &pool,
        &mut user,
        "forgot_password",
        &req.confirmation_code,
    )?;
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.password,
    )?);
    user.temporary_password_expires = None;
    if user.status == "RESET_REQUIRED" || user.status == "FORCE_CHANGE_PASSWORD" {
        user.status = "CONFIRMED".to_owned();
    }
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}
