//! The outbox: every email and SMS the real service would send, kept instead of sent.
//!
//! Each message is stored (never logged with its code) and readable at
//! `GET /_local/messages?pool_id=...&username=...` (and with `cognito messages`).

use serde_json::Value;

use super::Ctx;
use super::records::{PoolRecord, UserRecord};
use super::state::{DeliveryMedium, MessagePurpose, VerifiableAttribute};
use crate::error::OpResult;
use crate::store::Message;

/// Where a code goes, as CodeDeliveryDetails describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Email or SMS.
    pub medium: DeliveryMedium,
    /// The attribute it goes to.
    pub attribute: VerifiableAttribute,
    /// The address or number.
    pub destination: String,
}

impl Delivery {
    /// The user's email or phone, if it has one.
    pub fn to(user: &UserRecord, attribute: VerifiableAttribute) -> Option<Self> {
        let medium = match attribute {
            VerifiableAttribute::Email => DeliveryMedium::Email,
            VerifiableAttribute::PhoneNumber => DeliveryMedium::Sms,
        };
        user.attributes.get(attribute.as_str()).map(|d| Self {
            medium,
            attribute,
            destination: d.clone(),
        })
    }

    /// The user's email, if it has one.
    pub fn email(user: &UserRecord) -> Option<Self> {
        Self::to(user, VerifiableAttribute::Email)
    }

    /// The user's phone, if it has one.
    pub fn sms(user: &UserRecord) -> Option<Self> {
        Self::to(user, VerifiableAttribute::PhoneNumber)
    }

    /// Where verification codes go: a verified-automatically attribute the user has, email first.
    pub fn for_verification(pool: &PoolRecord, user: &UserRecord) -> Option<Self> {
        Self::first(user, |a| {
            pool.auto_verified_attributes
                .iter()
                .any(|x| x == a.as_str())
        })
    }

    /// Where a password-reset code goes: a verified email, else a verified phone.
    pub fn for_reset(user: &UserRecord) -> Option<Self> {
        Self::first(user, |a| {
            user.attributes
                .get(&format!("{}_verified", a.as_str()))
                .is_some_and(|v| v == "true")
        })
    }

    /// The first attribute (email, then phone) that `eligible` admits and the user has.
    fn first(user: &UserRecord, eligible: impl Fn(VerifiableAttribute) -> bool) -> Option<Self> {
        VerifiableAttribute::ALL
            .iter()
            .filter(|a| eligible(**a))
            .find_map(|a| Self::to(user, *a))
    }
}

/// `alice@example.com` → `a***@e***`; `+15555550123` → `+*******0123`.
pub fn mask(destination: &str) -> String {
    match destination.split_once('@') {
        Some((local, domain)) => {
            let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
            format!("{}***@{}***", first(local), first(domain))
        }
        None => {
            let chars: Vec<char> = destination.chars().collect();
            let keep = chars.len().saturating_sub(4);
            chars
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    if i == 0 && c == '+' || i >= keep {
                        c
                    } else {
                        '*'
                    }
                })
                .collect()
        }
    }
}

/// A random six-digit code.
pub fn new_code() -> String {
    use rand::RngExt;
    format!("{:06}", rand::rng().random_range(0..1_000_000))
}

/// Fills `{####}` (the code) and `{username}` in a template.
pub fn fill(template: &str, code: &str, username: &str) -> String {
    template
        .replace("{####}", code)
        .replace("{username}", username)
}

/// A pool's message template setting, or the service's default.
pub fn template(pool: &PoolRecord, path: &[&str], default: &str) -> String {
    let mut value = pool.settings.get(path[0]);
    for key in &path[1..] {
        value = value.and_then(|v| v.get(*key));
    }
    value.and_then(Value::as_str).unwrap_or(default).to_owned()
}

/// The verification message template for a delivery medium (with `{####}`): the
/// pool's or the default.
pub fn verification_template(pool: &PoolRecord, delivery: &Delivery) -> String {
    let (current, legacy) = if delivery.medium == DeliveryMedium::Email {
        ("EmailMessage", "EmailVerificationMessage")
    } else {
        ("SmsMessage", "SmsVerificationMessage")
    };
    let mut text = template(pool, &["VerificationMessageTemplate", current], "");
    if text.is_empty() {
        text = template(pool, &[legacy], "Your verification code is {####}. ");
    }
    text
}

/// Stores a message in the outbox. The log says that it was sent, never what it says.
pub fn send(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    delivery: &Delivery,
    purpose: MessagePurpose,
    body: String,
    code: Option<&str>,
) -> OpResult<()> {
    tracing::info!(
        pool = %pool.id, user = %user.username, medium = %delivery.medium,
        purpose = purpose.name(), "message sent to the outbox"
    );
    ctx.tx().add_message(&Message {
        id: 0,
        pool_id: pool.id.clone(),
        username: user.username.clone(),
        medium: delivery.medium.as_str().to_owned(),
        destination: delivery.destination.clone(),
        purpose: purpose.name().to_owned(),
        body,
        code: code.map(str::to_owned),
        created: ctx.now.secs_f64(),
    })?;
    Ok(())
}

/// Records in the outbox a message that could not go anywhere (the user has no
/// address for the medium), with the reason as its text: the service sends nothing,
/// and this makes that visible. No code or password is kept with it.
pub fn undeliverable(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    medium: DeliveryMedium,
    purpose: MessagePurpose,
    reason: String,
) -> OpResult<()> {
    tracing::info!(
        pool = %pool.id, user = %user.username, medium = %medium,
        purpose = purpose.name(), "message not deliverable"
    );
    ctx.tx().add_message(&Message {
        id: 0,
        pool_id: pool.id.clone(),
        username: user.username.clone(),
        medium: medium.as_str().to_owned(),
        destination: String::new(),
        purpose: purpose.name().to_owned(),
        body: reason,
        code: None,
        created: ctx.now.secs_f64(),
    })?;
    Ok(())
}

/// The outbox, oldest first, optionally for one pool and one user.
pub fn list(
    ctx: &Ctx<'_>,
    pool_id: Option<&str>,
    username: Option<&str>,
) -> OpResult<Vec<Message>> {
    Ok(ctx.tx().messages(pool_id, username)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask("alice@example.com"), "a***@e***");
        assert_eq!(mask("+15555550123"), "+*******0123");
        assert_eq!(
            fill("Hi {username}, code {####}", "123456", "bob"),
            "Hi bob, code 123456"
        );
    }
}
