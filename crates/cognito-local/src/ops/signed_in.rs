//! Operations authorised by an access token (GetUser, GlobalSignOut, RevokeToken), and
//! the admin sign-out.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, directory, pool};
use crate::model::user::admin_get_user;
use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{PoolRecord, SignInRecord, UserRecord};
use crate::tokens::{self, invalid_access_token};

/// The pool and user of a valid access token: signature, expiry, token use and
/// revocation are all checked.
pub fn access_user(ctx: &Ctx<'_>, token: &str) -> OpResult<(PoolRecord, UserRecord, SignInRecord)> {
    let pool_id = tokens::claimed_pool(token).ok_or_else(invalid_access_token)?;
    if super::validate::pool_id("accessToken", &pool_id).is_err() {
        return Err(invalid_access_token());
    }
    let pool: PoolRecord = ctx
        .store
        .get("", &pool_id)?
        .ok_or_else(invalid_access_token)?;
    let claims = super::signing_key(ctx, &pool)?
        .verify(token)
        .ok_or_else(invalid_access_token)?;
    if claims.get("token_use").and_then(Value::as_str) != Some("access")
        || claims.get("iss").and_then(Value::as_str)
            != Some(tokens::issuer(ctx.issuer_base, &pool).as_str())
    {
        return Err(invalid_access_token());
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(invalid_access_token)?;
    if (ctx.now as i64) >= exp {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    let origin = claims
        .get("origin_jti")
        .and_then(Value::as_str)
        .ok_or_else(invalid_access_token)?;
    let sign_in: SignInRecord = ctx
        .store
        .get(&pool.id, origin)?
        .ok_or_else(invalid_access_token)?;
    if sign_in.revoked {
        return Err(CognitoError::not_authorized(
            "Access Token has been revoked",
        ));
    }
    let username = claims
        .get("username")
        .and_then(Value::as_str)
        .ok_or_else(invalid_access_token)?;
    let user: UserRecord = ctx
        .store
        .get(&pool.id, username)?
        .ok_or_else(directory::user_not_found)?;
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    Ok((pool, user, sign_in))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    access_token: String,
}

pub fn get_user(ctx: &Ctx<'_>, req: AccessTokenRequest) -> OpResult<Value> {
    let (_, user, _) = access_user(ctx, &req.access_token)?;
    Ok(admin_get_user(&user))
}

/// Revokes every sign-in of a user: their refresh tokens and access tokens stop working.
fn sign_out_everywhere(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<()> {
    for (key, mut sign_in) in ctx.store.list::<SignInRecord>(&pool.id, None, usize::MAX)? {
        if sign_in.username == username && !sign_in.revoked {
            sign_in.revoked = true;
            ctx.store.put(&pool.id, &key, &sign_in)?;
        }
    }
    Ok(())
}

pub fn global_sign_out(ctx: &Ctx<'_>, req: AccessTokenRequest) -> OpResult<Value> {
    let (pool, user, _) = access_user(ctx, &req.access_token)?;
    sign_out_everywhere(ctx, &pool, &user.username)?;
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
    let pool = pool(ctx, &req.user_pool_id)?;
    let user = directory::require(ctx, &pool, &req.username)?;
    sign_out_everywhere(ctx, &pool, &user.username)?;
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
    let (pool, client) = super::clients::client_by_id(ctx, &req.client_id)?;
    if let Some(secret) = &client.secret {
        let given = req.client_secret.as_deref().unwrap_or_default();
        let same =
            aws_lc_rs::constant_time::verify_slices_are_equal(given.as_bytes(), secret.as_bytes())
                .is_ok();
        if !same {
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
    if let Some(origin) =
        ctx.store
            .lookup::<SignInRecord>(&pool.id, "refresh", &tokens::refresh_hash(&req.token))?
        && let Some(mut sign_in) = ctx.store.get::<SignInRecord>(&pool.id, &origin)?
    {
        if sign_in.client_id != client.id {
            return Err(CognitoError::not_authorized(
                "Refresh Token was not issued to this client.",
            ));
        }
        sign_in.revoked = true;
        ctx.store.put(&pool.id, &origin, &sign_in)?;
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    access_token: String,
    user_attributes: Vec<crate::model::user::AttributeIn>,
}

pub fn update_user_attributes(ctx: &Ctx<'_>, req: UpdateUserAttributesRequest) -> OpResult<Value> {
    let (pool, mut user, sign_in) = access_user(ctx, &req.access_token)?;
    check_writable(
        ctx,
        &pool,
        &sign_in,
        req.user_attributes.iter().map(|a| a.name.as_str()),
    )?;
    let changed = super::attributes::apply(
        &pool,
        &mut user,
        &req.user_attributes,
        super::attributes::Writer::User,
    )?;
    let delivery = super::users::after_contact_change(ctx, &pool, &mut user, &changed)?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    let details: Vec<Value> = delivery.iter().map(|d| d.details()).collect();
    Ok(json!({ "CodeDeliveryDetailsList": details }))
}

/// The client's WriteAttributes, when it lists any, bound what a user may change.
fn check_writable<'n>(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    sign_in: &SignInRecord,
    names: impl Iterator<Item = &'n str>,
) -> OpResult<()> {
    let client: Option<crate::store::ClientRecord> = ctx.store.get(&pool.id, &sign_in.client_id)?;
    let Some(client) = client else { return Ok(()) };
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
    super::attributes::delete(
        &pool,
        &mut user,
        &req.user_attribute_names,
        super::attributes::Writer::User,
    )?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

pub fn delete_user(ctx: &Ctx<'_>, req: AccessTokenRequest) -> OpResult<Value> {
    let (pool, user, _) = access_user(ctx, &req.access_token)?;
    sign_out_everywhere(ctx, &pool, &user.username)?;
    super::users::delete_user_record(ctx, &pool, &user)?;
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
    let (pool, mut user, _) = access_user(ctx, &req.access_token)?;
    let stored = user
        .password
        .clone()
        .ok_or_else(|| CognitoError::not_authorized("Incorrect username or password."))?;
    let previous = req.previous_password.as_deref().unwrap_or_default();
    if !super::passwords::matches(&pool, &user.username, &stored, previous)? {
        return Err(CognitoError::not_authorized(
            "Incorrect username or password.",
        ));
    }
    super::passwords::check_policy(&pool.password_policy, &req.proposed_password)?;
    user.password = Some(super::passwords::new_verifier(
        &pool,
        &user.username,
        &req.proposed_password,
    )?);
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
    let delivery = match req.attribute_name.as_str() {
        "email" => crate::messages::Delivery::email(&user),
        "phone_number" => crate::messages::Delivery::sms(&user),
        _ => {
            return Err(CognitoError::invalid_parameter(
                "Invalid attribute name: only email and phone_number can be verified.",
            ));
        }
    }
    .ok_or_else(|| {
        CognitoError::invalid_parameter(format!(
            "User does not have attribute {}.",
            req.attribute_name
        ))
    })?;
    super::users::send_code(
        ctx,
        &pool,
        &mut user,
        &delivery,
        &format!("verify:{}", req.attribute_name),
    )?;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({ "CodeDeliveryDetails": delivery.details() }))
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
    super::users::use_code(
        ctx,
        &pool,
        &mut user,
        &format!("verify:{}", req.attribute_name),
        &req.code,
    )?;
    user.attributes.insert(
        format!("{}_verified", req.attribute_name),
        "true".to_owned(),
    );
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}
