//! Messages with a code or a temporary password, through the pool's message triggers:
//! - CustomEmailSender / CustomSMSSender (for the message's medium): the code goes to
//!   the sender, which delivers it itself; nothing goes to the outbox. AWS encrypts the
//!   code with the pool's KMS key; offline there is no KMS, so the sender gets it in
//!   plaintext in `request.code` (the event's other fields as AWS sends them).
//! - CustomMessage: the trigger writes the text (its `emailMessage` or `smsMessage`,
//!   with the `{####}` code placeholder the event offers), which goes to the outbox.
//! - neither: the pool's template, to the outbox.

use serde::Deserialize;
use serde_json::json;

use super::Ctx;
use super::lambdas::{self, Call, Trigger};
use super::outbox::{self, Delivery};
use super::records::{PoolRecord, UserRecord};
use super::state::{DeliveryMedium, MessagePurpose};
use crate::error::OpResult;

/// What a message is for: the suffix of its trigger sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MessageSource {
    /// SignUp's confirmation code.
    SignUp,
    /// ResendConfirmationCode.
    ResendCode,
    /// ForgotPassword (and AdminResetUserPassword).
    ForgotPassword,
    /// A changed attribute's verification code.
    UpdateUserAttribute,
    /// GetUserAttributeVerificationCode.
    VerifyUserAttribute,
    /// AdminCreateUser's invitation.
    AdminCreateUser,
    /// An SMS_MFA code.
    Authentication,
}

impl MessageSource {
    fn suffix(self) -> &'static str {
        match self {
            MessageSource::SignUp => "SignUp",
            MessageSource::ResendCode => "ResendCode",
            MessageSource::ForgotPassword => "ForgotPassword",
            MessageSource::UpdateUserAttribute => "UpdateUserAttribute",
            MessageSource::VerifyUserAttribute => "VerifyUserAttribute",
            MessageSource::AdminCreateUser => "AdminCreateUser",
            MessageSource::Authentication => "Authentication",
        }
    }
}

/// A message to send.
pub(crate) struct Message<'a> {
    /// Where it goes.
    pub delivery: &'a Delivery,
    /// What the outbox calls it.
    pub purpose: MessagePurpose,
    /// Its trigger source.
    pub source: MessageSource,
    /// The pool's template for it, with `{####}` and `{username}`.
    pub template: String,
    /// The code (or temporary password) it carries.
    pub code: &'a str,
}

/// CustomMessage's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct CustomText {
    sms_message: Option<String>,
    email_message: Option<String>,
}

/// Sends `message` to `user` as the pool's triggers say.
pub fn send(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    message: Message<'_>,
) -> OpResult<()> {
    let email = message.delivery.medium == DeliveryMedium::Email;
    let (sender, prefix, kind) = if email {
        (
            Trigger::CustomEmailSender,
            "CustomEmailSender_",
            "customEmailSenderRequestV1",
        )
    } else {
        (
            Trigger::CustomSmsSender,
            "CustomSMSSender_",
            "customSMSSenderRequestV1",
        )
    };
    let username_parameter = match message.source {
        MessageSource::AdminCreateUser => json!("{username}"),
        _ => json!(null),
    };
    if lambdas::has(pool, sender) {
        let _: Option<serde_json::Value> = lambdas::call(
            ctx,
            pool,
            Call {
                trigger: sender,
                source: format!("{prefix}{}", message.source.suffix()).into(),
                username: &user.username,
                client_id: None,
                request: json!({
                    "type": kind,
                    "code": message.code,
                    "clientMetadata": lambdas::metadata(ctx),
                    "userAttributes": lambdas::user_attributes(user),
                }),
                response: json!({}),
            },
        )?;
        tracing::info!(pool = %pool.id, user = %user.username, "message handed to the custom sender");
        return Ok(());
    }
    let mut text = message.template;
    if lambdas::has(pool, Trigger::CustomMessage) {
        let custom: Option<CustomText> = lambdas::call(
            ctx,
            pool,
            Call {
                trigger: Trigger::CustomMessage,
                source: format!("CustomMessage_{}", message.source.suffix()).into(),
                username: &user.username,
                client_id: None,
                request: json!({
                    "userAttributes": lambdas::user_attributes(user),
                    "codeParameter": "{####}",
                    "linkParameter": "{##Click Here##}",
                    "usernameParameter": username_parameter,
                    "clientMetadata": lambdas::metadata(ctx),
                }),
                response: json!({ "smsMessage": null, "emailMessage": null, "emailSubject": null }),
            },
        )?;
        let custom = custom.unwrap_or_default();
        let chosen = if email {
            custom.email_message
        } else {
            custom.sms_message
        };
        if let Some(chosen) = chosen {
            text = chosen;
        }
    }
    outbox::send(
        ctx,
        pool,
        user,
        message.delivery,
        message.purpose,
        outbox::fill(&text, message.code, &user.username),
        Some(message.code),
    )
}
