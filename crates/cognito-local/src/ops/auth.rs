//! Signing in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
//! AdminRespondToAuthChallenge.
//!
//! The flows: USER_SRP_AUTH then PASSWORD_VERIFIER (verified with cognito-srp's server
//! role), USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH (checked
//! against the stored verifier), REFRESH_TOKEN_AUTH / REFRESH_TOKEN, and
//! NEW_PASSWORD_REQUIRED for users with a temporary password.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_srp::{Identity, PasswordClaim, ServerEphemeral, Timestamp, Verifier};
use serde::Deserialize;
use serde_json::{Value, json};

use super::attributes::{self, Writer};
use super::clients::{check_secret_hash, client, client_by_id};
use super::{Ctx, devices, directory, groups, mfa, passwords, pool};
use crate::messages::{self, Delivery};
use crate::model::user::AttributeIn;
use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{
    AuthSessionRecord, ClientRecord, DeviceRecord, PoolRecord, SignInRecord, UserRecord,
};
use crate::tokens::{self, Issue};

/// Seconds a session (between two steps of a login) stays valid.
const SESSION_SECONDS: i64 = 180;
/// How far a PASSWORD_VERIFIER TIMESTAMP may be from the server's clock.
const TIMESTAMP_WINDOW_SECONDS: u32 = 300;
/// Failed sign-ins before the user is locked out for a while.
const LOCKOUT_AFTER: u32 = 5;

type Params = HashMap<String, String>;

fn incorrect() -> CognitoError {
    CognitoError::not_authorized("Incorrect username or password.")
}

fn param<'p>(params: &'p Params, name: &str) -> OpResult<&'p str> {
    params.get(name).map(String::as_str).ok_or_else(|| {
        CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
    })
}

/// Whether the app client allows a flow (ALLOW_* names, or the legacy ones).
fn check_flow_allowed(client: &ClientRecord, flow: &str) -> OpResult<()> {
    let flows = &client.explicit_auth_flows;
    let has = |name: &str| flows.iter().any(|f| f == name);
    let legacy = flows.iter().all(|f| !f.starts_with("ALLOW_"));
    let allowed = match flow {
        "USER_SRP_AUTH" => has("ALLOW_USER_SRP_AUTH") || legacy,
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => has("ALLOW_REFRESH_TOKEN_AUTH") || legacy,
        "USER_PASSWORD_AUTH" => has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH"),
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH")
        }
        "CUSTOM_AUTH" => has("ALLOW_CUSTOM_AUTH") || has("CUSTOM_AUTH_FLOW_ONLY"),
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )))
    }
}

/// Who calls: the user (unsigned) or an admin (signed).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    User,
    Admin,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    auth_flow: String,
    client_id: String,
    auth_parameters: Option<Params>,
}

