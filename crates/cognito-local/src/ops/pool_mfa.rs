//! The pool's MFA, the AWS way: SetUserPoolMfaConfig and GetUserPoolMfaConfig (what
//! Terraform, CDK and the console call), as the API reference describes them: the
//! methods on (SMS, software token, email; WebAuthn's settings) and MfaConfiguration.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::records::{PoolMfaMethods, PoolRecord};
use crate::domain::state::MfaConfiguration;
use crate::domain::{Ctx, pools};
use crate::error::{CognitoError, OpResult};
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    user_pool_id: String,
    sms_mfa_configuration: Option<SmsMfaConfiguration>,
    software_token_mfa_configuration: Option<SoftwareTokenMfaConfiguration>,
    email_mfa_configuration: Option<Map<String, Value>>,
    web_authn_configuration: Option<Map<String, Value>>,
    mfa_configuration: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SmsMfaConfiguration {
    sms_authentication_message: Option<String>,
    sms_configuration: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SoftwareTokenMfaConfiguration {
    enabled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    user_pool_id: String,
}

/// SetUserPoolMfaConfig: the configuration given replaces the one before (a method
/// left out is off). MFA cannot be ON or OPTIONAL with no method on, nor OFF with a
/// method configured, as AWS answers both.
pub fn set_user_pool_mfa_config(
    ctx: &Ctx<'_>,
    req: SetUserPoolMfaConfigRequest,
) -> OpResult<Value> {
    let mode = req
        .mfa_configuration
        .as_deref()
        .map(|given| {
            validate::named(
                "mfaConfiguration",
                given,
                MfaConfiguration::parse,
                MfaConfiguration::NAMES,
            )
        })
        .transpose()?;
    if let Some(message) = req
        .sms_mfa_configuration
        .as_ref()
        .and_then(|s| s.sms_authentication_message.as_deref())
    {
        sms_message(message)?;
    }
    let mut pool = pools::get(ctx, &req.user_pool_id)?;
    let methods = PoolMfaMethods {
        sms: req.sms_mfa_configuration.is_some(),
        software_token: req
            .software_token_mfa_configuration
            .as_ref()
            .and_then(|s| s.enabled)
            .unwrap_or(false),
        email: req.email_mfa_configuration.clone().map(Value::Object),
        web_authn: req.web_authn_configuration.clone().map(Value::Object),
    };
    let mode = mode.unwrap_or(pool.mfa_configuration);
    let any_on = methods.sms || methods.software_token || methods.email.is_some();
    match mode {
        MfaConfiguration::Off if methods.sms || methods.email.is_some() => {
            return Err(CognitoError::invalid_parameter(
                "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
            ));
        }
        MfaConfiguration::On | MfaConfiguration::Optional if !any_on => {
            return Err(CognitoError::invalid_parameter(
                "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
            ));
        }
        _ => {}
    }
    if let Some(sms) = req.sms_mfa_configuration {
        if let Some(message) = sms.sms_authentication_message {
            pool.settings
                .insert("SmsAuthenticationMessage".into(), json!(message));
        }
        if let Some(config) = sms.sms_configuration {
            pool.settings.insert("SmsConfiguration".into(), config);
        }
    }
    pool.mfa_configuration = mode;
    pool.mfa_methods = Some(methods);
    pool.modified = ctx.now;
    pools::save(ctx, &pool)?;
    Ok(config(&pool))
}

/// GetUserPoolMfaConfig.
pub fn get_user_pool_mfa_config(ctx: &Ctx<'_>, req: UserPoolIdRequest) -> OpResult<Value> {
    Ok(config(&pools::get(ctx, &req.user_pool_id)?))
}

/// `SmsAuthenticationMessage`: 6 to 140 characters holding `{####}`.
fn sms_message(message: &str) -> OpResult<()> {
    let member = "smsMfaConfiguration.smsAuthenticationMessage";
    let length = message.chars().count();
    if length < 6 {
        return Err(CognitoError::validation(
            member,
            Some(message),
            "Member must have length greater than or equal to 6",
        ));
    }
    if length > 140 {
        return Err(CognitoError::validation(
            member,
            Some(message),
            "Member must have length less than or equal to 140",
        ));
    }
    if !message.contains("{####}") {
        return Err(CognitoError::validation(
            member,
            Some(message),
            "Member must satisfy regular expression pattern: .*\\{####\\}.*",
        ));
    }
    Ok(())
}

/// The pool's MFA configuration as both operations answer it.
fn config(pool: &PoolRecord) -> Value {
    let methods = pool.mfa_methods.clone();
    let mut out = Map::new();
    let message = pool.settings.get("SmsAuthenticationMessage");
    let sms_config = pool.settings.get("SmsConfiguration");
    let sms_on = methods.as_ref().map_or(sms_config.is_some(), |m| m.sms);
    if sms_on {
        let mut sms = Map::new();
        if let Some(message) = message {
            sms.insert("SmsAuthenticationMessage".into(), message.clone());
        }
        if let Some(config) = sms_config {
            sms.insert("SmsConfiguration".into(), config.clone());
        }
        out.insert("SmsMfaConfiguration".into(), Value::Object(sms));
    }
    let software_token = methods.as_ref().is_some_and(|m| m.software_token);
    out.insert(
        "SoftwareTokenMfaConfiguration".into(),
        json!({ "Enabled": software_token }),
    );
    if let Some(email) = methods.as_ref().and_then(|m| m.email.clone()) {
        out.insert("EmailMfaConfiguration".into(), email);
    }
    if let Some(web_authn) = methods.as_ref().and_then(|m| m.web_authn.clone()) {
        out.insert("WebAuthnConfiguration".into(), web_authn);
    }
    out.insert(
        "MfaConfiguration".into(),
        json!(pool.mfa_configuration.as_str()),
    );
    Value::Object(out)
}
