//! What a sign-in asks of PreAuthentication and PostAuthentication. PreAuthentication
//! runs when a known user starts a password or SRP sign-in, before the password is
//! looked at, and may refuse it; PostAuthentication runs once the user is proven,
//! before the sign-in is recorded, and its failure withholds the tokens (developer
//! guide: "before a user has received tokens").

use serde_json::{Value, json};

use super::lambdas::{self, Call, Trigger, Who};
use super::records::{ClientRecord, PoolRecord, UserRecord};
use super::{Ctx, lockout};
use crate::error::OpResult;

/// Runs PreAuthentication, if the pool has it, for `user` signing in through `client`.
/// Returns the user as it is after the call (the trigger ran without the store's lock).
pub fn pre_authentication(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
) -> OpResult<UserRecord> {
    if !lambdas::has(pool, Trigger::PreAuthentication) {
        return Ok(user);
    }
    call_pre_authentication(ctx, pool, client, Who::Known(&user))?;
    lockout::reread(ctx, pool, &user.username, &user.password)
}

/// Runs PreAuthentication for a name that matches no user, where `client` prevents user
/// existence errors: as AWS documents, the trigger then runs with `userNotFound: true`
/// (and may still refuse).
pub fn pre_authentication_unknown(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    typed: &str,
) -> OpResult<()> {
    if !client.hides_users() || !lambdas::has(pool, Trigger::PreAuthentication) {
        return Ok(());
    }
    call_pre_authentication(ctx, pool, client, Who::Unknown(typed))
}

/// PreAuthentication's event for `who`; ClientMetadata reaches it as `validationData`,
/// as AWS documents for InitiateAuth.
fn call_pre_authentication(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    who: Who<'_>,
) -> OpResult<()> {
    let _: Option<Value> = lambdas::call(
        ctx,
        pool,
        Call {
            trigger: Trigger::PreAuthentication,
            source: "PreAuthentication_Authentication".into(),
            username: who.username(),
            client_id: Some(&client.id),
            request: json!({
                "userAttributes": who.attributes(),
                "validationData": lambdas::metadata(ctx),
                "userNotFound": who.not_found(),
            }),
            response: json!({}),
        },
    )?;
    Ok(())
}

/// Runs PostAuthentication, if the pool has it, for `user`, proven through `client`
/// (`new_device` when the sign-in brings a device the pool had not seen). The user is
/// read again after the call.
pub fn post_authentication(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &mut UserRecord,
    new_device: bool,
) -> OpResult<()> {
    if !lambdas::has(pool, Trigger::PostAuthentication) {
        return Ok(());
    }
    let _: Option<Value> = lambdas::call(
        ctx,
        pool,
        Call {
            trigger: Trigger::PostAuthentication,
            source: "PostAuthentication_Authentication".into(),
            username: &user.username,
            client_id: Some(&client.id),
            request: json!({
                "newDeviceUsed": new_device,
                "userAttributes": lambdas::user_attributes(user),
                "clientMetadata": lambdas::metadata(ctx),
            }),
            response: json!({}),
        },
    )?;
    *user = lockout::reread(ctx, pool, &user.username, &user.password)?;
    Ok(())
}