pub fn initiate_auth(ctx: &Ctx<'_>, req: InitiateAuthRequest) -> OpResult<Value> {
    let (pool, client) = client_by_id(ctx, &req.client_id)?;
    start(
        ctx,
        &pool,
        &client,
        &req.auth_flow,
        &req.auth_parameters.unwrap_or_default(),
        Caller::User,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthRequest {
    user_pool_id: String,
    client_id: String,
    auth_flow: String,
    auth_parameters: Option<Params>,
}

pub fn admin_initiate_auth(ctx: &Ctx<'_>, req: AdminInitiateAuthRequest) -> OpResult<Value> {
    let client = client(ctx, &req.user_pool_id, &req.client_id)?;
    let pool = pool(ctx, &req.user_pool_id)?;
    start(
        ctx,
        &pool,
        &client,
        &req.auth_flow,
        &req.auth_parameters.unwrap_or_default(),
        Caller::Admin,
    )
}

const FLOWS: &[&str] = &[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
];

fn start(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    flow: &str,
    params: &Params,
    caller: Caller,
) -> OpResult<Value> {
    super::validate::one_of("authFlow", flow, FLOWS)?;
    let supported = match flow {
        "USER_PASSWORD_AUTH" => caller == Caller::User,
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => caller == Caller::Admin,
        _ => true,
    };
    if !supported {
        return Err(CognitoError::invalid_parameter(
            "Initiate Auth method not supported.",
        ));
    }
    check_flow_allowed(client, flow)?;
    match flow {
        "USER_SRP_AUTH" => srp_start(ctx, pool, client, params),
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            password_flow(ctx, pool, client, params)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh(ctx, pool, client, params),
        _ => Err(CognitoError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        )),
    }
}

/// The answer for a user who does not exist: as for a wrong password when the client
/// prevents user existence errors.
fn unknown_user(client: &ClientRecord) -> CognitoError {
    if client.prevent_user_existence_errors == "ENABLED" {
        incorrect()
    } else {
        directory::user_not_found()
    }
}

/// Refuses disabled and locked-out users.
fn check_may_sign_in(ctx: &Ctx<'_>, user: &UserRecord) -> OpResult<()> {
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if user.locked_until.is_some_and(|until| ctx.now < until) {
        return Err(CognitoError::not_authorized("Password attempts exceeded"));
    }
    Ok(())
}

/// Counts a failed sign-in (kept although the operation fails) and locks out after
/// [`LOCKOUT_AFTER`] in a row, for a time that doubles with each further failure.
fn failed_sign_in(ctx: &Ctx<'_>, pool: &PoolRecord, user: &mut UserRecord) -> CognitoError {
    user.failed_sign_ins += 1;
    let mut error = incorrect();
    if user.failed_sign_ins >= LOCKOUT_AFTER {
        let seconds = 2f64
            .powi((user.failed_sign_ins - LOCKOUT_AFTER) as i32)
            .min(900.0);
        user.locked_until = Some(ctx.now + seconds);
        error = CognitoError::not_authorized("Password attempts exceeded");
    }
    match directory::save(ctx, pool, user) {
        Ok(()) => error.keeping_writes(),
        Err(e) => e,
    }
}

fn password_flow(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<Value> {
    let typed = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    check_secret_hash(client, typed, params.get("SECRET_HASH").map(String::as_str))?;
    let mut user = directory::find(ctx, pool, typed)?.ok_or_else(|| unknown_user(client))?;
    check_may_sign_in(ctx, &user)?;
    let stored = user.password.clone().ok_or_else(incorrect)?;
    if !passwords::matches(pool, &user.username, &stored, password)? {
        return Err(failed_sign_in(ctx, pool, &mut user));
    }
    after_password(
        ctx,
        pool,
        client,
        user,
        params.get("DEVICE_KEY").map(String::as_str),
    )
}

/// A random opaque string: sessions and secret blocks.
fn opaque(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).expect("the system RNG works");
    STANDARD.encode(buf)
}

/// Stores a session; sessions live in the global scope, as some requests name only them.
fn new_session(ctx: &Ctx<'_>, record: &AuthSessionRecord) -> OpResult<String> {
    let id = opaque(96);
    ctx.store.put("", &id, record)?;
    Ok(id)
}

fn session_record(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    client: &ClientRecord,
    challenge: &str,
) -> AuthSessionRecord {
    AuthSessionRecord {
        pool_id: pool.id.clone(),
        code: None,
        device_key: None,
        username: username.to_owned(),
        client_id: client.id.clone(),
        challenge: challenge.to_owned(),
        srp_b: None,
        srp_a: None,
        expires: ctx.now as i64 + SESSION_SECONDS,
    }
}

fn srp_start(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<Value> {
    let typed = param(params, "USERNAME")?;
    let srp_a = param(params, "SRP_A")?;
    check_secret_hash(client, typed, params.get("SECRET_HASH").map(String::as_str))?;
    let user = directory::find(ctx, pool, typed)?;
    let mut record = session_record(ctx, pool, typed, client, "PASSWORD_VERIFIER");
    record.srp_a = Some(srp_a.to_owned());
    record.device_key = params.get("DEVICE_KEY").cloned();
    let (salt, srp_b, user_id) = match user {
        Some(user) => {
            check_may_sign_in(ctx, &user)?;
            let stored = user.password.clone().ok_or_else(incorrect)?;
            let verifier = passwords::load_verifier(&stored)?;
            let ephemeral = ServerEphemeral::generate(&verifier, &mut rand::rng());
            record.username = user.username.clone();
            record.srp_b = Some(crate::hex::encode(&ephemeral.secret()));
            (verifier.salt_hex(), ephemeral.srp_b(), user.username)
        }
        None if client.prevent_user_existence_errors == "ENABLED" => {
            // A plausible challenge that no password can answer.
            let fake = cognito_srp::Verifier::generate(
                &cognito_srp::Identity::for_user(
                    &cognito_srp::PoolId::parse(&pool.id).map_err(CognitoError::internal)?,
                    typed,
                ),
                &opaque(32),
                &mut rand::rng(),
            );
            let ephemeral = ServerEphemeral::generate(&fake, &mut rand::rng());
            (fake.salt_hex(), ephemeral.srp_b(), typed.to_owned())
        }
        None => return Err(directory::user_not_found()),
    };
    let secret_block = opaque(128);
    ctx.store.put("", &secret_block, &record)?;
    Ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": secret_block,
        "ChallengeParameters": {
            "SALT": salt,
            "SRP_B": srp_b,
            "SECRET_BLOCK": secret_block,
            "USER_ID_FOR_SRP": user_id,
            "USERNAME": user_id,
        },
    }))
}

