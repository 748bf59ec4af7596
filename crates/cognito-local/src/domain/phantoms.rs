//! Users who do not exist, answered as users who do, for app clients that prevent user
//! existence errors (PreventUserExistenceErrors = ENABLED, as AWS documents it: the
//! answers for an unknown user are those for a wrong password).
//!
//! Everything an answer shows of a user is derived for an unknown name from the
//! server's secret, so it is the same on every request and shaped as a real user's:
//! the SRP salt and verifier (the same work follows), the USER_ID_FOR_SRP, where a code
//! was "sent", the lockout after failed attempts. Nothing is stored for an unknown
//! name: its SRP sessions and its counts live in bounded tables in memory.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use aws_lc_rs::hmac;
use cognito_srp::{SALT_BYTES, Verifier};

use super::Ctx;
use super::records::{CodeGuard, Failures, PoolRecord, ServerSecretRecord, UserRecord};
use super::{SECRET_BLOCK_BYTES, opaque, users};
use crate::clock::UnixTime;
use crate::error::{CognitoError, OpResult};
use crate::store::{StoreError, Tx};

/// Unknown names remembered at once; past it, the stalest are forgotten first (never
/// a locked one while another can go).
const CAPACITY: usize = 10_000;
/// SRP sessions of unknown names open at once (each lives three minutes).
const SESSIONS: usize = 50_000;
/// Where the server's secret is kept.
const SECRET_KEY: &str = "phantoms";
/// Bytes of a verifier derived for an unknown name: below N, as a real one is.
const VERIFIER_BYTES: usize = 383;

/// The server's secret, made on first use and kept in the store, so that an unknown
/// name's salt stays the same across restarts, as a real user's does.
pub fn load_secret(tx: &Tx<'_>) -> Result<Vec<u8>, StoreError> {
    if let Some(record) = tx.get::<ServerSecretRecord>("", SECRET_KEY)?
        && let Some(secret) = crate::hex::decode(&record.secret)
    {
        return Ok(secret);
    }
    let mut secret = vec![0u8; 32];
    aws_lc_rs::rand::fill(&mut secret).expect("the system RNG works");
    let record = ServerSecretRecord {
        secret: crate::hex::encode(&secret),
    };
    tx.put("", SECRET_KEY, &record)?;
    Ok(secret)
}

/// The store work a real user's failed sign-in does (the user read again, its count
/// written and committed), done for an unknown name on a row of its own that never
/// grows: timing does not tell the two apart by the write.
pub fn pace(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<()> {
    let tx = ctx.tx();
    let _ = tx.get::<UserRecord>(&pool.id, username)?;
    if let Some(record) = tx.get::<ServerSecretRecord>("", SECRET_KEY)? {
        // A user's save: the record, then its `sub` lookup cleared and set again.
        tx.put("", SECRET_KEY, &record)?;
        tx.clear_lookup::<ServerSecretRecord>("", "pace", SECRET_KEY)?;
        tx.set_lookup::<ServerSecretRecord>("", "pace", SECRET_KEY, SECRET_KEY)?;
    }
    ctx.commit_so_far()
}

/// Answers for unknown users: derivations from the server's secret, and their
/// failure counts.
pub(crate) struct Phantoms {
    key: hmac::Key,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// What is counted of unknown names, by the tag of pool and name.
    names: HashMap<[u8; 32], Counts>,
    /// SRP sessions of unknown names, by SECRET_BLOCK.
    sessions: HashMap<String, Session>,
    /// The latest time seen, to tell expired sessions from live ones when full.
    newest: UnixTime,
}

/// An SRP sign-in of an unknown name in progress.
struct Session {
    pool_id: String,
    client_id: String,
    username: String,
    expires: UnixTime,
}

/// What is counted of an unknown name, as it is of a real user.
#[derive(Default)]
struct Counts {
    failures: Failures,
    codes: CodeGuard,
}

impl Counts {
    fn is_stale(&mut self, now: UnixTime) -> bool {
        self.failures.is_stale(now) && self.codes.is_stale(now)
    }
}

impl std::fmt::Debug for Phantoms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Phantoms").finish_non_exhaustive()
    }
}

