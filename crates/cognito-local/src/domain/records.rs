//! What the store keeps. These are the server's own records, not wire shapes:
//! `model` turns them into what the API answers. Field names and serde forms are the
//! stored form: change them only with a migration.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::state::{
    ChallengeName, CodePurpose, DeviceRememberedStatus, ExplicitAuthFlow, MfaConfiguration,
    MfaMethod, PreventUserExistenceErrors, UserStatus,
};
use crate::clock::UnixTime;
use crate::store::Record;

pub(crate) use super::group_records::{GroupRecord, MembershipRecord};

/// A password policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PasswordPolicy {
    /// Shortest password accepted (6 to 99).
    pub minimum_length: u32,
    /// At least one A-Z.
    pub require_uppercase: bool,
    /// At least one a-z.
    pub require_lowercase: bool,
    /// At least one digit.
    pub require_numbers: bool,
    /// At least one symbol.
    pub require_symbols: bool,
    /// Days a temporary password is valid.
    pub temporary_password_validity_days: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

/// One attribute of a pool's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SchemaAttribute {
    /// `email`, or `custom:tier` for a custom attribute.
    pub name: String,
    /// `String`, `Number`, `DateTime` or `Boolean`.
    pub data_type: String,
    /// Only readable and writable by admin operations.
    pub developer_only: bool,
    /// Can be changed after sign-up.
    pub mutable: bool,
    /// Must be given at sign-up.
    pub required: bool,
    /// Bounds for numbers.
    pub min_value: Option<String>,
    /// Bounds for numbers.
    pub max_value: Option<String>,
    /// Bounds for string lengths.
    pub min_length: Option<String>,
    /// Bounds for string lengths.
    pub max_length: Option<String>,
}

/// Device tracking settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub(crate) struct DeviceSettings {
    /// A new device must pass MFA even if remembered.
    pub challenge_required_on_new_device: bool,
    /// Devices are remembered only when the user says so.
    pub device_only_remembered_on_user_prompt: bool,
}

/// A user pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PoolRecord {
    /// `<region>_<9 characters>`.
    pub id: String,
    /// The pool's name.
    pub name: String,
    /// The region it was created in.
    pub region: String,
    /// When it was created.
    pub created: UnixTime,
    /// When it last changed.
    pub modified: UnixTime,
    /// Password rules.
    pub password_policy: PasswordPolicy,
    /// Standard and custom attributes.
    pub schema: Vec<SchemaAttribute>,
    /// Attributes verified automatically at sign-up (`email`, `phone_number`).
    pub auto_verified_attributes: Vec<String>,
    /// Attributes that also sign a user in (`email`, `phone_number`, `preferred_username`).
    pub alias_attributes: Vec<String>,
    /// Attributes used as the user name (`email`, `phone_number`).
    pub username_attributes: Vec<String>,
    /// Whether user names are case sensitive.
    pub username_case_sensitive: bool,
    /// Whether MFA is off, on or optional.
    pub mfa_configuration: MfaConfiguration,
    /// Device tracking, when on.
    pub devices: Option<DeviceSettings>,
    /// Only admins create users.
    pub admin_create_user_only: bool,
    /// Deletion protection on.
    pub deletion_protection: bool,
    /// Settings kept and echoed back as given (messages, triggers, tags...).
    pub settings: Map<String, Value>,
    /// The MFA methods SetUserPoolMfaConfig turned on; `None` until it is first
    /// called (then every method a user sets up may be used).
    #[serde(default)]
    pub mfa_methods: Option<PoolMfaMethods>,
}

/// What SetUserPoolMfaConfig set, beside MfaConfiguration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct PoolMfaMethods {
    /// SMS codes on (an SmsMfaConfiguration was given).
    pub sms: bool,
    /// Software tokens on (SoftwareTokenMfaConfiguration.Enabled).
    pub software_token: bool,
    /// EmailMfaConfiguration, as given.
    pub email: Option<Value>,
    /// WebAuthnConfiguration, as given.
    pub web_authn: Option<Value>,
}

impl Record for PoolRecord {
    const KIND: &'static str = "pool";
}

/// Token lifetimes of an app client, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TokenLifetimes {
    /// Access token.
    pub access: u64,
    /// Id token.
    pub id: u64,
    /// Refresh token.
    pub refresh: u64,
}

