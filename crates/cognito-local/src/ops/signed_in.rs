//! Operations authorised by an access token (GetUser, GlobalSignOut, RevokeToken,
//! attribute and password changes), and the admin sign-out.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::access::user_of as access_user;
use crate::domain::attributes::{self, AttributeIn, Writer};
use crate::domain::message_hooks::MessageSource;
use crate::domain::outbox::Delivery;
use crate::domain::records::{PoolRecord, SignInRecord};
use crate::domain::state::{AuthEventKind, CodePurpose, EventResponse, VerifiableAttribute};
use crate::domain::{
    Ctx, auth_events, client_documents, client_secrets, clients, codes, lockout, passwords, pools,
    sign_ins, users,
};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::delivery::CodeDeliveryDetails;
use crate::model::user::GetUserResponse;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    access_token: String,
}

pub fn get_user(ctx: &Ctx<'_>, req: AccessTokenRequest) -> OpResult<Value> {
    let (_, user, _) = access_user(ctx, &req.access_token)?;
    Ok(json!(GetUserResponse::of(&user)))
}

pub fn global_sign_out(ctx: &Ctx<'_>, req: AccessTokenRequest) -> OpResult<Value> {
    let (pool, user, _) = access_user(ctx, &req.access_token)?;
    sign_ins::revoke_all(ctx, &pool, &user.username)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserGlobalSignOutRequest {
    user_pool_id: String,
    username: String,
}

pub fn admin_user_global_sign_out(
    ctx: &Ctx<'_>,
    req: AdminUserGlobalSignOutRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let user = users::require(ctx, &pool, &req.username)?;
    sign_ins::revoke_all(ctx, &pool, &user.username)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    token: String,
    client_id: String,
    client_secret: Option<String>,
}

pub fn revoke_token(ctx: &Ctx<'_>, req: RevokeTokenRequest) -> OpResult<Value> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    if client.secret.is_some() {
        let given = req.client_secret.as_deref().unwrap_or_default();
        if !client_secrets::any(&client, |secret| clients::same(secret, given)) {
            return Err(CognitoError::not_authorized(format!(
                "Unable to verify secret hash for client {}",
                client.id
            )));
        }
    }
    if !client.enable_token_revocation {
        return Err(CognitoError::new(
            ErrorKind::UnsupportedOperationException,
            "Token revocation is not enabled for this client.",
        ));
    }
    // Unknown tokens are not an error (RFC 7009): the answer says nothing about them.
    if let Some(mut sign_in) = sign_ins::by_refresh_token(ctx, &pool, &req.token)? {
        if sign_in.client_id != client.id {
            return Err(CognitoError::not_authorized(
                "Refresh Token was not issued to this client.",
            ));
        }
        sign_ins::revoke(ctx, &pool, &mut sign_in)?;
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    access_token: String,
    user_attributes: Vec<AttributeIn>,
}

pub fn update_user_attributes(ctx: &Ctx<'_>, req: UpdateUserAttributesRequest) -> OpResult<Value> {
    let (pool, mut user, sign_in) = access_user(ctx, &req.access_token)?;
    check_writable(
        ctx,
        &pool,
        &sign_in,
        req.user_attributes.iter().map(|a| a.name.as_str()),
    )?;
    let changed = attributes::apply(&pool, &mut user, &req.user_attributes, Writer::User)?;
    let delivery = codes::after_contact_change(ctx, &pool, &mut user, &changed)?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    let details: Vec<CodeDeliveryDetails> = delivery.iter().map(CodeDeliveryDetails::of).collect();
    Ok(json!({ "CodeDeliveryDetailsList": details }))
}

/// The client's WriteAttributes, when it lists any, bound what a user may change.
fn check_writable<'n>(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    sign_in: &SignInRecord,
    names: impl Iterator<Item = &'n str>,
) -> OpResult<()> {
    let Some(client) = client_documents::app_client_of(ctx, pool, &sign_in.client_id)? else {
        return Ok(());
    };
    for name in names {
        if !client.write_attributes.is_empty() && !client.write_attributes.iter().any(|w| w == name)
        {
            return Err(CognitoError::not_authorized(format!(
                "A client attempted to write unauthorized attribute {name}"
            )));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    access_token: String,
    user_attribute_names: Vec<String>,
}

pub fn delete_user_attributes(ctx: &Ctx<'_>, req: DeleteUserAttributesRequest) -> OpResult<Value> {
    let (pool, mut user, sign_in) = access_user(ctx, &req.access_token)?;
    check_writable(
        ctx,
        &pool,
        &sign_in,
        req.user_attribute_names.iter().map(String::as_str),
    )?;
    attributes::delete(&pool, &mut user, &req.user_attribute_names, Writer::User)?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

pub fn delete_user(ctx: &Ctx<'_>, req: AccessTokenRequest) -> OpResult<Value> {
    let (pool, user, _) = access_user(ctx, &req.access_token)?;
    sign_ins::revoke_all(ctx, &pool, &user.username)?;
    users::delete(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    previous_password: Option<String>,
    proposed_password: String,
    access_token: String,
}

pub fn change_password(ctx: &Ctx<'_>, req: ChangePasswordRequest) -> OpResult<Value> {
    let (pool, user, sign_in) = access_user(ctx, &req.access_token)?;
    // A wrong previous password is a failed sign-in: counted toward the lockout, and
    // refused while it lasts, with the answer AWS gives ChangePassword then.
    let limit = || {
        CognitoError::new(
            ErrorKind::LimitExceededException,
            "Attempt limit exceeded, please try after some time.",
        )
    };
    if lockout::is_locked(ctx, &user) {
        return Err(limit());
    }
    let stored = user.password.clone().ok_or_else(lockout::incorrect)?;
    let previous = req.previous_password.as_deref().unwrap_or_default();
    // The check runs without the store's lock: read the user again after it.
    let right = passwords::matches(ctx, &pool, &user.username, &stored, previous)?;
    let mut user = users::by_username(ctx, &pool, &user.username)?
        .filter(|u| u.password.as_ref() == Some(&stored))
        .ok_or_else(lockout::incorrect)?;
    // Locked out while the check ran (by guesses in parallel): the result does not count.
    if lockout::is_locked(ctx, &user) {
        return Err(limit());
    }
    if !right {
        return Err(
            match lockout::count(ctx, &pool, &mut user, AuthEventKind::PasswordChange, false)? {
                true => limit(),
                false => lockout::incorrect(),
            },
        );
    }
    lockout::forget(ctx, &pool, &mut user)?;
    // Signed out or disabled while the check ran: the token no longer works.
    if sign_ins::get(ctx, &pool, &sign_in.origin_jti)?.is_none_or(|s| s.revoked) {
        return Err(CognitoError::not_authorized(
            "Access Token has been revoked",
        ));
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    passwords::check_policy(&pool.password_policy, &req.proposed_password)?;
    user.password = Some(passwords::new_verifier(
        &pool,
        &user.username,
        &req.proposed_password,
    )?);
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    auth_events::record(
        ctx,
        &pool,
        &user,
        AuthEventKind::PasswordChange,
        EventResponse::Pass,
        Some(true),
    )?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeVerificationRequest {
    access_token: String,
    attribute_name: String,
}

pub fn get_user_attribute_verification_code(
    ctx: &Ctx<'_>,
    req: AttributeVerificationRequest,
) -> OpResult<Value> {
    let (pool, mut user, _) = access_user(ctx, &req.access_token)?;
    let attribute = VerifiableAttribute::parse(&req.attribute_name).ok_or_else(|| {
        CognitoError::invalid_parameter(
            "Invalid attribute name: only email and phone_number can be verified.",
        )
    })?;
    let delivery = Delivery::to(&user, attribute).ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "User does not have attribute {}.",
            req.attribute_name
        ))
    })?;
    codes::may_send(ctx, &mut user)?;
    codes::send(
        ctx,
        &pool,
        &mut user,
        &delivery,
        CodePurpose::Verify(attribute),
        MessageSource::VerifyUserAttribute,
    )?;
    users::save(ctx, &pool, &user)?;
    Ok(json!({ "CodeDeliveryDetails": CodeDeliveryDetails::of(&delivery) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    access_token: String,
    attribute_name: String,
    code: String,
}

pub fn verify_user_attribute(ctx: &Ctx<'_>, req: VerifyUserAttributeRequest) -> OpResult<Value> {
    let (pool, mut user, _) = access_user(ctx, &req.access_token)?;
    // Only email and phone_number have codes: any other name matches none.
    let Some(attribute) = VerifiableAttribute::parse(&req.attribute_name) else {
        return Err(codes::mismatch());
    };
    codes::check(
        ctx,
        &pool,
        &mut user,
        CodePurpose::Verify(attribute),
        &req.code,
    )?;
    user.attributes.insert(
        format!("{}_verified", req.attribute_name),
        "true".to_owned(),
    );
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserSettingsRequest {
    access_token: String,
    #[serde(rename = "MFAOptions")]
    mfa_options: Vec<Value>,
}

pub fn set_user_settings(ctx: &Ctx<'_>, req: SetUserSettingsRequest) -> OpResult<Value> {
    let (pool, mut user, _) = access_user(ctx, &req.access_token)?;
    user.mfa_options = (!req.mfa_options.is_empty()).then_some(Value::Array(req.mfa_options));
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}
