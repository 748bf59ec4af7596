//! The operations: one handler per Cognito operation, named as Cognito names it.
//!
//! Handlers are plain functions over the store: a typed request in, a JSON
//! response or a [`CognitoError`] out. They never see HTTP.

mod attributes;
mod auth;
mod clients;
mod devices;
mod directory;
mod groups;
mod mfa;
mod passwords;
mod pools;
pub(crate) mod signed_in;
mod signup;
mod users;
pub mod validate;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{StoreError, Tx};

/// What a handler works with.
pub struct Ctx<'a> {
    /// The operation's transaction.
    pub store: &'a Tx<'a>,
    /// The region the request was signed for (or the server's default).
    pub region: &'a str,
    /// Now, in seconds since the epoch.
    pub now: f64,
    /// Token issuers are `{issuer_base}/{pool_id}`.
    pub issuer_base: &'a str,
    /// Tokens to sign once the transaction has committed.
    pub signatures: &'a crate::tokens::Signatures,
}

impl From<StoreError> for CognitoError {
    fn from(e: StoreError) -> Self {
        CognitoError::internal(e)
    }
}

/// How a request authenticates itself to the real service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Signed with AWS credentials (SigV4): the admin and management operations.
    SigV4,
    /// Unsigned: the operations users call for themselves.
    None,
}

macro_rules! operations {
    ($($name:ident => $handler:path, $auth:ident;)*) => {
        /// The operations this server implements.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Operation { $($name,)* }

        impl Operation {
            /// The operation named in `X-Amz-Target`.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $(stringify!($name) => Some(Self::$name),)* _ => None }
            }

            /// The operation's name.
            pub fn name(self) -> &'static str {
                match self { $(Self::$name => stringify!($name),)* }
            }

            /// Whether the SDKs sign it.
            pub fn auth(self) -> Auth {
                match self { $(Self::$name => Auth::$auth,)* }
            }

            /// Every operation.
            pub const ALL: &'static [Operation] = &[$(Self::$name,)*];
        }

        /// Runs an operation on a decoded JSON body.
        pub fn dispatch(ctx: &Ctx<'_>, op: Operation, body: Value) -> OpResult<Value> {
            match op { $(Operation::$name => $handler(ctx, decode(body)?),)* }
        }
    };
}

