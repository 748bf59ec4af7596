//! MFA in a sign-in: which challenge follows a proven password (SMS_MFA,
//! SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP), and their answers.

use super::challenges::open_challenge;
use super::challenges::{At, Use};
use super::issue;
use crate::domain::message_hooks::{self, Message, MessageSource};
use crate::domain::mfa::{TotpCheck, check_totp, pool_allows, usable_methods};
use crate::domain::outbox::{self, Delivery};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::{
    AuthEventKind, ChallengeName, MessagePurpose, MfaConfiguration, MfaMethod,
};
use crate::domain::token_hooks::TokenSource;
use crate::domain::{Ctx, lockout, sessions, users};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::auth::AuthReply;

/// Who asks for MFA.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Demand {
    /// The pool's MfaConfiguration.
    Pool,
    /// Threat protection, for a risky sign-in of a user with MFA (whatever the pool's
    /// MfaConfiguration).
    Risk,
}

/// After the password: an MFA challenge if the pool (or threat protection) and the
/// user call for one, else tokens.
pub(super) fn step(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    mut user: UserRecord,
    device_key: Option<&str>,
    demand: Demand,
    source: TokenSource,
) -> OpResult<AuthReply> {
    let enabled = usable_methods(pool, &user.mfa);
    match pool.mfa_configuration {
        _ if demand == Demand::Risk && !enabled.is_empty() => {}
        MfaConfiguration::Off => {
            return issue::tokens(ctx, pool, client, &mut user, device_key, source);
        }
        MfaConfiguration::Optional if enabled.is_empty() => {
            return issue::tokens(ctx, pool, client, &mut user, device_key, source);
        }
        _ => {}
    }
    if enabled.is_empty() {
        // MFA is required and the user has none turned on: a software token verified
        // (VerifySoftwareToken) is used; else SMS when there is a phone (and the pool
        // allows SMS); else TOTP is set up.
        if user.mfa.totp_secret.is_some() && pool_allows(pool, MfaMethod::SoftwareToken) {
            return challenge(
                ctx,
                pool,
                client,
                &user,
                MfaMethod::SoftwareToken,
                device_key,
            );
        }
        if user.attributes.contains_key("phone_number") && pool_allows(pool, MfaMethod::Sms) {
            return challenge(ctx, pool, client, &user, MfaMethod::Sms, device_key);
        }
        let session = open_challenge(
            ctx,
            pool,
            client,
            &user,
            ChallengeName::MfaSetup,
            device_key,
        )?;
        return Ok(AuthReply::challenge(
            ChallengeName::MfaSetup,
            session,
            [
                ("MFAS_CAN_SETUP", "[\"SOFTWARE_TOKEN_MFA\"]".to_owned()),
                ("USER_ID_FOR_SRP", user.username.clone()),
            ],
        ));
    }
    let preferred = user.mfa.preferred.filter(|p| enabled.contains(p));
    match (preferred, enabled.as_slice()) {
        (Some(method), _) | (None, &[method]) => {
            challenge(ctx, pool, client, &user, method, device_key)
        }
        _ => {
            let session = open_challenge(
                ctx,
                pool,
                client,
                &user,
                ChallengeName::SelectMfaType,
                device_key,
            )?;
            Ok(AuthReply::challenge(
                ChallengeName::SelectMfaType,
                session,
                [
                    (
                        "MFAS_CAN_CHOOSE",
                        serde_json::to_string(&enabled).unwrap_or_default(),
                    ),
                    ("USER_ID_FOR_SRP", user.username.clone()),
                ],
            ))
        }
    }
}

/// An SMS_MFA challenge (the code goes to the outbox) or a SOFTWARE_TOKEN_MFA challenge.
fn challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    method: MfaMethod,
    device_key: Option<&str>,
) -> OpResult<AuthReply> {
    let mut record = sessions::new_record(ctx, pool, &user.username, client, method.challenge());
    record.device_key = device_key.map(str::to_owned);
    let mut parameters = vec![("USER_ID_FOR_SRP", user.username.clone())];
    if method == MfaMethod::SoftwareToken {
        let name = user.mfa.totp_name.clone();
        parameters.push((
            "FRIENDLY_DEVICE_NAME",
            name.unwrap_or_else(|| "TOTP device".into()),
        ));
    }
    if method == MfaMethod::Sms {
        let delivery = Delivery::sms(user).ok_or_else(|| {
            CognitoError::invalid_parameter("User has no phone_number for SMS_MFA.")
        })?;
        let code = outbox::new_code();
        let text = outbox::template(
            pool,
            &["SmsAuthenticationMessage"],
            "Your authentication code is {####}. ",
        );
        let message = Message {
            delivery: &delivery,
            purpose: MessagePurpose::Mfa,
            source: MessageSource::Authentication,
            template: text,
            code: &code,
        };
        message_hooks::send(ctx, pool, user, message)?;
        record.code = Some(code);
        parameters.push(("CODE_DELIVERY_DELIVERY_MEDIUM", "SMS".to_owned()));
        parameters.push((
            "CODE_DELIVERY_DESTINATION",
            outbox::mask(&delivery.destination),
        ));
    }
    let session = sessions::open(ctx, &record)?;
    Ok(AuthReply::challenge(
        method.challenge(),
        session,
        parameters,
    ))
}