/// After the password is proven: confirmation state, new-password challenge, the device
/// step for a remembered device (which skips MFA), MFA, or tokens.
fn after_password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    mut user: UserRecord,
    device_key: Option<&str>,
) -> OpResult<Value> {
    user.failed_sign_ins = 0;
    user.locked_until = None;
    directory::save(ctx, pool, &user)?;
    match user.status.as_str() {
        "UNCONFIRMED" => Err(CognitoError::new(
            ErrorKind::UserNotConfirmedException,
            "User is not confirmed.",
        )
        .keeping_writes()),
        "RESET_REQUIRED" => Err(CognitoError::new(
            ErrorKind::PasswordResetRequiredException,
            "Password reset required for the user",
        )
        .keeping_writes()),
        "FORCE_CHANGE_PASSWORD" => {
            if user.temporary_password_expires.is_some_and(|t| ctx.now > t) {
                return Err(CognitoError::not_authorized(
                    "Temporary password has expired and must be reset by an administrator.",
                )
                .keeping_writes());
            }
            let record = session_record(ctx, pool, &user.username, client, "NEW_PASSWORD_REQUIRED");
            let session = new_session(ctx, &record)?;
            let required: Vec<String> = pool
                .schema
                .iter()
                .filter(|a| a.required && a.name != "sub" && !user.attributes.contains_key(&a.name))
                .map(|a| format!("userAttributes.{}", a.name))
                .collect();
            let current: serde_json::Map<String, Value> = user
                .attributes
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            Ok(json!({
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": session,
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": user.username,
                    "requiredAttributes": serde_json::to_string(&required).unwrap_or_default(),
                    "userAttributes": Value::Object(current).to_string(),
                },
            }))
        }
        _ => {
            // A remembered device stands in for MFA when the pool says so
            // (DeviceConfiguration.ChallengeRequiredOnNewDevice).
            let remembered = match (pool.devices, device_key) {
                (Some(settings), Some(key)) if settings.challenge_required_on_new_device => {
                    devices::device_of(ctx, pool, &user, key)
                        .ok()
                        .filter(|d| d.remembered && d.verifier.is_some())
                }
                _ => None,
            };
            match remembered {
                Some(device) => {
                    let mut record =
                        session_record(ctx, pool, &user.username, client, "DEVICE_SRP_AUTH");
                    let pending = device_challenge_key(client, &user.username, &device.key);
                    record.device_key = Some(device.key);
                    let session = new_session(ctx, &record)?;
                    // Clients such as pycognito answer DEVICE_SRP_AUTH without the session.
                    ctx.store
                        .remove_lookup::<AuthSessionRecord>("", "device_srp", &pending)?;
                    ctx.store.set_lookup::<AuthSessionRecord>(
                        "",
                        "device_srp",
                        &pending,
                        &session,
                    )?;
                    Ok(json!({
                        "ChallengeName": "DEVICE_SRP_AUTH",
                        "Session": session,
                        "ChallengeParameters": {},
                    }))
                }
                None => mfa_step(ctx, pool, client, &user),
            }
        }
    }
}