operations! {
    CreateUserPool => pools::create_user_pool, SigV4;
    DescribeUserPool => pools::describe_user_pool, SigV4;
    UpdateUserPool => pools::update_user_pool, SigV4;
    DeleteUserPool => pools::delete_user_pool, SigV4;
    ListUserPools => pools::list_user_pools, SigV4;
    AddCustomAttributes => pools::add_custom_attributes, SigV4;
    GetCSVHeader => pools::get_csv_header, SigV4;
    CreateUserPoolClient => clients::create_user_pool_client, SigV4;
    DescribeUserPoolClient => clients::describe_user_pool_client, SigV4;
    UpdateUserPoolClient => clients::update_user_pool_client, SigV4;
    DeleteUserPoolClient => clients::delete_user_pool_client, SigV4;
    ListUserPoolClients => clients::list_user_pool_clients, SigV4;
    AdminCreateUser => users::admin_create_user, SigV4;
    AdminGetUser => users::admin_get_user_op, SigV4;
    AdminDeleteUser => users::admin_delete_user, SigV4;
    AdminUpdateUserAttributes => users::admin_update_user_attributes, SigV4;
    AdminDeleteUserAttributes => users::admin_delete_user_attributes, SigV4;
    AdminDisableUser => users::admin_disable_user, SigV4;
    AdminEnableUser => users::admin_enable_user, SigV4;
    AdminConfirmSignUp => users::admin_confirm_sign_up, SigV4;
    AdminResetUserPassword => users::admin_reset_user_password, SigV4;
    AdminSetUserPassword => users::admin_set_user_password, SigV4;
    AdminSetUserSettings => users::admin_set_user_settings, SigV4;
    ListUsers => users::list_users, SigV4;
    SignUp => signup::sign_up, None;
    ConfirmSignUp => signup::confirm_sign_up, None;
    ResendConfirmationCode => signup::resend_confirmation_code, None;
    ForgotPassword => signup::forgot_password, None;
    ConfirmForgotPassword => signup::confirm_forgot_password, None;
    CreateGroup => groups::create_group, SigV4;
    GetGroup => groups::get_group, SigV4;
    UpdateGroup => groups::update_group, SigV4;
    DeleteGroup => groups::delete_group, SigV4;
    ListGroups => groups::list_groups, SigV4;
    AdminAddUserToGroup => groups::admin_add_user_to_group, SigV4;
    AdminRemoveUserFromGroup => groups::admin_remove_user_from_group, SigV4;
    AdminListGroupsForUser => groups::admin_list_groups_for_user, SigV4;
    ListUsersInGroup => groups::list_users_in_group, SigV4;
    InitiateAuth => auth::initiate_auth, None;
    AdminInitiateAuth => auth::admin_initiate_auth, SigV4;
    RespondToAuthChallenge => auth::respond_to_auth_challenge, None;
    AdminRespondToAuthChallenge => auth::admin_respond_to_auth_challenge, SigV4;
    GetUser => signed_in::get_user, None;
    GlobalSignOut => signed_in::global_sign_out, None;
    AdminUserGlobalSignOut => signed_in::admin_user_global_sign_out, SigV4;
    RevokeToken => signed_in::revoke_token, None;
    UpdateUserAttributes => signed_in::update_user_attributes, None;
    DeleteUserAttributes => signed_in::delete_user_attributes, None;
    DeleteUser => signed_in::delete_user, None;
    ChangePassword => signed_in::change_password, None;
    GetUserAttributeVerificationCode => signed_in::get_user_attribute_verification_code, None;
    VerifyUserAttribute => signed_in::verify_user_attribute, None;
    SetUserSettings => signed_in::set_user_settings, None;
    AssociateSoftwareToken => mfa::associate_software_token, None;
    VerifySoftwareToken => mfa::verify_software_token, None;
    SetUserMFAPreference => mfa::set_user_mfa_preference, None;
    AdminSetUserMFAPreference => mfa::admin_set_user_mfa_preference, SigV4;
    ConfirmDevice => devices::confirm_device, None;
    GetDevice => devices::get_device, None;
    ListDevices => devices::list_devices, None;
    UpdateDeviceStatus => devices::update_device_status, None;
    ForgetDevice => devices::forget_device, None;
    AdminGetDevice => devices::get_device, SigV4;
    AdminListDevices => devices::list_devices, SigV4;
    AdminUpdateDeviceStatus => devices::update_device_status, SigV4;
    AdminForgetDevice => devices::forget_device, SigV4;
}

/// Where and when an operation runs.
pub struct Clock<'a> {
    /// The region the request was signed for (or the server's default).
    pub region: &'a str,
    /// Now, in seconds since the epoch.
    pub now: f64,
    /// Token issuers are `{issuer_base}/{pool_id}`.
    pub issuer_base: &'a str,
}

/// Runs an operation in one transaction: its writes commit with its answer, or roll back
/// with its error unless the error keeps them (a wrong code is still counted); the tokens
/// it asked for are signed after the commit.
pub fn execute(
    store: &crate::store::Store,
    at: &Clock<'_>,
    op: Operation,
    body: Value,
) -> OpResult<Value> {
    let signatures = crate::tokens::Signatures::default();
    let outcome = store.transaction(|tx| {
        let ctx = Ctx {
            store: tx,
            region: at.region,
            now: at.now,
            issuer_base: at.issuer_base,
            signatures: &signatures,
        };
        match dispatch(&ctx, op, body) {
            Err(error) if error.keep_writes => Ok(Err(error)),
            Err(error) => Err(error),
            Ok(value) => Ok(Ok(value)),
        }
    });
    let mut response = outcome.and_then(|result| result)?;
    signatures.apply(&mut response)?;
    Ok(response)
}

/// Decodes a request, turning serde's complaints into the service's errors.
fn decode<T: DeserializeOwned>(body: Value) -> OpResult<T> {
    serde_json::from_value(body).map_err(|e| {
        let text = e.to_string();
        match text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            Some(member) => {
                CognitoError::validation(&camel(member), None, "Member must not be null")
            }
            None => CognitoError::new(ErrorKind::SerializationException, text),
        }
    })
}

