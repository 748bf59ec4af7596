//! Password policy checks and the SRP verifiers stored instead of passwords.

use cognito_srp::{Identity, PoolId, Verifier};

use super::records::{PasswordPolicy, PoolRecord, StoredVerifier};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};

const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

/// Checks a password against the pool's policy, with the service's messages.
pub fn check_policy(policy: &PasswordPolicy, password: &str) -> OpResult<()> {
    let fail = |what: &str| {
        Err(CognitoError::new(
            ErrorKind::InvalidPasswordException,
            format!("Password did not conform with policy: {what}"),
        ))
    };
    if password.chars().count() < policy.minimum_length as usize {
        return fail("Password not long enough");
    }
    if password.chars().count() > 256 {
        return fail("Password is too long");
    }
    if policy.require_lowercase && !password.chars().any(|c| c.is_ascii_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if policy.require_uppercase && !password.chars().any(|c| c.is_ascii_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c) || c == ' ') {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// The SRP identity of a user: the pool name and the internal user name (`USER_ID_FOR_SRP`).
pub fn identity(pool: &PoolRecord, username: &str) -> OpResult<Identity> {
    let pool_id = PoolId::parse(&pool.id).map_err(CognitoError::internal)?;
    Ok(Identity::for_user(&pool_id, username))
}

/// A new verifier for `password` (fresh salt): what the store keeps instead of it.
pub fn new_verifier(pool: &PoolRecord, username: &str, password: &str) -> OpResult<StoredVerifier> {
    let verifier = Verifier::generate(&identity(pool, username)?, password, &mut rand::rng());
    Ok(StoredVerifier {
        salt: crate::hex::encode(verifier.salt()),
        verifier: crate::hex::encode(&verifier.verifier_bytes()),
    })
}

/// The stored verifier, ready for SRP.
pub fn load_verifier(stored: &StoredVerifier) -> OpResult<Verifier> {
    let salt = from_hex(&stored.salt)?;
    let v = from_hex(&stored.verifier)?;
    Verifier::from_parts(&salt, &v).map_err(CognitoError::internal)
}

/// Whether `password` matches the stored verifier (constant time). This is SRP maths:
/// the store's lock is released while it runs, so read the user again after.
pub fn matches(
    ctx: &super::Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    stored: &StoredVerifier,
    password: &str,
) -> OpResult<bool> {
    let verifier = load_verifier(stored)?;
    let identity = identity(pool, username)?;
    ctx.unlocked(|| verifier.matches_password(&identity, password))
}

/// A client's `SRP_A`, checked before anything is computed from it or kept: hex, no
/// wider than the group, not 0 mod N (an unchecked one would let any caller grow a
/// session without bound, or choose the session key).
pub fn check_srp_a(srp_a: &str) -> OpResult<()> {
    cognito_srp::check_srp_a(srp_a).map_err(|e| match e {
        cognito_srp::SrpError::IllegalClientPublicValue => {
            CognitoError::invalid_parameter("SRP_A cannot be 0 mod N.")
        }
        _ => CognitoError::invalid_parameter("SRP_A is not a valid hexadecimal SRP value."),
    })
}

/// Bytes of a hex string from the store.
pub fn from_hex(text: &str) -> OpResult<Vec<u8>> {
    crate::hex::decode(text).ok_or_else(|| CognitoError::internal("stored value is not hex"))
}

/// When a temporary password set now stops working (the policy's validity, in days).
pub fn temporary_expiry(ctx: &super::Ctx<'_>, pool: &PoolRecord) -> UnixTime {
    let days = i64::from(pool.password_policy.temporary_password_validity_days);
    ctx.now.plus_secs(days * 86_400)
}

/// A temporary password meeting the policy.
pub fn temporary_password(policy: &PasswordPolicy) -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| set[rng.random_range(0..set.len())] as char;
    let mut chars = vec![
        pick(b"ABCDEFGHJKLMNPQRSTUVWXYZ"),
        pick(b"abcdefghijkmnopqrstuvwxyz"),
        pick(b"23456789"),
        pick(b"^$*.!@#%&"),
    ];
    let length = (policy.minimum_length as usize).max(12);
    while chars.len() < length {
        chars.push(pick(
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
        ));
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_checked_with_the_services_messages() {
        let policy = PasswordPolicy::default();
        assert!(check_policy(&policy, "Passw0rd!").is_ok());
        for (password, message) in [
            ("Pa0!", "Password not long enough"),
            ("PASSWORD0!", "Password must have lowercase characters"),
            ("password0!", "Password must have uppercase characters"),
            ("Password!!", "Password must have numeric characters"),
            ("Password00", "Password must have symbol characters"),
        ] {
            let err = check_policy(&policy, password).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidPasswordException);
            assert!(
                err.message.ends_with(message),
                "{password}: {}",
                err.message
            );
        }
        for _ in 0..20 {
            assert!(check_policy(&policy, &temporary_password(&policy)).is_ok());
        }
    }
}