/// After the password: an MFA challenge if the pool and the user call for one, else tokens.
fn mfa_step(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
) -> OpResult<Value> {
    let enabled = mfa::enabled_methods(&user.mfa);
    match pool.mfa_configuration.as_str() {
        "OFF" => return issue_tokens(ctx, pool, client, user, None),
        "OPTIONAL" if enabled.is_empty() => return issue_tokens(ctx, pool, client, user, None),
        _ => {}
    }
    if enabled.is_empty() {
        // MFA is required and the user has none: SMS when there is a phone, else set up TOTP.
        if user.attributes.contains_key("phone_number") {
            return mfa_challenge(ctx, pool, client, user, "SMS_MFA");
        }
        let record = session_record(ctx, pool, &user.username, client, "MFA_SETUP");
        let session = new_session(ctx, &record)?;
        return Ok(json!({
            "ChallengeName": "MFA_SETUP",
            "Session": session,
            "ChallengeParameters": { "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]", "USER_ID_FOR_SRP": user.username },
        }));
    }
    let preferred = user
        .mfa
        .preferred
        .as_deref()
        .filter(|p| enabled.contains(p));
    match (preferred, enabled.as_slice()) {
        (Some(method), _) | (None, &[method]) => mfa_challenge(ctx, pool, client, user, method),
        _ => {
            let record = session_record(ctx, pool, &user.username, client, "SELECT_MFA_TYPE");
            let session = new_session(ctx, &record)?;
            Ok(json!({
                "ChallengeName": "SELECT_MFA_TYPE",
                "Session": session,
                "ChallengeParameters": {
                    "MFAS_CAN_CHOOSE": serde_json::to_string(&enabled).unwrap_or_default(),
                    "USER_ID_FOR_SRP": user.username,
                },
            }))
        }
    }
}

/// An SMS_MFA challenge (the code goes to the outbox) or a SOFTWARE_TOKEN_MFA challenge.
fn mfa_challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    method: &str,
) -> OpResult<Value> {
    let mut record = session_record(ctx, pool, &user.username, client, method);
    let mut parameters = json!({ "USER_ID_FOR_SRP": user.username });
    if method == "SMS_MFA" {
        let delivery = Delivery::sms(user).ok_or_else(|| {
            CognitoError::invalid_parameter("User has no phone_number for SMS_MFA.")
        })?;
        let code = messages::new_code();
        let text = messages::template(
            pool,
            &["SmsAuthenticationMessage"],
            "Your authentication code is {####}. ",
        );
        messages::send(
            ctx,
            pool,
            user,
            &delivery,
            "mfa",
            messages::fill(&text, &code, &user.username),
            Some(&code),
        )?;
        record.code = Some(code);
        parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = json!("SMS");
        parameters["CODE_DELIVERY_DESTINATION"] = json!(messages::mask(&delivery.destination));
    }
    let session = new_session(ctx, &record)?;
    Ok(json!({ "ChallengeName": method, "Session": session, "ChallengeParameters": parameters }))
}

fn mfa_mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatchException,
        "Invalid code or auth state for the user.",
    )
}

/// SMS_MFA and SOFTWARE_TOKEN_MFA: a wrong code may be retried on the same session.
fn mfa_answer(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    challenge: &str,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let session = session
        .ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter Session"))?;
    let record = peek_session(ctx, pool, client, session, challenge)?;
    check_secret_hash(
        client,
        param(r, "USERNAME")?,
        r.get("SECRET_HASH").map(String::as_str),
    )?;
    let mut user: UserRecord = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(incorrect)?;
    if challenge == "SMS_MFA" {
        let code = param(r, "SMS_MFA_CODE")?;
        if record.code.as_deref() != Some(code) {
            return Err(mfa_mismatch());
        }
    } else {
        let code = param(r, "SOFTWARE_TOKEN_MFA_CODE")?;
        let secret = user.mfa.totp_secret.clone().ok_or_else(mfa_mismatch)?;
        let step = mfa::check_totp(ctx, &secret, user.mfa.totp_last_step, code)?
            .ok_or_else(mfa_mismatch)?;
        user.mfa.totp_last_step = Some(step);
        directory::save(ctx, pool, &user)?;
    }
    ctx.store.delete::<AuthSessionRecord>("", session)?;
    issue_tokens(ctx, pool, client, &user, None)
}