/// `UserPoolId` → `userPoolId`, as the service names members in messages.
fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A pool, or the error the service gives for an unknown one.
pub(crate) fn pool(ctx: &Ctx<'_>, id: &str) -> OpResult<crate::store::PoolRecord> {
    validate::pool_id("userPoolId", id)?;
    ctx.store
        .get("", id)?
        .ok_or_else(|| CognitoError::not_found(format!("User pool {id} does not exist.")))
}

/// The pool's signing key.
pub(crate) fn signing_key(
    ctx: &Ctx<'_>,
    pool: &crate::store::PoolRecord,
) -> OpResult<std::sync::Arc<crate::tokens::SigningKey>> {
    let keys = ctx
        .store
        .list::<crate::store::KeyRecord>(&pool.id, None, 1)?;
    let (_, record) = keys
        .first()
        .ok_or_else(|| CognitoError::internal("pool has no signing key"))?;
    crate::tokens::SigningKey::load(record)
}

/// One page of `items` (already in key order) after `token`.
pub(crate) fn page<T>(
    items: Vec<(String, T)>,
    token: Option<&str>,
    limit: usize,
) -> (Vec<T>, Option<String>) {
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(key, _)| token.is_none_or(|t| key.as_str() > t))
        .collect();
    let next = (rest.len() > limit).then(|| rest[limit - 1].0.clone());
    rest.truncate(limit);
    (rest.into_iter().map(|(_, v)| v).collect(), next)
}

