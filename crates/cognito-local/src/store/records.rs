//! What the store keeps. These are the server's own records, not wire shapes:
//! `model` turns them into what the API answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Record;

/// A password policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
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
pub struct SchemaAttribute {
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
pub struct DeviceSettings {
    /// A new device must pass MFA even if remembered.
    pub challenge_required_on_new_device: bool,
    /// Devices are remembered only when the user says so.
    pub device_only_remembered_on_user_prompt: bool,
}

/// A user pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolRecord {
    /// `<region>_<9 characters>`.
    pub id: String,
    /// The pool's name.
    pub name: String,
    /// The region it was created in.
    pub region: String,
    /// Seconds since the epoch.
    pub created: f64,
    /// Seconds since the epoch.
    pub modified: f64,
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
    /// `OFF`, `ON` or `OPTIONAL`.
    pub mfa_configuration: String,
    /// Device tracking, when on.
    pub devices: Option<DeviceSettings>,
    /// Only admins create users.
    pub admin_create_user_only: bool,
    /// Deletion protection on.
    pub deletion_protection: bool,
    /// Settings kept and echoed back as given (messages, triggers, tags...).
    pub settings: Map<String, Value>,
}

impl Record for PoolRecord {
    const KIND: &'static str = "pool";
}

/// Token lifetimes of an app client, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenLifetimes {
    /// Access token.
    pub access: u64,
    /// Id token.
    pub id: u64,
    /// Refresh token.
    pub refresh: u64,
}

/// An app client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRecord {
    /// The pool.
    pub pool_id: String,
    /// 26 lowercase alphanumerics.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The secret, when generated.
    pub secret: Option<String>,
    /// Seconds since the epoch.
    pub created: f64,
    /// Seconds since the epoch.
    pub modified: f64,
    /// `ALLOW_*` or legacy auth flow names, as configured.
    pub explicit_auth_flows: Vec<String>,
    /// `LEGACY` or `ENABLED`.
    pub prevent_user_existence_errors: String,
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
}

impl Record for ClientRecord {
    const KIND: &'static str = "client";
}

/// An SRP verifier stored instead of a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredVerifier {
    /// The salt, hex.
    pub salt: String,
    /// `v = g^x`, hex.
    pub verifier: String,
}

/// A user of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    /// The user name, as stored (lowercased when the pool is case-insensitive).
    pub username: String,
    /// The immutable id.
    pub sub: String,
    /// Attributes other than `sub`, by name.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// Whether the user may sign in.
    pub enabled: bool,
    /// `UNCONFIRMED`, `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`...
    pub status: String,
    /// Seconds since the epoch.
    pub created: f64,
    /// Seconds since the epoch.
    pub modified: f64,
    /// The password's verifier; `None` before one is set.
    pub password: Option<StoredVerifier>,
    /// When a temporary password stops working (seconds since the epoch).
    pub temporary_password_expires: Option<f64>,
    /// A code sent to the user and not used yet.
    pub pending_code: Option<PendingCode>,
    /// Legacy MFA options of AdminSetUserSettings / SetUserSettings, as given.
    pub mfa_options: Option<serde_json::Value>,
    /// Failed sign-ins in a row.
    #[serde(default)]
    pub failed_sign_ins: u32,
    /// Sign-ins are refused until then (seconds since the epoch).
    #[serde(default)]
    pub locked_until: Option<f64>,
    /// Multi-factor authentication settings.
    #[serde(default)]
    pub mfa: MfaSettings,
    /// The group key of the user's devices, made at their first tracked device.
    #[serde(default)]
    pub device_group_key: Option<String>,
}

/// A device the pool tracks for a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRecord {
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
    /// Remembered: signing in with it skips MFA.
    pub remembered: bool,
    /// Seconds since the epoch.
    pub created: f64,
    /// Seconds since the epoch.
    pub modified: f64,
    /// Last sign-in with it.
    pub last_authenticated: Option<f64>,
}

impl Record for DeviceRecord {
    const KIND: &'static str = "device";
}