fn select_mfa_type(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let session = session
        .ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter Session"))?;
    let record = take_session(ctx, pool, client, session, "SELECT_MFA_TYPE")?;
    let answer = param(r, "ANSWER").map_err(CognitoError::keeping_writes)?;
    let user: UserRecord = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(|| incorrect().keeping_writes())?;
    if !mfa::enabled_methods(&user.mfa).contains(&answer) {
        return Err(CognitoError::invalid_parameter(format!(
            "{answer} is not an MFA type the user can choose."
        ))
        .keeping_writes());
    }
    mfa_challenge(ctx, pool, client, &user, answer)
}

fn mfa_setup(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let session = session
        .ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter Session"))?;
    let record = peek_session(ctx, pool, client, session, "MFA_SETUP")?;
    check_secret_hash(
        client,
        param(r, "USERNAME")?,
        r.get("SECRET_HASH").map(String::as_str),
    )?;
    let mut user: UserRecord = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(incorrect)?;
    if user.mfa.totp_secret.is_none() {
        return Err(CognitoError::invalid_parameter(
            "Software token MFA has not been set up: call AssociateSoftwareToken and VerifySoftwareToken with this session first.",
        ));
    }
    user.mfa.totp_enabled = true;
    user.mfa
        .preferred
        .get_or_insert_with(|| "SOFTWARE_TOKEN_MFA".to_owned());
    user.modified = ctx.now;
    directory::save(ctx, pool, &user)?;
    ctx.store.delete::<AuthSessionRecord>("", session)?;
    issue_tokens(ctx, pool, client, &user, None)
}

/// Signs id and access tokens (and a refresh token for a new sign-in).
fn issue_tokens(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    refreshing: Option<&SignInRecord>,
) -> OpResult<Value> {
    issue_tokens_for_device(ctx, pool, client, user, refreshing, None)
}

