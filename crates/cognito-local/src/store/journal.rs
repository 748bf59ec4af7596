//! The journal of user data: before a record of a journaled kind (users, groups,
//! memberships: [`Record::JOURNALED`]) is written or deleted, its previous state (or
//! its absence) is kept with the time, so that a pool's user data can be put back to
//! how it was at a moment (point-in-time recovery). Entries older than
//! [`JOURNAL_SECS`] are purged.

use rusqlite::params;

use super::{Record, StoreError, Tx};
use crate::clock::UnixTime;

/// How far back the journal reaches: the Plus plan's 14 days.
pub const JOURNAL_SECS: i64 = 14 * 86_400;

/// The first change of a record after a moment: its kind, key, and state before (user
/// data with its secrets: `Debug` shows its size only).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Before {
    pub kind: String,
    pub key: String,
    /// The record's JSON then; `None` if it did not exist.
    pub data: Option<String>,
}

impl std::fmt::Debug for Before {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Before")
            .field("kind", &self.kind)
            .field("key", &self.key)
            .field(
                "data",
                &self.data.as_ref().map(|d| format!("<{} bytes>", d.len())),
            )
            .finish()
    }
}

impl Tx<'_> {
    /// Keeps the state of a record before it is written.
    pub(super) fn journal<R: Record>(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        if !R::JOURNALED {
            return Ok(());
        }
        self.exec(
            "INSERT INTO journal (scope, kind, key, at, before)
             VALUES (?1, ?2, ?3, ?4,
                 (SELECT data FROM records WHERE kind = ?2 AND scope = ?1 AND key = ?3))",
            params![scope, R::KIND, key, self.now.get()],
        )?;
        Ok(())
    }

    /// Keeps the state of the records linked to `name = value` before they are deleted.
    pub(super) fn journal_linked<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        if !R::JOURNALED {
            return Ok(());
        }
        self.exec(
            "INSERT INTO journal (scope, kind, key, at, before)
             SELECT r.scope, r.kind, r.key, ?5, r.data FROM records r JOIN links l
               ON r.kind = l.kind AND r.scope = l.scope AND r.key = l.key
             WHERE l.kind = ?1 AND l.scope = ?2 AND l.name = ?3 AND l.value = ?4",
            params![R::KIND, scope, name, value, self.now.get()],
        )?;
        Ok(())
    }

    /// For each record of `scope` changed after `since`, its state just before its
    /// first change then, oldest change first.
    pub fn changed_since(&self, scope: &str, since: UnixTime) -> Result<Vec<Before>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT kind, key, before FROM journal WHERE seq IN (
                 SELECT min(seq) FROM journal WHERE scope = ?1 AND at > ?2 GROUP BY kind, key)
             ORDER BY seq",
        )?;
        let rows = statement.query_map(params![scope, since.secs_f64()], |row| {
            Ok(Before {
                kind: row.get(0)?,
                key: row.get(1)?,
                data: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Drops journal entries from before `before`.
    pub(super) fn purge_journal(&self, before: UnixTime) -> Result<usize, StoreError> {
        self.exec(
            "DELETE FROM journal WHERE at < ?1",
            params![before.secs_f64()],
        )
    }
}
