//! Multi-factor authentication: AssociateSoftwareToken, VerifySoftwareToken,
//! SetUserMFAPreference, AdminSetUserMFAPreference, and the TOTP checks the MFA
//! challenges use.

use serde::Deserialize;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Builder, Secret};

use super::{Ctx, directory, pool};
use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{AuthSessionRecord, MfaSettings, PoolRecord, UserRecord};

/// The methods a user has turned on, SMS first.
pub fn enabled_methods(mfa: &MfaSettings) -> Vec<&'static str> {
    let mut out = Vec::new();
    if mfa.sms_enabled {
        out.push("SMS_MFA");
    }
    if mfa.totp_enabled {
        out.push("SOFTWARE_TOKEN_MFA");
    }
    out
}

fn totp(secret_base32: &str) -> OpResult<totp_rs::Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| CognitoError::internal(format!("{e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(1)
        .with_secret(secret)
        .build()
        .map_err(|e| CognitoError::internal(format!("{e:?}")))
}

/// Checks a TOTP code (RFC 6238, 30 s steps, ±1 step) and refuses a step already used.
pub fn check_totp(
    ctx: &Ctx<'_>,
    secret: &str,
    last_step: Option<u64>,
    code: &str,
) -> OpResult<Option<u64>> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let step = totp(secret)?.check(code, ctx.now as u64);
    Ok(step.filter(|s| last_step.is_none_or(|last| *s > last)))
}

/// The user an MFA-setup request is about: by access token, or by the session of an
/// MFA_SETUP challenge.
fn subject(
    ctx: &Ctx<'_>,
    access_token: Option<&str>,
    session: Option<&str>,
) -> OpResult<(PoolRecord, UserRecord)> {
    if let Some(token) = access_token {
        let (pool, user, _) = super::signed_in::access_user(ctx, token)?;
        return Ok((pool, user));
    }
    let session = session.ok_or_else(|| {
        CognitoError::invalid_parameter("Either AccessToken or Session is required.")
    })?;
    let expired = || {
        CognitoError::new(
            ErrorKind::NotAuthorizedException,
            "Invalid session for the user, session is expired.",
        )
    };
    let record: AuthSessionRecord = ctx.store.get("", session)?.ok_or_else(expired)?;
    if record.challenge != "MFA_SETUP" || (ctx.now as i64) > record.expires {
        return Err(expired());
    }
    let pool = pool(ctx, &record.pool_id)?;
    let user = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(expired)?;
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
    let mut bytes = [0u8; 20];
    aws_lc_rs::rand::fill(&mut bytes).map_err(CognitoError::internal)?;
    let secret = Secret::from(bytes.to_vec()).to_base32();
    user.mfa.totp_pending = Some(secret.clone());
    directory::save(ctx, &pool, &user)?;
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
}

pub fn verify_software_token(ctx: &Ctx<'_>, req: VerifySoftwareTokenRequest) -> OpResult<Value> {
    let (pool, mut user) = subject(ctx, req.access_token.as_deref(), req.session.as_deref())?;
    let pending = user.mfa.totp_pending.clone().ok_or_else(|| {
        CognitoError::new(
            ErrorKind::SoftwareTokenMFANotFoundException,
            "Software Token MFA has not been associated with this user.",
        )
    })?;
    let Some(step) = check_totp(ctx, &pending, None, &req.user_code)? else {
        return Err(CognitoError::new(
            ErrorKind::EnableSoftwareTokenMFAException,
            "Code mismatch and fail enable Software Token MFA",
        ));
    };
    user.mfa.totp_secret = Some(pending);
    user.mfa.totp_pending = None;
    user.mfa.totp_last_step = Some(step);
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
        apply_preferred(&mut user.mfa, "SMS_MFA", sms.preferred_mfa);
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
        apply_preferred(&mut user.mfa, "SOFTWARE_TOKEN_MFA", totp.preferred_mfa);
    }
    let preferred_on = match user.mfa.preferred.as_deref() {
        Some("SMS_MFA") => user.mfa.sms_enabled,
        Some(_) => user.mfa.totp_enabled,
        None => true,
    };
    if !preferred_on {
        user.mfa.preferred = None;
    }
    Ok(())
}

fn apply_preferred(mfa: &mut MfaSettings, method: &str, preferred: Option<bool>) {
    match preferred {
        Some(true) => mfa.preferred = Some(method.to_owned()),
        Some(false) if mfa.preferred.as_deref() == Some(method) => mfa.preferred = None,
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
    let (pool, mut user, _) = super::signed_in::access_user(ctx, &req.access_token)?;
    apply_preferences(
        &mut user,
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
    )?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
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
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut user = directory::require(ctx, &pool, &req.username)?;
    apply_preferences(
        &mut user,
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
    )?;
    user.modified = ctx.now;
    directory::save(ctx, &pool, &user)?;
    Ok(json!({}))
}
