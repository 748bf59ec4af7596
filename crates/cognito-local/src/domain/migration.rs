//! UserMigration: a user the pool does not know, asked of the pool's migration trigger
//! when they sign in with a password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) or
//! ask for a password reset (ForgotPassword). The trigger's `userAttributes` make the
//! user, `finalUserStatus` its status (CONFIRMED unless RESET_REQUIRED at sign-in; a
//! reset leaves it RESET_REQUIRED), `forceAliasCreation` lets its aliases move over.
//! The password the user signed in with becomes an SRP verifier, computed without the
//! store's lock; it is never stored.
//!
//! `messageAction` SUPPRESS sends nothing; otherwise the outbox gets the welcome
//! message AWS sends migrated users (a notice: there is no temporary password to
//! send), by `desiredDeliveryMediums` (EMAIL unless given).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::json;

use super::attributes::{self, AttributeIn, Writer};
use super::lambdas::{self, Call, Trigger};
use super::outbox::{self, Delivery};
use super::records::{ClientRecord, PoolRecord, UserRecord};
use super::state::{DeliveryMedium, MessagePurpose, UserStatus};
use super::{Ctx, passwords, users};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// Why the user is being looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MigrationSource {
    /// A password sign-in, with the password given.
    Authentication,
    /// ForgotPassword.
    ForgotPassword,
}

/// The trigger's `response`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Answer {
    user_attributes: Option<HashMap<String, String>>,
    final_user_status: Option<String>,
    message_action: Option<String>,
    desired_delivery_mediums: Option<Vec<String>>,
    force_alias_creation: Option<bool>,
}

/// Asks the pool's UserMigration trigger for `typed`; the user it made (already
/// stored), or `None` without a trigger. A trigger that fails means there is no such
/// user to migrate: the service's "Exception migrating user" (hidden as a wrong
/// password where the client prevents user existence errors).
pub fn migrate(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    typed: &str,
    password: Option<&str>,
    source: MigrationSource,
) -> OpResult<Option<UserRecord>> {
    if !lambdas::has(pool, Trigger::UserMigration) {
        return Ok(None);
    }
    let mut request = json!({
        "validationData": lambdas::metadata(ctx),
        "clientMetadata": lambdas::metadata(ctx),
    });
    if let Some(password) = password {
        request["password"] = json!(password);
    }
    let called = lambdas::call::<Answer>(
        ctx,
        pool,
        Call {
            trigger: Trigger::UserMigration,
            source: match source {
                MigrationSource::Authentication => "UserMigration_Authentication",
                MigrationSource::ForgotPassword => "UserMigration_ForgotPassword",
            }
            .into(),
            username: typed,
            client_id: Some(&client.id),
            request,
            response: json!({
                "userAttributes": {},
                "finalUserStatus": null,
                "messageAction": null,
                "desiredDeliveryMediums": null,
                "forceAliasCreation": null,
            }),
        },
    );
    let answer = match called {
        Ok(answer) => answer.unwrap_or_default(),
        Err(e) if e.kind == ErrorKind::UserLambdaValidationException => {
            return Err(not_migrated(client));
        }
        Err(e) => return Err(e),
    };
    let status = match (source, answer.final_user_status.as_deref()) {
        (MigrationSource::ForgotPassword, _) | (_, Some("RESET_REQUIRED")) => {
            UserStatus::ResetRequired
        }
        (MigrationSource::Authentication, None | Some("CONFIRMED")) => UserStatus::Confirmed,
        (_, Some(other)) => {
            return Err(CognitoError::new(
                ErrorKind::InvalidLambdaResponseException,
                format!(
                    "UserMigration answered finalUserStatus {other}: CONFIRMED or RESET_REQUIRED."
                ),
            ));
        }
    };
    // The verifier of the password the user just proved to the trigger, without the
    // store's lock.
    let (mut user, from_name) = users::new_user(ctx, pool, typed, status)?;
    let verifier = match (status, password) {
        (UserStatus::Confirmed, Some(password)) => {
            let username = user.username.clone();
            Some(ctx.unlocked(|| passwords::new_verifier(pool, &username, password))??)
        }
        _ => None,
    };
    if users::find(ctx, pool, typed)?.is_some() {
        return Err(CognitoError::new(
            ErrorKind::UsernameExistsException,
            "User already exists",
        ));
    }
    let mut given: Vec<AttributeIn> = answer
        .user_attributes
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| name != "sub" && name != "username")
        .map(|(name, value)| AttributeIn {
            name,
            value: Some(value),
        })
        .collect();
    given.extend(from_name);
    attributes::apply(pool, &mut user, &given, Writer::Admin).map_err(|e| {
        CognitoError::new(
            ErrorKind::InvalidLambdaResponseException,
            format!(
                "UserMigration answered attributes the pool refuses: {}",
                e.message
            ),
        )
    })?;
    if answer.force_alias_creation == Some(true) {
        users::steal_aliases(ctx, pool, &user)?;
    }
    user.password = verifier;
    users::save(ctx, pool, &user)?;
    if answer.message_action.as_deref() != Some("SUPPRESS") {
        welcome(ctx, pool, &user, answer.desired_delivery_mediums.as_deref())?;
    }
    tracing::info!(pool = %pool.id, user = %user.username, "user migrated");
    Ok(Some(user))
}

/// The service's answer when the trigger would not migrate the user.
fn not_migrated(client: &ClientRecord) -> CognitoError {
    if client.hides_users() {
        return super::lockout::incorrect();
    }
    CognitoError::new(
        ErrorKind::UserNotFoundException,
        format!("Exception migrating user in app client {}", client.id),
    )
}

/// The welcome message of a migrated user.
fn welcome(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    user: &UserRecord,
    mediums: Option<&[String]>,
) -> OpResult<()> {
    let mediums = mediums.unwrap_or(&[]);
    let by_sms = mediums.iter().any(|m| m == "SMS");
    let by_email = mediums.is_empty() || mediums.iter().any(|m| m == "EMAIL");
    let text = format!(
        "Welcome, {}: your account has moved to this user pool.",
        user.username
    );
    for (wanted, delivery, medium, attribute) in [
        (
            by_email,
            Delivery::email(user),
            DeliveryMedium::Email,
            "email",
        ),
        (
            by_sms,
            Delivery::sms(user),
            DeliveryMedium::Sms,
            "phone_number",
        ),
    ] {
        match (wanted, delivery) {
            (true, Some(delivery)) => outbox::send(
                ctx,
                pool,
                user,
                &delivery,
                MessagePurpose::Invitation,
                text.clone(),
                None,
            )?,
            (true, None) => outbox::undeliverable(
                ctx,
                pool,
                user,
                medium,
                MessagePurpose::Invitation,
                format!("Not delivered: the migrated user has no {attribute}."),
            )?,
            _ => {}
        }
    }
    Ok(())
}
