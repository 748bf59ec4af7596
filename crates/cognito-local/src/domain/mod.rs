//! The domain layer between the operations and the store: typed state, the records,
//! and the services the operations share (users, clients, sessions, sign-ins,
//! devices, groups, codes, the outbox). It alone knows the store's kinds, scopes,
//! keys, lookups and links; operations speak its language and never the store's.

pub(crate) mod access;
pub(crate) mod attributes;
pub(crate) mod auth_events;
pub(crate) mod branding;
pub(crate) mod cimd_policies;
pub(crate) mod client_documents;
pub(crate) mod client_oauth;
pub(crate) mod client_secrets;
pub(crate) mod clients;
pub(crate) mod codes;
pub(crate) mod configs;
pub(crate) mod custom_auth;
pub(crate) mod devices;
pub(crate) mod federation;
pub(crate) mod group_records;
pub(crate) mod groups;
pub(crate) mod hooks;
pub(crate) mod hosted_sessions;
pub(crate) mod identities;
pub(crate) mod identity_providers;
pub(crate) mod import_rows;
pub(crate) mod imported_hashes;
pub(crate) mod imports;
pub(crate) mod lambdas;
pub(crate) mod limits;
pub(crate) mod lockout;
pub(crate) mod message_hooks;
pub(crate) mod mfa;
pub(crate) mod migration;
pub(crate) mod oauth_codes;
pub(crate) mod outbox;
pub(crate) mod passwords;
pub(crate) mod phantoms;
pub(crate) mod pool_domains;
pub(crate) mod pools;
pub(crate) mod provider_links;
pub(crate) mod purge;
pub(crate) mod records;
pub(crate) mod recovery;
mod redacted;
pub(crate) mod replicas;
pub(crate) mod resource_servers;
pub(crate) mod risk;
pub(crate) mod sessions;
pub(crate) mod sign_in_hooks;
pub(crate) mod sign_ins;
pub(crate) mod state;
pub(crate) mod terms;
pub(crate) mod token_hooks;
pub(crate) mod ui;
pub(crate) mod user_sessions;
pub(crate) mod users;

use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::outbound::Outbound;
use crate::store::Tx;
use crate::triggers::Triggers;

/// The link from a record to the user it belongs to (sign-ins, devices, memberships).
const LINK_USER: &str = "user";
/// The link from a membership to its group.
const LINK_GROUP: &str = "group";
/// Bytes of an SRP challenge's SECRET_BLOCK (a real session's id, or the id of an
/// unknown user's session in memory: the two look alike).
const SECRET_BLOCK_BYTES: usize = 128;

/// Who sent a request, as far as the server can tell: the address of the connection
/// and the `User-Agent` header (at most 1024 characters, as the model bounds
/// `SessionDeviceType`). Neither is a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Caller {
    /// The peer's IP address.
    pub ip: Option<String>,
    /// The client software.
    pub user_agent: Option<String>,
    /// The `Host` the request was sent to (where pre-signed URLs point back).
    #[serde(skip)]
    pub host: Option<String>,
    /// The region of the request's signature: a signed request sees that region's
    /// pools only, as on AWS (an unsigned one names its pool through an app client).
    #[serde(skip)]
    pub signed_region: Option<String>,
    /// The request's `ClientMetadata`, which reaches the triggers it runs.
    #[serde(skip)]
    pub client_metadata: Option<std::collections::HashMap<String, String>>,
    /// Sent by the hosted login pages: a finished sign-in answers with the user, for an
    /// authorization, rather than with tokens. Never set from the AWS protocol.
    #[serde(skip)]
    pub hosted: bool,
}

/// What an operation runs with: its transaction, the time, and where it runs.
/// Operations see only the domain's functions over it, never the store.
pub(crate) struct Ctx<'a> {
    tx: Tx<'a>,
    /// Now, from the server's clock, read once per request.
    pub now: UnixTime,
    /// The region the request was signed for (or the server's default).
    pub region: &'a str,
    /// Token issuers are `{issuer_base}/{pool_id}`.
    pub issuer_base: &'a str,
    /// Answers for unknown users.
    pub phantoms: &'a phantoms::Phantoms,
    /// Where the pools' Lambda triggers go (`lambdas` calls them).
    triggers: &'a Triggers,
    /// The server's own HTTP requests (client metadata documents).
    pub outbound: &'a Outbound,
    /// Who sent the request.
    pub caller: Caller,
}

impl<'a> Ctx<'a> {
    /// A context over an open transaction; the peers it may call are the pools'
    /// triggers and the server's own HTTP requests.
    pub fn new(
        tx: Tx<'a>,
        now: UnixTime,
        region: &'a str,
        issuer_base: &'a str,
        phantoms: &'a phantoms::Phantoms,
        (triggers, outbound): (&'a Triggers, &'a Outbound),
        caller: Caller,
    ) -> Self {
        tx.set_now(now);
        Self {
            tx,
            now,
            region,
            issuer_base,
            phantoms,
            triggers,
            outbound,
            caller,
        }
    }

    /// Commits the operation's writes so far: they survive whatever follows (a wrong
    /// answer counted, a session used up), even if the operation then fails.
    pub fn commit_so_far(&self) -> OpResult<()> {
        Ok(self.tx.commit_so_far()?)
    }

    /// Runs slow work that needs no data (SRP maths, verifier checks) without the
    /// store's lock. What was written so far is committed first, and what was read
    /// before may have changed by the time it returns: read again what matters.
    pub fn unlocked<T>(&self, work: impl FnOnce() -> T) -> OpResult<T> {
        Ok(self.tx.unlocked(work)?)
    }

    /// Ends the operation: its writes committed with an `Ok`, rolled back with an `Err`
    /// (except what it committed early).
    pub fn finish<T, E: From<crate::store::StoreError>>(
        self,
        result: Result<T, E>,
    ) -> Result<T, E> {
        self.tx.finish(result)
    }

    fn tx(&self) -> &Tx<'a> {
        &self.tx
    }
}

/// A random opaque string (base64 of `bytes` random bytes): sessions, secret blocks.
pub(crate) fn opaque(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut buf).expect("the system RNG works");
    base64::engine::general_purpose::STANDARD.encode(buf)
}

/// Letters and digits.
pub(crate) const ALPHANUMERIC: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The alphabet of app client ids and secrets.
pub(crate) const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Random characters from `alphabet`.
pub(crate) fn random_string(alphabet: &[u8], len: usize) -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}