/// A user's MFA: which methods are on, the preferred one, and the software token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaSettings {
    /// SMS codes on.
    pub sms_enabled: bool,
    /// Software token (TOTP) codes on.
    pub totp_enabled: bool,
    /// `SMS_MFA` or `SOFTWARE_TOKEN_MFA`.
    pub preferred: Option<String>,
    /// The verified TOTP secret, base32.
    pub totp_secret: Option<String>,
    /// A secret from AssociateSoftwareToken awaiting VerifySoftwareToken, base32.
    pub totp_pending: Option<String>,
    /// The last TOTP time step accepted: a code is never accepted twice.
    pub totp_last_step: Option<u64>,
}

/// A pool's token signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRecord {
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
pub struct SignInRecord {
    /// `origin_jti` of its tokens.
    pub origin_jti: String,
    /// The user.
    pub username: String,
    /// The app client.
    pub client_id: String,
    /// When the user authenticated (seconds since the epoch).
    pub auth_time: i64,
    /// SHA-256 of the refresh token, hex.
    pub refresh_hash: String,
    /// The refresh token stops working then.
    pub refresh_expires: i64,
    /// The remembered device, if any.
    pub device_key: Option<String>,
    /// Revoked by GlobalSignOut or RevokeToken: its tokens no longer work.
    pub revoked: bool,
}

impl Record for SignInRecord {
    const KIND: &'static str = "sign_in";
}

/// A login in progress between two requests: the SRP state or the challenge being answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthSessionRecord {
    /// The pool (sessions are kept in the global scope: some requests name only the session).
    #[serde(default)]
    pub pool_id: String,
    /// The user.
    pub username: String,
    /// The app client.
    pub client_id: String,
    /// The challenge expected next, such as `PASSWORD_VERIFIER`.
    pub challenge: String,
    /// The server's SRP secret `b`, hex, while a verifier challenge is open.
    pub srp_b: Option<String>,
    /// The client's `SRP_A`, hex.
    pub srp_a: Option<String>,
    /// Expiry, seconds since the epoch.
    pub expires: i64,
    /// The SMS code sent for an SMS_MFA challenge.
    #[serde(default)]
    pub code: Option<String>,
    /// The device the login is for (DEVICE_KEY), if any.
    #[serde(default)]
    pub device_key: Option<String>,
}

impl Record for AuthSessionRecord {
    const KIND: &'static str = "auth_session";
}

/// A one-time code sent to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    /// What it is for: `signup`, `forgot_password`, or `verify:<attribute>`.
    pub purpose: String,
    /// The digits.
    pub code: String,
    /// Expiry, seconds since the epoch (whole seconds).
    pub expires: i64,
    /// Wrong guesses so far.
    pub failed_attempts: u32,
}

/// A group of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRecord {
    /// The name.
    pub name: String,
    /// A description.
    pub description: Option<String>,
    /// An IAM role ARN.
    pub role_arn: Option<String>,
    /// Lower comes first in `cognito:preferred_role`.
    pub precedence: Option<i64>,
    /// Seconds since the epoch.
    pub created: f64,
    /// Seconds since the epoch.
    pub modified: f64,
}

impl Record for GroupRecord {
    const KIND: &'static str = "group";
}

/// A user's membership of a group, keyed `group\u{1f}username`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipRecord {
    /// The group.
    pub group: String,
    /// The user.
    pub username: String,
}

impl Record for MembershipRecord {
    const KIND: &'static str = "membership";
}

/// An email or SMS the real service would have sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Its number, in order of sending.
    pub id: i64,
    /// The pool.
    pub pool_id: String,
    /// The user it was for.
    pub username: String,
    /// `EMAIL` or `SMS`.
    pub medium: String,
    /// The address or number.
    pub destination: String,
    /// Why: `signup`, `invitation`, `forgot_password`, `verify:email`...
    pub purpose: String,
    /// The text.
    pub body: String,
    /// The code or temporary password in it, for tests and tools.
    pub code: Option<String>,
    /// Seconds since the epoch.
    pub created: f64,
}

impl Record for UserRecord {
    const KIND: &'static str = "user";
}
