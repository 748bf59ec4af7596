//! Multi-factor authentication: AssociateSoftwareToken, VerifySoftwareToken,
//! SetUserMFAPreference, AdminSetUserMFAPreference, and the TOTP checks the MFA
//! challenges use.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::access::user_of as access_user;
use crate::domain::mfa::{TotpCheck, check_totp, new_totp_secret};
use crate::domain::records::{MfaSettings, PoolRecord, UserRecord};
use crate::domain::state::{ChallengeName, MfaMethod};
use crate::domain::{Ctx, pools, sessions, users};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The user an MFA-setup request is about: by access token, or by the session of an
/// MFA_SETUP challenge.
fn subject(
    ctx: &Ctx<'_>,
    access_token: Option<&str>,
    session: Option<&str>,
) -> OpResult<(PoolRecord, UserRecord)> {
    if let Some(token) = access_token {
        let (pool, user, _) = access_user(ctx, token)?;
        return Ok((pool, user));
    }
    let session = session.ok_or_else(|| {
        CognitoError::invalid_parameter("Either AccessToken or Session is required.")
    })?;
    let record = sessions::find(ctx, session)?
        .filter(|r| r.challenge == ChallengeName::MfaSetup)
        .ok_or_else(sessions::expired)?;
    let pool = pools::get(ctx, &record.pool_id)?;
    let user = users::by_username(ctx, &pool, &record.username)?.ok_or_else(sessions::expired)?;
    Ok((pool, user))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    access_token: Option<String>,
    session: Option<String>,
}

pub fn associate_software_token(
    ctx: &Ctx<'_>,
    req: AssociateSoftwareTokenRequest,
) -> OpResult<Value> {
    let (pool, mut user) = subject(ctx, req.access_token.as_deref(), req.session.as_deref())?;
    let secret = new_totp_secret()?;
    user.mfa.totp_pending = Some(secret.clone());
    users::save(ctx, &pool, &user)?;
    let mut out = json!({ "SecretCode": secret });
    if let Some(session) = req.session {
        out["Session"] = json!(session);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    access_token: Option<String>,
    session: Option<String>,
    user_code: String,
    friendly_device_name: Option<String>,
}

pub fn verify_software_token(ctx: &Ctx<'_>, req: VerifySoftwareTokenRequest) -> OpResult<Value> {
    let (pool, mut user) = subject(ctx, req.access_token.as_deref(), req.session.as_deref())?;
    let pending = user.mfa.totp_pending.clone().ok_or_else(|| {
        CognitoError::new(
            ErrorKind::SoftwareTokenMFANotFoundException,
            "Software Token MFA has not been associated with this user.",
        )
    })?;
    let TotpCheck::Right(step) = check_totp(ctx, &pending, None, &req.user_code)? else {
        return Err(CognitoError::new(
            ErrorKind::EnableSoftwareTokenMFAException,
            "Code mismatch and fail enable Software Token MFA",
        ));
    };
    user.mfa.totp_secret = Some(pending);
    user.mfa.totp_name = req.friendly_device_name;
    user.mfa.totp_pending = None;
    user.mfa.totp_last_step = Some(step);
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    let mut out = json!({ "Status": "SUCCESS" });
    if let Some(session) = req.session {
        out["Session"] = json!(session);
    }
    Ok(out)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettingsIn {
    enabled: Option<bool>,
    preferred_mfa: Option<bool>,
}

/// Applies SMS and software-token preferences as SetUserMFAPreference describes them.
fn apply_preferences(
    user: &mut UserRecord,
    sms: Option<MfaSettingsIn>,
    totp: Option<MfaSettingsIn>,
) -> OpResult<()> {
    if let Some(sms) = sms {
        if sms.enabled == Some(true) && !user.attributes.contains_key("phone_number") {
            return Err(CognitoError::invalid_parameter(
                "User does not have delivery config set to turn on SMS_MFA",
            ));
        }
        if let Some(enabled) = sms.enabled {
            user.mfa.sms_enabled = enabled;
        }
        apply_preferred(&mut user.mfa, MfaMethod::Sms, sms.preferred_mfa);
    }
    if let Some(totp) = totp {
        if totp.enabled == Some(true) && user.mfa.totp_secret.is_none() {
            return Err(CognitoError::invalid_parameter(
                "User has not verified software token mfa",
            ));
        }
        if let Some(enabled) = totp.enabled {
            user.mfa.totp_enabled = enabled;
        }
        apply_preferred(&mut user.mfa, MfaMethod::SoftwareToken, totp.preferred_mfa);
    }
    let preferred_on = match user.mfa.preferred {
        Some(MfaMethod::Sms) => user.mfa.sms_enabled,
        Some(MfaMethod::SoftwareToken) => user.mfa.totp_enabled,
        None => true,
    };
    if !preferred_on {
        user.mfa.preferred = None;
    }
    Ok(())
}

fn apply_preferred(mfa: &mut MfaSettings, method: MfaMethod, preferred: Option<bool>) {
    match preferred {
        Some(true) => mfa.preferred = Some(method),
        Some(false) if mfa.preferred == Some(method) => mfa.preferred = None,
        _ => {}
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    access_token: String,
    #[serde(rename = "SMSMfaSettings")]
    sms_mfa_settings: Option<MfaSettingsIn>,
    software_token_mfa_settings: Option<MfaSettingsIn>,
}

pub fn set_user_mfa_preference(ctx: &Ctx<'_>, req: SetUserMfaPreferenceRequest) -> OpResult<Value> {
    let (pool, mut user, _) = access_user(ctx, &req.access_token)?;
    apply_preferences(
        &mut user,
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
    )?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserMfaPreferenceRequest {
    user_pool_id: String,
    username: String,
    #[serde(rename = "SMSMfaSettings")]
    sms_mfa_settings: Option<MfaSettingsIn>,
    software_token_mfa_settings: Option<MfaSettingsIn>,
}

pub fn admin_set_user_mfa_preference(
    ctx: &Ctx<'_>,
    req: AdminSetUserMfaPreferenceRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    apply_preferences(
        &mut user,
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
    )?;
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeleteSoftwareTokenRequest {
    user_pool_id: String,
    username: String,
}

/// AdminDeleteSoftwareToken: the user's authenticator app is forgotten (verified or
/// pending); software-token MFA is off, and no longer preferred.
pub fn admin_delete_software_token(
    ctx: &Ctx<'_>,
    req: AdminDeleteSoftwareTokenRequest,
) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let mut user = users::require(ctx, &pool, &req.username)?;
    let mfa = &mut user.mfa;
    mfa.totp_secret = None;
    mfa.totp_pending = None;
    mfa.totp_name = None;
    mfa.totp_last_step = None;
    mfa.totp_enabled = false;
    if mfa.preferred == Some(MfaMethod::SoftwareToken) {
        mfa.preferred = None;
    }
    user.modified = ctx.now;
    users::save(ctx, &pool, &user)?;
    Ok(json!({}))
}