/// An app client.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ClientRecord {
    /// The pool.
    pub pool_id: String,
    /// 26 lowercase alphanumerics.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The oldest active secret, as DescribeUserPoolClient shows it.
    pub secret: Option<String>,
    /// Every active secret (`client_secrets`): empty in records written before there
    /// could be two.
    #[serde(default)]
    pub secrets: Vec<super::client_secrets::ClientSecret>,
    /// When it was created.
    pub created: UnixTime,
    /// When it last changed.
    pub modified: UnixTime,
    /// `ALLOW_*` or legacy auth flows, as configured.
    pub explicit_auth_flows: Vec<ExplicitAuthFlow>,
    /// Whether unknown users get the same answers as wrong passwords.
    pub prevent_user_existence_errors: PreventUserExistenceErrors,
    /// Attributes the client may read; empty means all.
    pub read_attributes: Vec<String>,
    /// Attributes the client may write; empty means all.
    pub write_attributes: Vec<String>,
    /// Token lifetimes.
    pub lifetimes: TokenLifetimes,
    /// The units the lifetimes are shown in (`AccessToken`, `IdToken`, `RefreshToken`).
    pub token_validity_units: Map<String, Value>,
    /// Refresh tokens can be revoked.
    pub enable_token_revocation: bool,
    /// Settings kept and echoed back as given (OAuth, URLs...).
    pub settings: Map<String, Value>,
    /// RefreshTokenRotation, when configured.
    #[serde(default)]
    pub refresh_rotation: Option<RefreshRotation>,
    /// Set only on the registration a client ID metadata document makes of this app
    /// client, for one request (`client_documents`); never stored.
    #[serde(skip)]
    pub metadata: Option<MetadataClient>,
}

/// The client ID metadata document a request's client is registered by (its URL is
/// the registration's id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MetadataClient {
    /// The app client of the policy that took it.
    pub app_client_id: String,
    /// Whether it allows the `refresh_token` grant.
    pub refresh: bool,
}

/// An app client's refresh token rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RefreshRotation {
    /// `Feature`: ENABLED.
    pub enabled: bool,
    /// `RetryGracePeriodSeconds`, 0 to 60.
    pub grace_seconds: u32,
}

impl ClientRecord {
    /// Whether unknown users get the answers real ones would (PreventUserExistenceErrors).
    pub fn hides_users(&self) -> bool {
        self.prevent_user_existence_errors == PreventUserExistenceErrors::Enabled
    }
}

impl Record for ClientRecord {
    const KIND: &'static str = "client";
}

/// An SRP verifier stored instead of a password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredVerifier {
    /// The salt, hex.
    pub salt: String,
    /// `v = g^x`, hex.
    pub verifier: String,
}

/// Failed sign-ins in a row, and the lockout they led to (see `lockout`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Failures {
    /// Failed sign-ins in a row.
    #[serde(default, rename = "failed_sign_ins")]
    pub count: u32,
    /// Sign-ins are refused until then.
    #[serde(default)]
    pub locked_until: Option<UnixTime>,
    /// The last failure: the count is forgotten after 15 idle minutes.
    #[serde(default, rename = "last_failed_sign_in")]
    pub last: Option<UnixTime>,
}

/// The server's own secret: what unknown users' answers are derived from.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ServerSecretRecord {
    /// 32 random bytes, hex.
    pub secret: String,
}

impl Record for ServerSecretRecord {
    const KIND: &'static str = "server_secret";
}

/// A user of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UserRecord {
    /// The user name, as stored (lowercased when the pool is case-insensitive).
    pub username: String,
    /// The immutable id.
    pub sub: String,
    /// Attributes other than `sub`, by name.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// Whether the user may sign in.
    pub enabled: bool,
    /// Confirmed, unconfirmed, waiting for a new password...
    pub status: UserStatus,
    /// When it was created.
    pub created: UnixTime,
    /// When it last changed.
    pub modified: UnixTime,
    /// The password's verifier; `None` before one is set.
    pub password: Option<StoredVerifier>,
    /// When a temporary password stops working.
    pub temporary_password_expires: Option<UnixTime>,
    /// A code sent to the user and not used yet.
    pub pending_code: Option<PendingCode>,
    /// Codes sent and wrong codes given lately.
    #[serde(default)]
    pub code_guard: CodeGuard,
    /// Legacy MFA options of AdminSetUserSettings / SetUserSettings, as given.
    pub mfa_options: Option<serde_json::Value>,
    /// Failed sign-ins and the lockout they led to.
    #[serde(flatten)]
    pub failures: Failures,
    /// Multi-factor authentication settings.
    #[serde(default)]
    pub mfa: MfaSettings,
    /// The group key of the user's devices, made at their first tracked device.
    #[serde(default)]
    pub device_group_key: Option<String>,
}

