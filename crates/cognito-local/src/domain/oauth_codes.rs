//! Authorization codes: what the authorize endpoint grants a signed-in user, exchanged
//! once at the token endpoint ("a one time use code that is valid for five minutes"),
//! bound to the client, the redirect URI and, with PKCE, the verifier's challenge. The
//! store keeps only the code's SHA-256, and a code is made only for a user who has just
//! proven who they are: unauthenticated requests cannot add any.
//!
//! An exchanged code is kept, marked with the sign-in it gave, until it expires: a
//! replay is refused and revokes that sign-in (RFC 6749 §4.1.2: the server "SHOULD
//! revoke (when possible) all tokens previously issued based on that authorization
//! code").

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::records::PoolRecord;
use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::store::Record;

/// How long a code can be exchanged.
pub const CODE_SECONDS: i64 = 300;

/// A code's grant, as the token endpoint checks and honours it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CodeRecord {
    /// The app client it was granted to.
    pub client_id: String,
    /// The redirect URI it was sent to (the token request must name it again).
    pub redirect_uri: String,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// The authorize request's nonce, for the ID token.
    pub nonce: Option<String>,
    /// The resource server its tokens are bound to (RFC 8707 `resource`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// PKCE's `code_challenge` (S256), if the request had one.
    pub challenge: Option<String>,
    /// The user.
    pub username: String,
    /// The user's `sub`: a namesake created later is someone else.
    pub sub: String,
    /// When the user signed in.
    pub auth_time: UnixTime,
    /// The code stops working then.
    pub expires: UnixTime,
    /// Once exchanged: the sign-in it gave (`origin_jti`).
    #[serde(default)]
    pub exchanged_for: Option<String>,
}

impl Record for CodeRecord {
    const KIND: &'static str = "oauth_code";

    fn expires(&self) -> Option<UnixTime> {
        Some(self.expires)
    }
}

fn key(code: &str) -> String {
    crate::tokens::refresh_hash(code)
}

/// Stores a grant under a new code; the code.
pub fn issue(ctx: &Ctx<'_>, pool: &PoolRecord, record: &CodeRecord) -> OpResult<String> {
    let code = uuid::Uuid::new_v4().to_string();
    ctx.tx().put(&pool.id, &key(&code), record)?;
    Ok(code)
}

/// The grant of a code that has not expired, exchanged or not.
pub fn find(ctx: &Ctx<'_>, pool: &PoolRecord, code: &str) -> OpResult<Option<CodeRecord>> {
    Ok(ctx
        .tx()
        .get::<CodeRecord>(&pool.id, &key(code))?
        .filter(|record| ctx.now <= record.expires))
}

/// Marks a code exchanged for the sign-in `origin_jti`.
pub fn exchanged(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    code: &str,
    record: &mut CodeRecord,
    origin_jti: &str,
) -> OpResult<()> {
    record.exchanged_for = Some(origin_jti.to_owned());
    Ok(ctx.tx().put(&pool.id, &key(code), record)?)
}