fn mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatchException,
        "Invalid code or auth state for the user.",
    )
}

/// SMS_MFA and SOFTWARE_TOKEN_MFA: a wrong code may be retried on the same session.
pub(super) fn answer(
    at: &At<'_, '_>,
    challenge: ChallengeName,
    session: Option<&str>,
) -> OpResult<AuthReply> {
    let mut opened = at.open(at.required(session)?, challenge, Use::Peek)?;
    let mut user = opened.user;
    // A locked-out user's codes are not even looked at.
    lockout::check(at.ctx, &user)?;
    let mut reused = false;
    let right = if challenge == ChallengeName::SmsMfa {
        let code = at.param("SMS_MFA_CODE")?;
        let expected = opened.session.code.as_deref().unwrap_or_default();
        let same =
            aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), code.as_bytes())
                .is_ok();
        same && !expected.is_empty()
    } else {
        let code = at.param("SOFTWARE_TOKEN_MFA_CODE")?;
        let secret = user.mfa.totp_secret.clone().ok_or_else(mismatch)?;
        match check_totp(at.ctx, &secret, user.mfa.totp_last_step, code)? {
            TotpCheck::Right(step) => {
                user.mfa.totp_last_step = Some(step);
                users::save(at.ctx, at.pool, &user)?;
                true
            }
            TotpCheck::Reused => {
                reused = true;
                false
            }
            TotpCheck::Wrong => false,
        }
    };
    if !right {
        // A wrong code is a failed sign-in (toward the lockout), and the session takes
        // only a few of them.
        sessions::wrong_answer(at.ctx, &opened.id, &mut opened.session)?;
        return Err(
            match lockout::count(at.ctx, at.pool, &mut user, AuthEventKind::SignIn, true)? {
                true => lockout::exceeded(),
                // A code of a step used already: AWS's answer for a replayed TOTP code.
                false if reused => CognitoError::new(
                    ErrorKind::ExpiredCodeException,
                    "Your software token has already been used once.",
                ),
                false => mismatch(),
            },
        );
    }
    sessions::close(at.ctx, &opened.id)?;
    issue::tokens(
        at.ctx,
        at.pool,
        at.client,
        &mut user,
        at.device_key(&opened.session),
        TokenSource::Authentication,
    )
}

/// SELECT_MFA_TYPE: the user picks one of its methods; that method's challenge follows.
pub(super) fn select(at: &At<'_, '_>, session: Option<&str>) -> OpResult<AuthReply> {
    let opened = at.open(
        at.required(session)?,
        ChallengeName::SelectMfaType,
        Use::Take,
    )?;
    let answer = at.param("ANSWER")?;
    let chosen =
        MfaMethod::parse(answer).filter(|m| usable_methods(at.pool, &opened.user.mfa).contains(m));
    let Some(method) = chosen else {
        return Err(CognitoError::invalid_parameter(format!(
            "{answer} is not an MFA type the user can choose."
        )));
    };
    challenge(
        at.ctx,
        at.pool,
        at.client,
        &opened.user,
        method,
        at.device_key(&opened.session),
    )
}

/// MFA_SETUP: after AssociateSoftwareToken and VerifySoftwareToken with this session,
/// TOTP is turned on (and preferred) and the tokens follow.
pub(super) fn setup(at: &At<'_, '_>, session: Option<&str>) -> OpResult<AuthReply> {
    let opened = at.open(at.required(session)?, ChallengeName::MfaSetup, Use::Peek)?;
    let mut user = opened.user;
    if user.mfa.totp_secret.is_none() {
        return Err(CognitoError::invalid_parameter(
            "Software token MFA has not been set up: call AssociateSoftwareToken and VerifySoftwareToken with this session first.",
        ));
    }
    user.mfa.totp_enabled = true;
    user.mfa.preferred.get_or_insert(MfaMethod::SoftwareToken);
    user.modified = at.ctx.now;
    users::save(at.ctx, at.pool, &user)?;
    sessions::close(at.ctx, &opened.id)?;
    issue::tokens(
        at.ctx,
        at.pool,
        at.client,
        &mut user,
        at.device_key(&opened.session),
        TokenSource::Authentication,
    )
}