/// Random characters from `alphabet`.
pub(crate) fn random_string(alphabet: &[u8], len: usize) -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::Store;

    /// Runs an operation at a given time, as the server would.
    fn at(store: &Store, now: f64, op: Operation, body: Value) -> OpResult<Value> {
        let clock = Clock {
            region: "us-east-1",
            now,
            issuer_base: "http://127.0.0.1",
        };
        execute(store, &clock, op, body)
    }

    #[test]
    fn confirmation_codes_expire_after_a_day() {
        let store = Store::in_memory().unwrap();
        let t0 = 1_700_000_000.0;
        let pool = at(
            &store,
            t0,
            Operation::CreateUserPool,
            json!({"PoolName": "p", "AutoVerifiedAttributes": ["email"]}),
        )
        .unwrap();
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let client = at(
            &store,
            t0,
            Operation::CreateUserPoolClient,
            json!({"UserPoolId": pool_id, "ClientName": "c"}),
        )
        .unwrap();
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
        at(
            &store,
            t0,
            Operation::SignUp,
            json!({"ClientId": client_id, "Username": "nia", "Password": "Passw0rd!",
            "UserAttributes": [{"Name": "email", "Value": "nia@example.com"}]}),
        )
        .unwrap();
        let code = store
            .transaction(|tx| tx.messages(Some(&pool_id), Some("nia")))
            .unwrap()[0]
            .code
            .clone()
            .unwrap();

        let a_day_later = t0 + 24.0 * 3600.0 + 1.0;
        let confirm = json!({"ClientId": client_id, "Username": "nia", "ConfirmationCode": code});
        let err = at(
            &store,
            a_day_later,
            Operation::ConfirmSignUp,
            confirm.clone(),
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::ExpiredCodeException);
        assert_eq!(
            err.message,
            "Invalid code provided, please request a code again."
        );
        at(&store, t0 + 60.0, Operation::ConfirmSignUp, confirm).unwrap();
    }

    /// A pool with an SRP-enabled client and a confirmed user; returns (client id, pool id).
    fn srp_setup(store: &Store, t0: f64) -> (String, String) {
        let pool = at(
            store,
            t0,
            Operation::CreateUserPool,
            json!({"PoolName": "p"}),
        )
        .unwrap();
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let client = at(
            store,
            t0,
            Operation::CreateUserPoolClient,
            json!({"UserPoolId": pool_id, "ClientName": "c"}),
        )
        .unwrap();
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
        at(
            store,
            t0,
            Operation::AdminCreateUser,
            json!({"UserPoolId": pool_id, "Username": "ola", "MessageAction": "SUPPRESS"}),
        )
        .unwrap();
        at(store, t0, Operation::AdminSetUserPassword, json!({"UserPoolId": pool_id, "Username": "ola", "Password": "Passw0rd!", "Permanent": true})).unwrap();
        (client_id, pool_id)
    }

    /// Starts an SRP login at `t0` and answers it at `answered` with a claim signed at `signed`.
    fn srp_answer(
        store: &Store,
        client_id: &str,
        pool_id: &str,
        t0: f64,
        signed: i64,
        answered: f64,
    ) -> OpResult<Value> {
        let ephemeral = cognito_srp::ClientEphemeral::generate(&mut rand::rng());
        let started = at(
            store,
            t0,
            Operation::InitiateAuth,
            json!({"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
            "AuthParameters": {"USERNAME": "ola", "SRP_A": ephemeral.srp_a()}}),
        )
        .unwrap();
        let params: std::collections::HashMap<String, String> =
            serde_json::from_value(started["ChallengeParameters"].clone()).unwrap();
        let challenge = cognito_srp::VerifierChallenge::from_parameters(&params).unwrap();
        let pool = cognito_srp::PoolId::parse(pool_id).unwrap();
        let when = cognito_srp::Timestamp::from_unix(signed).unwrap();
        let answer = ephemeral
            .password_claim(&pool, "Passw0rd!", &challenge, when)
            .unwrap();
        at(
            store,
            answered,
            Operation::RespondToAuthChallenge,
            json!({"ClientId": client_id,
            "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": answer.into_map()}),
        )
    }

    #[test]
    fn srp_sessions_and_timestamps_expire() {
        let store = Store::in_memory().unwrap();
        let t0 = 1_700_000_000.0;
        let (client_id, pool_id) = srp_setup(&store, t0);
        let now = t0 as i64;
        assert!(srp_answer(&store, &client_id, &pool_id, t0, now, t0 + 5.0).is_ok());
        // A secret block is good for three minutes.
        let late = srp_answer(&store, &client_id, &pool_id, t0, now + 181, t0 + 181.0).unwrap_err();
        assert_eq!(
            late.message,
            "Invalid session for the user, session is expired."
        );
        // A TIMESTAMP more than five minutes off is refused like a wrong password.
        let stale = srp_answer(&store, &client_id, &pool_id, t0, now - 400, t0 + 5.0).unwrap_err();
        assert_eq!(
            (stale.kind, stale.message.as_str()),
            (
                ErrorKind::NotAuthorizedException,
                "Incorrect username or password."
            )
        );
    }

    #[test]
    fn repeated_failures_lock_the_user_out_for_a_while() {
        let store = Store::in_memory().unwrap();
        let t0 = 1_700_000_000.0;
        let (_, pool_id) = srp_setup(&store, t0);
        // srp_setup's client allows SRP only; a second client allows passwords.
        let client = at(
            &store,
            t0,
            Operation::CreateUserPoolClient,
            json!({"UserPoolId": pool_id,
            "ClientName": "pw", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}),
        )
        .unwrap();
        let password_client = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
        let login = |t: f64, password: &str| {
            at(
                &store,
                t,
                Operation::InitiateAuth,
                json!({"ClientId": password_client,
                "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "ola", "PASSWORD": password}}),
            )
        };
        for i in 0..4 {
            assert_eq!(
                login(t0 + f64::from(i), "wrong").unwrap_err().message,
                "Incorrect username or password."
            );
        }
        assert_eq!(
            login(t0 + 4.0, "wrong").unwrap_err().message,
            "Password attempts exceeded"
        );
        // Locked for a second: even the right password is refused, then it works again.
        assert_eq!(
            login(t0 + 4.5, "Passw0rd!").unwrap_err().message,
            "Password attempts exceeded"
        );
        assert!(login(t0 + 5.5, "Passw0rd!").is_ok());
    }

    #[test]
    fn custom_auth_without_triggers_is_refused() {
        let store = Store::in_memory().unwrap();
        let (client_id, _) = srp_setup(&store, 1_700_000_000.0);
        let err = at(&store, 1_700_000_000.0, Operation::InitiateAuth,
            json!({"ClientId": client_id, "AuthFlow": "CUSTOM_AUTH", "AuthParameters": {"USERNAME": "ola"}})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameterException);
        assert_eq!(
            err.message,
            "Custom auth lambda trigger is not configured for the user pool."
        );
    }
}
