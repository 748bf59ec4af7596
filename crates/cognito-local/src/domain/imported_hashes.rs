//! Password hashes brought by a user import job (`PasswordHashingAlgorithm`), by the
//! developer guide's "Importing users with password hashes": one algorithm per job, the
//! hash in the `password_hash` column, self-describing, with these formats and
//! maximum parameters:
//!
//! | algorithm | format | at most |
//! |---|---|---|
//! | BCRYPT | `$2b$COST$` + 53 characters | cost 12 |
//! | SCRYPT | `N$r$p$hexSalt$hexHash` | N 65536, r 8, p 1 |
//! | ARGON2ID | `$argon2id$v=19$m=M,t=T,p=P$salt$hash` (PHC) | m 19456, t 2, p 1 |
//! | PBKDF2_SHA256 | `$pbkdf2-sha256$ITERATIONS$salt$hash` (base64) | 600000 |
//!
//! Users with one are CONFIRMED and sign in at once with USER_PASSWORD_AUTH or
//! ADMIN_USER_PASSWORD_AUTH (not SRP: there is no verifier yet); the first right
//! password becomes the user's SRP verifier and the imported hash is deleted. Checked
//! with the RustCrypto crates and `bcrypt`, always outside the store's lock.

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use super::state::HashAlgorithm;
use crate::error::OpResult;
use crate::store::Record;

/// An imported hash of a user who has not signed in since.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ImportedHashRecord {
    pub algorithm: HashAlgorithm,
    pub hash: String,
}

impl std::fmt::Debug for ImportedHashRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ImportedHashRecord({}, <redacted>)", self.algorithm)
    }
}

impl Record for ImportedHashRecord {
    const KIND: &'static str = "imported_hash";
    /// Restored with its user by a point-in-time recovery.
    const JOURNALED: bool = true;
}

fn key(username: &str) -> String {
    format!("{PREFIX}{username}")
}

const PREFIX: &str = "hash\u{1f}";

/// The user whose hash a record's key names.
pub fn owner(key: &str) -> Option<&str> {
    key.strip_prefix(PREFIX)
}

/// The shortest scrypt or PBKDF2 output taken: a shorter one would match other
/// passwords too often.
const MIN_OUTPUT: usize = 16;

/// Checks running now: at most as many as the machine has cores (one scrypt check
/// takes 64 MiB, and guesses arrive in parallel before any is counted).
static RUNNING: std::sync::Mutex<usize> = std::sync::Mutex::new(0);
static FREED: std::sync::Condvar = std::sync::Condvar::new();

/// Runs `work` once fewer checks than the machine has cores are running.
fn limited<T>(work: impl FnOnce() -> T) -> T {
    let most = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    while *running >= most {
        running = FREED.wait(running).unwrap_or_else(|e| e.into_inner());
    }
    *running += 1;
    drop(running);
    let out = work();
    *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
    FREED.notify_one();
    out
}

/// Why a hash is refused (the row fails; nothing of the hash is logged).
pub const MALFORMED: &str = "The password hash is malformed, uses another algorithm than the job's, or has parameters over the maximum.";

/// Whether `hash` is a well-formed hash of `algorithm` within the maximum parameters.
pub fn check(algorithm: HashAlgorithm, hash: &str) -> bool {
    match algorithm {
        HashAlgorithm::Bcrypt => {
            let parts: Vec<&str> = hash.split('$').collect();
            parts.len() == 4
                && parts[0].is_empty()
                && matches!(parts[1], "2a" | "2b" | "2y")
                && parts[2].len() == 2
                && parts[2]
                    .parse::<u32>()
                    .is_ok_and(|cost| (4..=12).contains(&cost))
                && parts[3].len() == 53
                && hash.parse::<bcrypt::HashParts>().is_ok()
        }
        HashAlgorithm::Scrypt => scrypt_parts(hash).is_some(),
        HashAlgorithm::Argon2id => {
            argon2_params(hash).is_some_and(|(m, t, p)| {
                (8..=19_456).contains(&m) && (1..=2).contains(&t) && p == 1
            }) && argon2::password_hash::phc::PasswordHash::new(hash)
                .is_ok_and(|parsed| parsed.salt.is_some() && parsed.hash.is_some())
        }
        HashAlgorithm::Pbkdf2Sha256 => pbkdf2_parts(hash).is_some(),
    }
}

/// The parts of an imported scrypt hash.
struct ScryptHash {
    log_n: u8,
    r: u32,
    p: u32,
    salt: Vec<u8>,
    out: Vec<u8>,
}

/// `N$r$p$hexSalt$hexHash`, N a power of two up to 65536, r up to 8, p 1.
fn scrypt_parts(hash: &str) -> Option<ScryptHash> {
    let parts: Vec<&str> = hash.split('$').collect();
    let [n, r, p, salt, out] = parts.as_slice() else {
        return None;
    };
    let n: u32 = n.parse().ok()?;
    let (r, p): (u32, u32) = (r.parse().ok()?, p.parse().ok()?);
    if !n.is_power_of_two() || !(2..=65_536).contains(&n) || !(1..=8).contains(&r) || p != 1 {
        return None;
    }
    let (salt, out) = (crate::hex::decode(salt)?, crate::hex::decode(out)?);
    if salt.is_empty() || !(MIN_OUTPUT..=64).contains(&out.len()) {
        return None;
    }
    Some(ScryptHash {
        log_n: n.trailing_zeros() as u8,
        r,
        p,
        salt,
        out,
    })
}

