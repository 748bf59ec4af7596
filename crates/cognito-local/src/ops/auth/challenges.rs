//! What every challenge answer does first, in one place: find its session (peeked for
//! answers that may be retried, taken for those that may not), check SECRET_HASH for
//! the USERNAME it names, and load the user the session is for.

use std::collections::HashMap;

use crate::domain::clients::check_secret_hash;
use crate::domain::lockout::incorrect;
use crate::domain::records::{AuthSessionRecord, ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::ChallengeName;
use crate::domain::{Ctx, sessions, users};
use crate::error::{CognitoError, OpResult};

/// Auth parameters and challenge responses.
pub(super) type Params = HashMap<String, String>;

/// A parameter the flow or challenge needs.
pub(super) fn param<'p>(params: &'p Params, name: &str) -> OpResult<&'p str> {
    params.get(name).map(String::as_str).ok_or_else(|| {
        CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
    })
}

/// The SECRET_HASH of a request's parameters or responses, if given.
pub(super) fn secret_hash(params: &Params) -> Option<&str> {
    params.get("SECRET_HASH").map(String::as_str)
}

/// A session of `challenge` for the user, opened now, carrying the device the sign-in
/// names (if any) to its end.
pub(super) fn open_challenge(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    challenge: ChallengeName,
    device_key: Option<&str>,
) -> OpResult<String> {
    let mut record = sessions::new_record(ctx, pool, &user.username, client, challenge);
    record.device_key = device_key.map(str::to_owned);
    sessions::open(ctx, &record)
}

/// A challenge answer arriving: where, and with what responses.
pub(super) struct At<'a, 'c> {
    pub ctx: &'a Ctx<'c>,
    pub pool: &'a PoolRecord,
    pub client: &'a ClientRecord,
    pub responses: &'a Params,
}

/// Whether answering uses the session up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    /// It stays open until answered right (a wrong MFA code may be retried).
    Peek,
    /// Used up by this answer, right or wrong (committed at once).
    Take,
}

/// An answer's session and user, checked.
pub(super) struct Opened {
    /// The session's id.
    pub id: String,
    /// The session.
    pub session: AuthSessionRecord,
    /// The user it is for.
    pub user: UserRecord,
}

impl At<'_, '_> {
    /// A response the challenge needs.
    pub fn param(&self, name: &str) -> OpResult<&str> {
        param(self.responses, name)
    }

    /// The device the sign-in names: the answer's DEVICE_KEY, else the session's.
    pub fn device_key<'s>(&'s self, session: &'s AuthSessionRecord) -> Option<&'s str> {
        self.responses
            .get("DEVICE_KEY")
            .or(session.device_key.as_ref())
            .map(String::as_str)
    }

    /// The `Session` of the request, which this challenge needs.
    pub fn required<'s>(&self, session: Option<&'s str>) -> OpResult<&'s str> {
        session.ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter Session"))
    }

    /// Opens session `id` of `challenge`: checked against pool, client and expiry (and
    /// used up with [`Use::Take`]), SECRET_HASH checked for USERNAME, the user loaded.
    pub fn open(&self, id: &str, challenge: ChallengeName, mode: Use) -> OpResult<Opened> {
        let ctx = self.ctx;
        let session = match mode {
            Use::Peek => sessions::peek(ctx, self.pool, self.client, id, challenge)?,
            Use::Take => sessions::take(ctx, self.pool, self.client, id, challenge)?,
        };
        let username = self.param("USERNAME")?;
        check_secret_hash(self.client, username, secret_hash(self.responses))?;
        let user = users::by_username(ctx, self.pool, &session.username)?.ok_or_else(incorrect)?;
        Ok(Opened {
            id: id.to_owned(),
            session,
            user,
        })
    }
}
