//! What operations ask of the sign-up and confirmation triggers, and what their answers
//! do: PreSignUp (SignUp, AdminCreateUser) and PostConfirmation (ConfirmSignUp,
//! AdminConfirmSignUp, ConfirmForgotPassword). The events are the ones the Cognito
//! developer guide documents for each trigger source.

use serde::Deserialize;
use serde_json::{Value, json};

use super::attributes::AttributeIn;
use super::lambdas::{self, Call, Trigger};
use super::records::{PoolRecord, UserRecord};
use super::{Ctx, users};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// Where a sign-up comes from: PreSignUp's trigger source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignUpSource {
    /// SignUp.
    SignUp,
    /// AdminCreateUser.
    AdminCreateUser,
    /// A first sign-in through an identity provider.
    ExternalProvider,
}

/// PreSignUp's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct PreSignUpAnswer {
    /// Confirm the user at once (SignUp only).
    pub auto_confirm_user: Option<bool>,
    /// Mark the email verified.
    pub auto_verify_email: Option<bool>,
    /// Mark the phone number verified.
    pub auto_verify_phone: Option<bool>,
}

/// Runs PreSignUp, if the pool has it, for `user` about to be created (its
/// attributes as the request gave them), and marks the attributes the answer verifies.
/// A user name taken while the trigger ran is refused as it would have been before.
pub fn pre_sign_up(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &mut UserRecord,
    source: SignUpSource,
    client_id: Option<&str>,
    validation_data: Option<&[AttributeIn]>,
) -> OpResult<PreSignUpAnswer> {
    let validation: serde_json::Map<String, Value> = validation_data
        .unwrap_or_default()
        .iter()
        .map(|a| (a.name.clone(), json!(a.value.clone().unwrap_or_default())))
        .collect();
    let answer: Option<PreSignUpAnswer> = lambdas::call(
        ctx,
        pool,
        Call {
            trigger: Trigger::PreSignUp,
            source: match source {
                SignUpSource::SignUp => "PreSignUp_SignUp",
                SignUpSource::AdminCreateUser => "PreSignUp_AdminCreateUser",
                SignUpSource::ExternalProvider => "PreSignUp_ExternalProvider",
            }
            .into(),
            username: &user.username,
            client_id,
            request: json!({
                "userAttributes": user.attributes,
                "validationData": validation,
                "clientMetadata": lambdas::metadata(ctx),
            }),
            response: json!({
                "autoConfirmUser": false,
                "autoVerifyEmail": false,
                "autoVerifyPhone": false,
            }),
        },
    )?;
    let Some(answer) = answer else {
        return Ok(PreSignUpAnswer::default());
    };
    if users::find(ctx, pool, &user.username)?.is_some() {
        return Err(CognitoError::new(
            ErrorKind::UsernameExistsException,
            "User already exists",
        ));
    }
    // "If autoVerifyEmail is set to true, the email attribute must have a valid,
    // non-null value. Otherwise an error will occur" (developer guide, pre sign-up).
    for (wanted, attribute) in [
        (answer.auto_verify_email, "email"),
        (answer.auto_verify_phone, "phone_number"),
    ] {
        if wanted != Some(true) {
            continue;
        }
        if !user.attributes.contains_key(attribute) {
            return Err(CognitoError::new(
                ErrorKind::InvalidLambdaResponseException,
                format!("PreSignUp asked to verify {attribute}, which the user does not have."),
            ));
        }
        user.attributes
            .insert(format!("{attribute}_verified"), "true".to_owned());
    }
    Ok(answer)
}

/// Where a confirmation comes from: PostConfirmation's trigger source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConfirmationSource {
    /// ConfirmSignUp or AdminConfirmSignUp.
    SignUp,
    /// ConfirmForgotPassword.
    ForgotPassword,
}

/// Runs PostConfirmation, if the pool has it, for `user`, whose confirmation is
/// written and committed first: a failing trigger fails the request, and the user
/// stays confirmed.
pub fn post_confirmation(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    source: ConfirmationSource,
    client_id: Option<&str>,
) -> OpResult<()> {
    let _: Option<Value> = lambdas::call(
        ctx,
        pool,
        Call {
            trigger: Trigger::PostConfirmation,
            source: match source {
                ConfirmationSource::SignUp => "PostConfirmation_ConfirmSignUp",
                ConfirmationSource::ForgotPassword => "PostConfirmation_ConfirmForgotPassword",
            }
            .into(),
            username: &user.username,
            client_id,
            request: json!({
                "userAttributes": lambdas::user_attributes(user),
                "clientMetadata": lambdas::metadata(ctx),
            }),
            response: json!({}),
        },
    )?;
    Ok(())
}
