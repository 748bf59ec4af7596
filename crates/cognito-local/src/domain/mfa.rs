//! A user's second factors: which are on, and TOTP codes (RFC 6238, no replay).

use totp_rs::{Algorithm, Builder, Secret};

use super::Ctx;
use super::records::{MfaSettings, PoolRecord};
use super::state::MfaMethod;
use crate::error::{CognitoError, OpResult};

/// Whether the pool lets `method` be used: every method until SetUserPoolMfaConfig
/// said which are on.
pub fn pool_allows(pool: &PoolRecord, method: MfaMethod) -> bool {
    match &pool.mfa_methods {
        None => true,
        Some(methods) => match method {
            MfaMethod::Sms => methods.sms,
            MfaMethod::SoftwareToken => methods.software_token,
        },
    }
}

/// The methods a user has turned on that the pool allows, SMS first.
pub fn usable_methods(pool: &PoolRecord, mfa: &MfaSettings) -> Vec<MfaMethod> {
    enabled_methods(mfa)
        .into_iter()
        .filter(|m| pool_allows(pool, *m))
        .collect()
}

/// The methods a user has turned on, SMS first.
pub fn enabled_methods(mfa: &MfaSettings) -> Vec<MfaMethod> {
    let mut out = Vec::new();
    if mfa.sms_enabled {
        out.push(MfaMethod::Sms);
    }
    if mfa.totp_enabled {
        out.push(MfaMethod::SoftwareToken);
    }
    out
}

/// A new TOTP secret, base32.
pub fn new_totp_secret() -> OpResult<String> {
    let mut bytes = [0u8; 20];
    aws_lc_rs::rand::fill(&mut bytes).map_err(CognitoError::internal)?;
    Ok(Secret::from(bytes.to_vec()).to_base32())
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

/// What a TOTP code given is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpCheck {
    /// Right, for this time step (to remember: it is never accepted again).
    Right(u64),
    /// Right, but for a step already used.
    Reused,
    /// Wrong.
    Wrong,
}

/// Checks a TOTP code against `secret` at the context's time (one step of skew either
/// way); a step at or before `last_step` was used already.
pub fn check_totp(
    ctx: &Ctx<'_>,
    secret: &str,
    last_step: Option<u64>,
    code: &str,
) -> OpResult<TotpCheck> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(TotpCheck::Wrong);
    }
    let now = u64::try_from(ctx.now.secs()).unwrap_or(0);
    Ok(match totp(secret)?.check(code, now) {
        None => TotpCheck::Wrong,
        Some(step) if last_step.is_some_and(|last| step <= last) => TotpCheck::Reused,
        Some(step) => TotpCheck::Right(step),
    })
}