/// Signs tokens for a sign-in; with device tracking on, a sign-in without a known device
/// gets a new one (NewDeviceMetadata) to confirm.
fn issue_tokens_for_device(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    refreshing: Option<&SignInRecord>,
    device: Option<DeviceRecord>,
) -> OpResult<Value> {
    let now = ctx.now as i64;
    let key = super::signing_key(ctx, pool)?;
    let group_names: Vec<String> = groups::groups_of(ctx, pool, &user.username)?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let mut refresh_token = None;
    let mut new_device = None;
    let device_key = match device {
        Some(mut device) => {
            device.last_authenticated = Some(ctx.now);
            ctx.store.put(&pool.id, &device.key, &device)?;
            Some(device.key)
        }
        None if refreshing.is_none() && pool.devices.is_some() => {
            let device = devices::new_device(ctx, pool, &mut user.clone())?;
            new_device =
                Some(json!({ "DeviceKey": device.key, "DeviceGroupKey": device.group_key }));
            Some(device.key)
        }
        None => None,
    };
    let sign_in = match refreshing {
        Some(existing) => existing.clone(),
        None => {
            let token = tokens::new_refresh_token();
            let record = SignInRecord {
                origin_jti: uuid::Uuid::new_v4().to_string(),
                username: user.username.clone(),
                client_id: client.id.clone(),
                auth_time: now,
                refresh_hash: tokens::refresh_hash(&token),
                refresh_expires: now + client.lifetimes.refresh as i64,
                device_key,
                revoked: false,
            };
            ctx.store.put(&pool.id, &record.origin_jti, &record)?;
            ctx.store.set_lookup::<SignInRecord>(
                &pool.id,
                "refresh",
                &record.refresh_hash,
                &record.origin_jti,
            )?;
            refresh_token = Some(token);
            record
        }
    };
    let issue = Issue {
        base: ctx.issuer_base,
        pool,
        client,
        user,
        groups: &group_names,
        sign_in: &sign_in,
        now,
    };
    let (id_claims, access_claims) = tokens::claims(&issue);
    let mut result = json!({
        "AccessToken": ctx.signatures.defer(&key, access_claims),
        "ExpiresIn": client.lifetimes.access,
        "TokenType": "Bearer",
        "IdToken": ctx.signatures.defer(&key, id_claims),
    });
    if let Some(token) = refresh_token {
        result["RefreshToken"] = json!(token);
    }
    if let Some(metadata) = new_device {
        result["NewDeviceMetadata"] = metadata;
    }
    tracing::info!(pool = %pool.id, user = %user.username, "signed in");
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

fn refresh(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &Params,
) -> OpResult<Value> {
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let token = param(params, "REFRESH_TOKEN")?;
    let origin = ctx
        .store
        .lookup::<SignInRecord>(&pool.id, "refresh", &tokens::refresh_hash(token))?
        .ok_or_else(invalid)?;
    let sign_in: SignInRecord = ctx.store.get(&pool.id, &origin)?.ok_or_else(invalid)?;
    if sign_in.revoked
        || sign_in.client_id != client.id
        || (ctx.now as i64) > sign_in.refresh_expires
    {
        return Err(invalid());
    }
    let user: UserRecord = ctx
        .store
        .get(&pool.id, &sign_in.username)?
        .ok_or_else(invalid)?;
    if client.secret.is_some() {
        // SECRET_HASH after the first sign-in uses the internal user name (or the sub).
        let given = params.get("SECRET_HASH").map(String::as_str);
        if check_secret_hash(client, &user.sub, given).is_err() {
            check_secret_hash(client, &user.username, given)?;
        }
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    if let Some(given) = params.get("DEVICE_KEY")
        && sign_in
            .device_key
            .as_deref()
            .is_some_and(|key| key != given)
    {
        return Err(invalid());
    }
    issue_tokens(ctx, pool, client, &user, Some(&sign_in))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    client_id: String,
    challenge_name: String,
    session: Option<String>,
    challenge_responses: Option<Params>,
}

pub fn respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    req: RespondToAuthChallengeRequest,
) -> OpResult<Value> {
    let (pool, client) = client_by_id(ctx, &req.client_id)?;
    respond(
        ctx,
        &pool,
        &client,
        &req.challenge_name,
        req.session.as_deref(),
        &req.challenge_responses.unwrap_or_default(),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondToAuthChallengeRequest {
    user_pool_id: String,
    client_id: String,
    challenge_name: String,
    session: Option<String>,
    challenge_responses: Option<Params>,
}

pub fn admin_respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    req: AdminRespondToAuthChallengeRequest,
) -> OpResult<Value> {
    let client = client(ctx, &req.user_pool_id, &req.client_id)?;
    let pool = pool(ctx, &req.user_pool_id)?;
    respond(
        ctx,
        &pool,
        &client,
        &req.challenge_name,
        req.session.as_deref(),
        &req.challenge_responses.unwrap_or_default(),
    )
}

const CHALLENGES: &[&str] = &[
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
];

fn respond(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    challenge: &str,
    session: Option<&str>,
    responses: &Params,
) -> OpResult<Value> {
    super::validate::one_of("challengeName", challenge, CHALLENGES)?;
    match challenge {
        "PASSWORD_VERIFIER" => password_verifier(ctx, pool, client, session, responses),
        "NEW_PASSWORD_REQUIRED" => new_password(ctx, pool, client, session, responses),
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" => {
            mfa_answer(ctx, pool, client, challenge, session, responses)
        }
        "SELECT_MFA_TYPE" => select_mfa_type(ctx, pool, client, session, responses),
        "MFA_SETUP" => mfa_setup(ctx, pool, client, session, responses),
        "DEVICE_SRP_AUTH" => device_srp_auth(ctx, pool, client, session, responses),
        "DEVICE_PASSWORD_VERIFIER" => {
            device_password_verifier(ctx, pool, client, session, responses)
        }
        other => Err(CognitoError::invalid_parameter(format!(
            "The challenge {other} does not belong to this session."
        ))),
    }
}

/// The open session of a challenge, checked (it stays open).
fn peek_session(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    key: &str,
    challenge: &str,
) -> OpResult<AuthSessionRecord> {
    let expired =
        || CognitoError::not_authorized("Invalid session for the user, session is expired.");
    let record: AuthSessionRecord = ctx.store.get("", key)?.ok_or_else(expired)?;
    if record.challenge != challenge
        || record.pool_id != pool.id
        || record.client_id != client.id
        || (ctx.now as i64) > record.expires
    {
        return Err(expired());
    }
    Ok(record)
}

/// Takes (and so uses up) the session of a challenge, even if the answer then fails.
fn take_session(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    key: &str,
    challenge: &str,
) -> OpResult<AuthSessionRecord> {
    let record = peek_session(ctx, pool, client, key, challenge);
    // A session answered once is used up, whatever the outcome.
    let existed = ctx.store.delete::<AuthSessionRecord>("", key)?;
    record.map_err(|e| if existed { e.keeping_writes() } else { e })
}

/// Checks the claim of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge against
/// the credential `credential` gives; the secret block's session is used up either way.
fn verify_srp_claim(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
    challenge: &str,
    credential: impl FnOnce(&UserRecord, &AuthSessionRecord) -> OpResult<(Identity, Verifier)>,
) -> OpResult<(AuthSessionRecord, UserRecord)> {
    let block = param(r, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(r, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(r, "TIMESTAMP")?;
    let username = param(r, "USERNAME")?;
    if session.is_some_and(|s| s != block) {
        return Err(CognitoError::not_authorized(
            "Invalid session for the user.",
        ));
    }
    let record = take_session(ctx, pool, client, block, challenge)?;
    let fail = |e: CognitoError| e.keeping_writes();
    check_secret_hash(client, username, r.get("SECRET_HASH").map(String::as_str)).map_err(fail)?;
    let (Some(b), Some(srp_a)) = (&record.srp_b, &record.srp_a) else {
        return Err(fail(incorrect()));
    };
    let mut user: UserRecord = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(|| fail(incorrect()))?;
    check_may_sign_in(ctx, &user).map_err(fail)?;
    let signed_at = Timestamp::parse(timestamp).map_err(|_| {
        fail(CognitoError::invalid_parameter(
            "TIMESTAMP format is not valid.",
        ))
    })?;
    let now = Timestamp::from_unix(ctx.now as i64).map_err(CognitoError::internal)?;
    if signed_at
        .check_fresh(now, TIMESTAMP_WINDOW_SECONDS)
        .is_err()
    {
        return Err(failed_sign_in(ctx, pool, &mut user));
    }
    let (identity, verifier) = credential(&user, &record).map_err(fail)?;
    let ephemeral = ServerEphemeral::from_secret(&verifier, &passwords::from_hex(b)?)
        .map_err(CognitoError::internal)?;
    let claim = PasswordClaim {
        srp_a,
        secret_block: block,
        timestamp,
        signature,
    };
    match ephemeral.verify(&verifier, &identity, &claim) {
        Ok(()) => Ok((record, user)),
        Err(cognito_srp::SrpError::IllegalClientPublicValue) => Err(fail(
            CognitoError::invalid_parameter("SRP_A cannot be 0 mod N."),
        )),
        Err(_) => Err(failed_sign_in(ctx, pool, &mut user)),
    }
}

fn password_verifier(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let (record, user) = verify_srp_claim(
        ctx,
        pool,
        client,
        session,
        r,
        "PASSWORD_VERIFIER",
        |user, _| {
            let stored = user.password.as_ref().ok_or_else(incorrect)?;
            Ok((
                passwords::identity(pool, &user.username)?,
                passwords::load_verifier(stored)?,
            ))
        },
    )?;
    let device_key = r.get("DEVICE_KEY").cloned().or(record.device_key);
    after_password(ctx, pool, client, user, device_key.as_deref())
}

/// What finds an open DEVICE_SRP_AUTH challenge when the client sends no session.
fn device_challenge_key(client: &ClientRecord, username: &str, device_key: &str) -> String {
    format!("{}\u{1f}{username}\u{1f}{device_key}", client.id)
}

/// DEVICE_SRP_AUTH: the device's SRP_A; answered with its verifier challenge. It follows a
/// proven password: the challenge opened then is found by its session or, without one
/// (as pycognito sends it), by client, user and device.
fn device_srp_auth(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let expired =
        || CognitoError::not_authorized("Invalid session for the user, session is expired.");
    let session = match session {
        Some(session) => session.to_owned(),
        None => {
            let user = directory::find(ctx, pool, param(r, "USERNAME")?)?.ok_or_else(expired)?;
            let pending = device_challenge_key(client, &user.username, param(r, "DEVICE_KEY")?);
            let found = ctx
                .store
                .lookup::<AuthSessionRecord>("", "device_srp", &pending)?
                .ok_or_else(expired)?;
            ctx.store
                .remove_lookup::<AuthSessionRecord>("", "device_srp", &pending)?;
            found
        }
    };
    let record = take_session(ctx, pool, client, &session, "DEVICE_SRP_AUTH")?;
    let fail = |e: CognitoError| e.keeping_writes();
    let username = param(r, "USERNAME").map_err(fail)?;
    let device_key = param(r, "DEVICE_KEY").map_err(fail)?;
    let srp_a = param(r, "SRP_A").map_err(fail)?;
    check_secret_hash(client, username, r.get("SECRET_HASH").map(String::as_str)).map_err(fail)?;
    if record.device_key.as_deref() != Some(device_key) {
        return Err(fail(CognitoError::not_authorized(
            "Invalid device key given.",
        )));
    }
    let user: UserRecord = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(|| fail(incorrect()))?;
    let device = devices::device_of(ctx, pool, &user, device_key).map_err(fail)?;
    let (_, verifier) = devices::srp(&device)?
        .ok_or_else(|| fail(CognitoError::not_authorized("Invalid device key given.")))?;
    let ephemeral = ServerEphemeral::generate(&verifier, &mut rand::rng());
    let mut next = session_record(
        ctx,
        pool,
        &user.username,
        client,
        "DEVICE_PASSWORD_VERIFIER",
    );
    next.srp_a = Some(srp_a.to_owned());
    next.srp_b = Some(crate::hex::encode(&ephemeral.secret()));
    next.device_key = Some(device.key.clone());
    let secret_block = opaque(128);
    ctx.store.put("", &secret_block, &next)?;
    Ok(json!({
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": secret_block,
        "ChallengeParameters": {
            "USERNAME": user.username,
            "SALT": verifier.salt_hex(),
            "SRP_B": ephemeral.srp_b(),
            "SECRET_BLOCK": secret_block,
        },
    }))
}

/// DEVICE_PASSWORD_VERIFIER: the device proves its secret; tokens follow, MFA skipped.
fn device_password_verifier(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let mut device = None;
    let (_, user) = verify_srp_claim(
        ctx,
        pool,
        client,
        session,
        r,
        "DEVICE_PASSWORD_VERIFIER",
        |user, record| {
            let key = record.device_key.as_deref().ok_or_else(incorrect)?;
            let found = devices::device_of(ctx, pool, user, key)?;
            let credential = devices::srp(&found)?.ok_or_else(incorrect)?;
            device = Some(found);
            Ok(credential)
        },
    )?;
    issue_tokens_for_device(ctx, pool, client, &user, None, device)
}

fn new_password(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    session: Option<&str>,
    r: &Params,
) -> OpResult<Value> {
    let session = session
        .ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter Session"))?;
    let record = take_session(ctx, pool, client, session, "NEW_PASSWORD_REQUIRED")?;
    let fail = |e: CognitoError| e.keeping_writes();
    let password = param(r, "NEW_PASSWORD").map_err(fail)?;
    let username = param(r, "USERNAME").map_err(fail)?;
    check_secret_hash(client, username, r.get("SECRET_HASH").map(String::as_str)).map_err(fail)?;
    let mut user: UserRecord = ctx
        .store
        .get(&pool.id, &record.username)?
        .ok_or_else(|| fail(incorrect()))?;
    passwords::check_policy(&pool.password_policy, password).map_err(fail)?;
    let given: Vec<AttributeIn> = r
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.").map(|name| AttributeIn {
                name: name.to_owned(),
                value: Some(v.clone()),
            })
        })
        .collect();
    attributes::apply(pool, &mut user, &given, Writer::SignUp).map_err(fail)?;
    attributes::check_required(pool, &user).map_err(fail)?;
    user.password = Some(passwords::new_verifier(pool, &user.username, password)?);
    user.status = "CONFIRMED".to_owned();
    user.temporary_password_expires = None;
    user.modified = ctx.now;
    directory::save(ctx, pool, &user)?;
    mfa_step(ctx, pool, client, &user)
}
