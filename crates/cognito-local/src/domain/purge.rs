//! Purging what has stopped mattering: expired sessions and sign-ins (with their
//! lookups and links), and outbox messages past their keeping time. The server runs it
//! in the background; storage then stays bounded by what is live.

use super::Ctx;
use crate::error::OpResult;
use crate::store::Purged;

/// How long the outbox keeps a message: a week, the default life of a temporary
/// password (the longest-lived thing a message carries by default).
pub const OUTBOX_KEEP_SECONDS: i64 = 7 * 86_400;

/// Purges, as of the context's now.
pub fn expired(ctx: &Ctx<'_>) -> OpResult<Purged> {
    let messages_before = ctx.now.plus_secs(-OUTBOX_KEEP_SECONDS);
    Ok(ctx.tx().purge(ctx.now, messages_before)?)
}