/// `m`, `t` and `p` of an `$argon2id$v=19$...` PHC string.
fn argon2_params(hash: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = hash.split('$').collect();
    let ["", "argon2id", "v=19", params, _salt, _hash] = parts.as_slice() else {
        return None;
    };
    let mut found = (None, None, None);
    for param in params.split(',') {
        let (name, value) = param.split_once('=')?;
        let value: u32 = value.parse().ok()?;
        match name {
            "m" => found.0 = Some(value),
            "t" => found.1 = Some(value),
            "p" => found.2 = Some(value),
            _ => return None,
        }
    }
    Some((found.0?, found.1?, found.2?))
}

/// `$pbkdf2-sha256$ITERATIONS$salt$hash`, base64 with or without padding, at most
/// 600000 iterations.
fn pbkdf2_parts(hash: &str) -> Option<(u32, Vec<u8>, Vec<u8>)> {
    let parts: Vec<&str> = hash.split('$').collect();
    let ["", "pbkdf2-sha256", rounds, salt, out] = parts.as_slice() else {
        return None;
    };
    let rounds: u32 = rounds.parse().ok()?;
    if !(1..=600_000).contains(&rounds) {
        return None;
    }
    let decode = |text: &str| {
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text.trim_end_matches('=').replace('.', "+"))
            .ok()
    };
    let (salt, out) = (decode(salt)?, decode(out)?);
    if salt.is_empty() || !(MIN_OUTPUT..=64).contains(&out.len()) {
        return None;
    }
    Some((rounds, salt, out))
}

/// Whether `password` is the one `record` hashes (slow: call it outside the lock; as
/// many at once as the machine has cores).
pub fn verify(record: &ImportedHashRecord, password: &str) -> bool {
    limited(|| verify_now(record, password))
}

fn verify_now(record: &ImportedHashRecord, password: &str) -> bool {
    let same = |a: &[u8], b: &[u8]| aws_lc_rs::constant_time::verify_slices_are_equal(a, b).is_ok();
    match record.algorithm {
        HashAlgorithm::Bcrypt => bcrypt::verify(password, &record.hash).unwrap_or(false),
        HashAlgorithm::Scrypt => {
            let Some(parts) = scrypt_parts(&record.hash) else {
                return false;
            };
            let Ok(params) = scrypt::Params::new(parts.log_n, parts.r, parts.p) else {
                return false;
            };
            let mut out = vec![0u8; parts.out.len()];
            scrypt::scrypt(password.as_bytes(), &parts.salt, &params, &mut out).is_ok()
                && same(&out, &parts.out)
        }
        HashAlgorithm::Argon2id => {
            use argon2::password_hash::PasswordVerifier;
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), record.hash.as_str())
                .is_ok()
        }
        HashAlgorithm::Pbkdf2Sha256 => {
            let Some((rounds, salt, expected)) = pbkdf2_parts(&record.hash) else {
                return false;
            };
            let mut out = vec![0u8; expected.len()];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), &salt, rounds, &mut out);
            same(&out, &expected)
        }
    }
}

/// The imported hash of a user, if it has not been replaced yet.
pub fn get(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
) -> OpResult<Option<ImportedHashRecord>> {
    Ok(ctx.tx().get(&pool.id, &key(username))?)
}

/// Keeps a user's imported hash.
pub fn put(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    username: &str,
    record: &ImportedHashRecord,
) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &key(username), record)?)
}

/// Drops a user's imported hash (replaced by a verifier, or the user deleted).
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<()> {
    ctx.tx()
        .delete::<ImportedHashRecord>(&pool.id, &key(username))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifies(algorithm: HashAlgorithm, hash: String) {
        assert!(check(algorithm, &hash), "{hash}");
        let record = ImportedHashRecord { algorithm, hash };
        assert!(verify(&record, "Passw0rd-Imported1"));
        assert!(!verify(&record, "Passw0rd-Imported2"));
    }

    #[test]
    fn each_algorithm_checks_its_own_hashes() {
        let password = b"Passw0rd-Imported1";
        verifies(
            HashAlgorithm::Bcrypt,
            bcrypt::hash("Passw0rd-Imported1", 4).unwrap(),
        );

        let salt = b"0123456789abcdef";
        let mut out = [0u8; 32];
        scrypt::scrypt(
            password,
            salt,
            &scrypt::Params::new(10, 8, 1).unwrap(),
            &mut out,
        )
        .unwrap();
        let scrypt_hash = format!(
            "1024$8$1${}${}",
            crate::hex::encode(salt),
            crate::hex::encode(&out)
        );
        verifies(HashAlgorithm::Scrypt, scrypt_hash);

        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, 1000, &mut out);
        let pbkdf2_hash = format!(
            "$pbkdf2-sha256$1000${}${}",
            b64.encode(salt),
            b64.encode(out)
        );
        verifies(HashAlgorithm::Pbkdf2Sha256, pbkdf2_hash);

        let params = argon2::Params::new(64, 1, 1, Some(32)).unwrap();
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut raw = [0u8; 32];
        argon.hash_password_into(password, salt, &mut raw).unwrap();
        let argon_hash = format!(
            "$argon2id$v=19$m=64,t=1,p=1${}${}",
            b64.encode(salt),
            b64.encode(raw)
        );
        verifies(HashAlgorithm::Argon2id, argon_hash);
    }

    #[test]
    fn parameters_over_the_maximum_are_refused() {
        assert!(!check(
            HashAlgorithm::Bcrypt,
            &format!("$2b$13${}", "a".repeat(53))
        ));
        assert!(!check(HashAlgorithm::Scrypt, "131072$8$1$00$00"));
        assert!(!check(
            HashAlgorithm::Argon2id,
            "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"
        ));
        assert!(!check(
            HashAlgorithm::Pbkdf2Sha256,
            "$pbkdf2-sha256$600001$c2FsdA$aGFzaA"
        ));
        assert!(!check(HashAlgorithm::Pbkdf2Sha256, "$2b$10$whatever"));
    }
}
