//! `Debug` for the records that hold secrets: every other field as it is, each secret
//! as `<redacted>`, so that no log or panic message shows one.

use std::fmt;

use super::auth_events::AuthEventRecord;
use super::imports::ImportJobRecord;

use super::records::{
    AuthSessionRecord, ClientRecord, DeviceRecord, KeyRecord, MfaSettings, PendingCode,
    ServerSecretRecord, StoredVerifier,
};

/// Prints `<redacted>` in place of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `Debug` for a record that holds secrets: its other fields as they are, the secrets
/// as `<redacted>`. Every field must be named (the destructuring says so), so that a
/// new one is never shown by accident.
macro_rules! redacted_debug {
    ($type:ident { $($field:ident),* $(,)? } secrets { $($secret:ident),* $(,)? }) => {
        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let Self { $($field,)* $($secret: _,)* } = self;
                f.debug_struct(stringify!($type))
                    $(.field(stringify!($field), $field))*
                    $(.field(stringify!($secret), &Redacted))*
                    .finish()
            }
        }
    };
}

redacted_debug!(ClientRecord {
    pool_id, id, name, created, modified, explicit_auth_flows,
    prevent_user_existence_errors, read_attributes, write_attributes, lifetimes,
    token_validity_units, enable_token_revocation, settings, refresh_rotation, metadata,
} secrets { secret, secrets });
redacted_debug!(ServerSecretRecord {} secrets { secret });
redacted_debug!(MfaSettings { sms_enabled, totp_enabled, preferred, totp_last_step, totp_name }
    secrets { totp_secret, totp_pending });
redacted_debug!(KeyRecord { kid } secrets { pkcs8 });
redacted_debug!(ImportJobRecord {
    id, name, pool_id, role_arn, hashing, status, created, started, completed, imported,
    skipped, failed, message, offset, line,
} secrets { url, upload_hash });
redacted_debug!(AuthSessionRecord {
    pool_id, username, client_id, challenge, srp_a, srp_b_sent, expires, device_key,
    wrong_answers,
} secrets { srp_b, code, custom });
redacted_debug!(PendingCode { purpose, expires } secrets { code });
redacted_debug!(StoredVerifier { salt } secrets { verifier });
redacted_debug!(DeviceRecord {
    key, group_key, username, name, salt, remembered, created, modified,
    last_authenticated,
} secrets { verifier });

redacted_debug!(AuthEventRecord {
    id, username, kind, response, created, ip, device, password, feedback, risk,
} secrets { feedback_token });