/// A device the pool tracks for a user.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DeviceRecord {
    /// `<region>_<uuid>`.
    pub key: String,
    /// The user's device group key.
    pub group_key: String,
    /// The user.
    pub username: String,
    /// The name ConfirmDevice gave.
    pub name: Option<String>,
    /// The device's SRP salt (hex), once confirmed.
    pub salt: Option<String>,
    /// The device's SRP verifier (hex), once confirmed.
    pub verifier: Option<String>,
    /// Remembered: signing in with it skips MFA (stored as a boolean).
    #[serde(with = "remembered_flag")]
    pub remembered: DeviceRememberedStatus,
    /// When it was created.
    pub created: UnixTime,
    /// When it last changed.
    pub modified: UnixTime,
    /// Last sign-in with it.
    pub last_authenticated: Option<UnixTime>,
}

impl DeviceRecord {
    /// Whether it stands in for MFA: remembered and confirmed with a verifier.
    pub fn is_remembered(&self) -> bool {
        self.remembered == DeviceRememberedStatus::Remembered && self.verifier.is_some()
    }
}

/// A device's remembered status, kept as the boolean earlier versions wrote.
mod remembered_flag {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::DeviceRememberedStatus;

    pub fn serialize<S: Serializer>(
        status: &DeviceRememberedStatus,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*status == DeviceRememberedStatus::Remembered)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<DeviceRememberedStatus, D::Error> {
        Ok(if bool::deserialize(d)? {
            DeviceRememberedStatus::Remembered
        } else {
            DeviceRememberedStatus::NotRemembered
        })
    }
}

impl Record for DeviceRecord {
    const KIND: &'static str = "device";
}

/// A user's MFA: which methods are on, the preferred one, and the software token.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MfaSettings {
    /// SMS codes on.
    pub sms_enabled: bool,
    /// Software token (TOTP) codes on.
    pub totp_enabled: bool,
    /// The preferred method.
    pub preferred: Option<MfaMethod>,
    /// The verified TOTP secret, base32.
    pub totp_secret: Option<String>,
    /// A secret from AssociateSoftwareToken awaiting VerifySoftwareToken, base32.
    pub totp_pending: Option<String>,
    /// The last TOTP time step accepted: a code is never accepted twice.
    pub totp_last_step: Option<u64>,
    /// VerifySoftwareToken's FriendlyDeviceName.
    #[serde(default)]
    pub totp_name: Option<String>,
}

/// A pool's token signing key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyRecord {
    /// The key id in JWT headers and the JWKS.
    pub kid: String,
    /// The RSA-2048 private key, PKCS#8 DER, base64.
    pub pkcs8: String,
}

impl Record for KeyRecord {
    const KIND: &'static str = "signing_key";
}

/// One sign-in and what came of it: its refresh token (stored as a hash) and whether it
/// was revoked. Tokens refreshed from it share its `origin_jti`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SignInRecord {
    /// `origin_jti` of its tokens.
    pub origin_jti: String,
    /// The user.
    pub username: String,
    /// The user's `sub`: a later user of the same name is someone else (sign-ins of
    /// earlier versions lack it, and no longer work).
    #[serde(default)]
    pub sub: String,
    /// The app client.
    pub client_id: String,
    /// When the user authenticated.
    pub auth_time: UnixTime,
    /// SHA-256 of the refresh token, hex.
    pub refresh_hash: String,
    /// The refresh token stops working then.
    pub refresh_expires: UnixTime,
    /// The remembered device, if any.
    pub device_key: Option<String>,
    /// Revoked by GlobalSignOut or RevokeToken: its tokens no longer work.
    pub revoked: bool,
    /// When its tokens were last refreshed (`LastActiveDate` of its session).
    #[serde(default)]
    pub last_active: Option<UnixTime>,
    /// Who used it last: address and user agent (its session's LastIPAddress and
    /// DeviceType).
    #[serde(default)]
    pub last_caller: super::Caller,
    /// The refresh token rotated out last (with refresh token rotation), which works
    /// until its grace period ends.
    #[serde(default)]
    pub retired: Option<RetiredRefresh>,
    /// The OAuth scopes of a hosted sign-in; `None` for the API's, whose access tokens
    /// have `aws.cognito.signin.user.admin`.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// The resource server a hosted sign-in's access tokens are bound to (RFC 8707).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// A refresh token rotated out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RetiredRefresh {
    /// Its SHA-256, hex.
    pub hash: String,
    /// It stops working then (RetryGracePeriodSeconds after the rotation).
    pub until: UnixTime,
}

impl Record for SignInRecord {
    const KIND: &'static str = "sign_in";

    /// Useless once its refresh token has expired and the last access token it could
    /// have issued then (valid a day at most) has too.
    fn expires(&self) -> Option<UnixTime> {
        Some(self.refresh_expires.plus_secs(86_400))
    }
}

