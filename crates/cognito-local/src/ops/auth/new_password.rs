//! NEW_PASSWORD_REQUIRED: a user with a temporary password chooses a new one (and gives
//! the required attributes it lacks).

use super::challenges::open_challenge;
use super::challenges::{At, Use};
use super::mfa;
use crate::domain::attributes::{self, AttributeIn, Writer};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::{ChallengeName, UserStatus};
use crate::domain::token_hooks::TokenSource;
use crate::domain::{Ctx, passwords, users};
use crate::error::OpResult;
use crate::model::auth::AuthReply;

/// The challenge, with the attributes the pool requires and the user lacks.
pub(super) fn challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    device_key: Option<&str>,
) -> OpResult<AuthReply> {
    let session = open_challenge(
        ctx,
        pool,
        client,
        user,
        ChallengeName::NewPasswordRequired,
        device_key,
    )?;
    let required: Vec<String> = pool
        .schema
        .iter()
        .filter(|a| a.required && a.name != "sub" && !user.attributes.contains_key(&a.name))
        .map(|a| format!("userAttributes.{}", a.name))
        .collect();
    let current = serde_json::to_string(&user.attributes).unwrap_or_default();
    Ok(AuthReply::challenge(
        ChallengeName::NewPasswordRequired,
        session,
        [
            ("USER_ID_FOR_SRP", user.username.clone()),
            (
                "requiredAttributes",
                serde_json::to_string(&required).unwrap_or_default(),
            ),
            ("userAttributes", current),
        ],
    ))
}

/// The answer: NEW_PASSWORD and `userAttributes.*`; then MFA or tokens.
pub(super) fn answer(at: &At<'_, '_>, session: Option<&str>) -> OpResult<AuthReply> {
    let ctx = at.ctx;
    let opened = at.open(
        at.required(session)?,
        ChallengeName::NewPasswordRequired,
        Use::Take,
    )?;
    let password = at.param("NEW_PASSWORD")?;
    let mut user = opened.user;
    passwords::check_policy(&at.pool.password_policy, password)?;
    let given: Vec<AttributeIn> = at
        .responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.").map(|name| AttributeIn {
                name: name.to_owned(),
                value: Some(v.clone()),
            })
        })
        .collect();
    attributes::apply(at.pool, &mut user, &given, Writer::SignUp)?;
    attributes::check_required(at.pool, &user)?;
    user.password = Some(passwords::new_verifier(at.pool, &user.username, password)?);
    user.status = UserStatus::Confirmed;
    user.temporary_password_expires = None;
    user.modified = ctx.now;
    users::save(ctx, at.pool, &user)?;
    mfa::step(
        ctx,
        at.pool,
        at.client,
        user,
        at.device_key(&opened.session),
        mfa::Demand::Pool,
        TokenSource::NewPasswordChallenge,
    )
}