impl Phantoms {
    /// Answers derived from `secret`.
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            state: Mutex::default(),
        }
    }

    /// HMAC-SHA256 of a label and length-prefixed parts.
    fn tag(&self, label: &str, parts: &[&[u8]]) -> [u8; 32] {
        let mut context = hmac::Context::with_key(&self.key);
        context.update(label.as_bytes());
        for part in parts {
            context.update(&(part.len() as u32).to_be_bytes());
            context.update(part);
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(context.sign().as_ref());
        out
    }

    /// The tag of an unknown name in a pool, as the pool would store the name.
    fn name_tag(&self, label: &str, pool: &PoolRecord, name: &str) -> [u8; 32] {
        let name = users::normalise(pool, name);
        self.tag(label, &[pool.id.as_bytes(), name.as_bytes()])
    }

    /// The user name an unknown name would have: in pools where email or phone is the
    /// user name, a `sub`-shaped id (as a real user's is); elsewhere the name as the
    /// pool stores it.
    pub fn username(&self, pool: &PoolRecord, name: &str) -> String {
        if pool.username_attributes.is_empty() {
            return users::normalise(pool, name);
        }
        let tag = self.name_tag("sub", pool, name);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&tag[..16]);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    /// The SRP verifier of an unknown name: a stable salt, and a value that no
    /// password matches.
    pub fn verifier(&self, pool: &PoolRecord, name: &str) -> OpResult<Verifier> {
        let salt = &self.name_tag("salt", pool, name)[..SALT_BYTES];
        let name = users::normalise(pool, name);
        let mut v = Vec::with_capacity(VERIFIER_BYTES + 32);
        let mut block = 0u8;
        while v.len() < VERIFIER_BYTES {
            v.extend_from_slice(
                &self.tag("verifier", &[pool.id.as_bytes(), name.as_bytes(), &[block]]),
            );
            block += 1;
        }
        v.truncate(VERIFIER_BYTES);
        Verifier::from_parts(salt, &v).map_err(CognitoError::internal)
    }

    /// A number from 0 to `below - 1` that an unknown name always gets for `label`
    /// (such as the letters of where a code was "sent").
    pub fn pick(&self, label: &str, pool: &PoolRecord, name: &str, below: u32) -> u32 {
        let tag = self.name_tag(label, pool, name);
        u32::from_be_bytes([tag[0], tag[1], tag[2], tag[3]]) % below.max(1)
    }

    /// Opens an SRP session for an unknown name: its SECRET_BLOCK, random and as long
    /// as a real one's. It lives in memory only, until taken or expired; when the table
    /// is full of live ones, the one closest to expiry makes way.
    pub fn open_session(
        &self,
        pool: &PoolRecord,
        client_id: &str,
        username: &str,
        expires: UnixTime,
    ) -> String {
        let block = opaque(SECRET_BLOCK_BYTES);
        let session = Session {
            pool_id: pool.id.clone(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            expires,
        };
        let mut state = self.state();
        if state.sessions.len() >= SESSIONS {
            let now = state.newest;
            state.sessions.retain(|_, s| s.expires >= now);
            if state.sessions.len() >= SESSIONS {
                let closest = state
                    .sessions
                    .iter()
                    .min_by_key(|(_, s)| s.expires)
                    .map(|(k, _)| k.clone());
                if let Some(closest) = closest {
                    state.sessions.remove(&closest);
                }
            }
        }
        state.sessions.insert(block.clone(), session);
        block
    }

    /// Takes the session of `block` for an unknown name, as a real one is taken: only
    /// by the pool and client it was opened for (an answer from elsewhere leaves it),
    /// once, before it expires. The name it was opened for.
    pub fn take_session(
        &self,
        block: &str,
        pool: &PoolRecord,
        client_id: &str,
        now: UnixTime,
    ) -> Option<String> {
        let mut state = self.state();
        state.newest = state.newest.max(now);
        let session = state.sessions.get(block)?;
        if session.pool_id != pool.id || session.client_id != client_id {
            return None;
        }
        let session = state.sessions.remove(block)?;
        (now <= session.expires).then_some(session.username)
    }

    /// Whether an unknown name is locked out now, as a real user would be after as
    /// many failures.
    pub fn is_locked(&self, pool: &PoolRecord, name: &str, now: UnixTime) -> bool {
        self.with(pool, name, now, |counts| counts.failures.is_locked(now))
    }

    /// Counts a failed sign-in of an unknown name; `true` when it locks out.
    pub fn fail(&self, pool: &PoolRecord, name: &str, now: UnixTime) -> bool {
        self.with(pool, name, now, |counts| counts.failures.fail(now))
    }

    /// A code asked for an unknown name: `false` past the limit a real user has (else
    /// counted as sent).
    pub fn send_code(&self, pool: &PoolRecord, name: &str, now: UnixTime) -> bool {
        self.with(pool, name, now, |counts| {
            let allowed = counts.codes.may_send(now);
            if allowed {
                counts.codes.sent(now);
            }
            allowed
        })
    }

    /// A code given for an unknown name (always wrong): `true` when it is past the
    /// limit of wrong codes a real user has, as the real one would answer then.
    pub fn wrong_code(&self, pool: &PoolRecord, name: &str, now: UnixTime) -> bool {
        self.with(pool, name, now, |counts| {
            !counts.codes.may_check(now) || counts.codes.wrong(now)
        })
    }

    /// Runs `f` on the counts of an unknown name, making room in the table first.
    fn with<T>(
        &self,
        pool: &PoolRecord,
        name: &str,
        now: UnixTime,
        f: impl FnOnce(&mut Counts) -> T,
    ) -> T {
        let tag = self.name_tag("counts", pool, name);
        let mut state = self.state();
        if !state.names.contains_key(&tag) && state.names.len() >= CAPACITY {
            state.names.retain(|_, counts| !counts.is_stale(now));
            if state.names.len() >= CAPACITY {
                // Forget the one idle longest, a locked one last.
                let oldest = state
                    .names
                    .iter()
                    .min_by_key(|(_, c)| {
                        let last = c.failures.last.or(c.codes.sent.last().copied());
                        (c.failures.is_locked(now), last)
                    })
                    .map(|(k, _)| *k);
                if let Some(oldest) = oldest {
                    state.names.remove(&oldest);
                }
            }
        }
        f(state.names.entry(tag).or_default())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