/// A login in progress between two requests: the SRP state or the challenge being answered.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AuthSessionRecord {
    /// The pool (sessions are kept in the global scope: some requests name only the session).
    #[serde(default)]
    pub pool_id: String,
    /// The user.
    pub username: String,
    /// The app client.
    pub client_id: String,
    /// The challenge expected next.
    pub challenge: ChallengeName,
    /// The server's SRP secret `b`, hex, while a verifier challenge is open.
    pub srp_b: Option<String>,
    /// The client's `SRP_A`, hex.
    pub srp_a: Option<String>,
    /// The `SRP_B` sent for it, hex (kept so that checking the answer need not compute
    /// it again; sessions of earlier versions lack it).
    #[serde(default)]
    pub srp_b_sent: Option<String>,
    /// When it stops working.
    pub expires: UnixTime,
    /// The SMS code sent for an SMS_MFA challenge.
    #[serde(default)]
    pub code: Option<String>,
    /// The device the login is for (DEVICE_KEY), if any.
    #[serde(default)]
    pub device_key: Option<String>,
    /// Wrong answers given so far (the session dies after a few).
    #[serde(default)]
    pub wrong_answers: u32,
    /// A custom authentication's rounds so far, and its open challenge.
    #[serde(default)]
    pub custom: Option<super::custom_auth::CustomAuthState>,
}

impl Record for AuthSessionRecord {
    const KIND: &'static str = "auth_session";

    fn expires(&self) -> Option<UnixTime> {
        Some(self.expires)
    }
}

/// A one-time code sent to the user.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PendingCode {
    /// What it is for.
    pub purpose: CodePurpose,
    /// The digits.
    pub code: String,
    /// When it stops working.
    pub expires: UnixTime,
}

/// The codes sent to a user and the wrong codes it gave in the last hour: what the
/// service limits (see `codes`). A new code does not forget the wrong ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct CodeGuard {
    /// When codes were sent, within the window.
    #[serde(default)]
    pub sent: Vec<UnixTime>,
    /// Wrong codes since `first_wrong`.
    #[serde(default)]
    pub wrong: u32,
    /// The first wrong code of the window.
    #[serde(default)]
    pub first_wrong: Option<UnixTime>,
}

impl Record for UserRecord {
    const KIND: &'static str = "user";
    const JOURNALED: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as earlier versions wrote them (times as whole or fractional seconds,
    /// states as strings, a device's status as a boolean) read back unchanged.
    #[test]
    fn records_of_earlier_versions_read_back() {
        let user: UserRecord = serde_json::from_value(serde_json::json!({
            "username": "ada", "sub": "s-1", "attributes": {"email": "ada@example.com"},
            "enabled": true, "status": "FORCE_CHANGE_PASSWORD",
            "created": 1700000000.123, "modified": 1700000000.123, "password": null,
            "temporary_password_expires": 1700604800.123,
            "pending_code": {"purpose": "verify:email", "code": "123456",
                "expires": 1700086400, "failed_attempts": 1},
            "mfa_options": null, "failed_sign_ins": 2, "locked_until": null,
            "mfa": {"sms_enabled": false, "totp_enabled": true, "preferred": "SOFTWARE_TOKEN_MFA",
                "totp_secret": null, "totp_pending": null, "totp_last_step": null}
        }))
        .unwrap();
        assert_eq!(user.status, UserStatus::ForceChangePassword);
        assert_eq!(user.failures.count, 2);
        let shown = format!("{user:?}");
        assert!(
            shown.contains("<redacted>") && !shown.contains("123456"),
            "{shown}"
        );
        let written = serde_json::to_value(&user).unwrap();
        assert_eq!(written["failed_sign_ins"], serde_json::json!(2));
        assert_eq!(user.mfa.preferred, Some(MfaMethod::SoftwareToken));
        let code = user.pending_code.as_ref().unwrap();
        assert_eq!(code.purpose.name(), "verify:email");
        assert_eq!(code.expires.secs(), 1_700_086_400);

        let device: DeviceRecord = serde_json::from_value(serde_json::json!({
            "key": "us-east-1_d", "group_key": "-g", "username": "ada", "name": null,
            "salt": "00", "verifier": "01", "remembered": true,
            "created": 1700000000.0, "modified": 1700000000.0, "last_authenticated": null
        }))
        .unwrap();
        assert!(device.is_remembered());
        let written = serde_json::to_value(&device).unwrap();
        assert_eq!(written["remembered"], serde_json::json!(true));

        let session: AuthSessionRecord = serde_json::from_value(serde_json::json!({
            "pool_id": "us-east-1_p", "username": "ada", "client_id": "c",
            "challenge": "PASSWORD_VERIFIER", "srp_b": "0a", "srp_a": "0b", "expires": 1700000180
        }))
        .unwrap();
        assert_eq!(session.challenge, ChallengeName::PasswordVerifier);
        assert_eq!(session.srp_b_sent, None);
    }
}
