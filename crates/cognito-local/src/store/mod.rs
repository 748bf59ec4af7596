//! Storage: an embedded SQLite database (a file, or in memory).
//!
//! Records are typed documents ([`Record`]) kept by kind, scope (the user pool,
//! or nothing for pools themselves) and key, with unique secondary lookups
//! (`name = value` → one key) and many-valued links (`name = value` → many keys) in
//! index tables. The store knows no record type: the domain layer defines them and
//! owns the key layout. The schema is versioned (`PRAGMA user_version`) and migrated
//! on open. Each operation runs in one transaction ([`Store::transaction`]): all of
//! its writes or none, committed before it answers (WAL mode), so an acknowledged
//! write survives the process being killed. An operation may commit early, at a
//! write that must survive whatever follows ([`Tx::commit_so_far`]), and may release
//! the lock for slow work ([`Tx::unlocked`]).

mod journal;
mod migrations;
mod outbox;

use std::cell::{Cell, Ref, RefCell};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::clock::UnixTime;

pub(crate) use journal::{Before, JOURNAL_SECS};
pub(crate) use outbox::Message;

/// Runs a transaction-control statement (kept parsed, like every other).
fn control(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// A storage failure: a fault of the server, never of the request.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// A stored document does not decode.
    #[error("stored record: {0}")]
    Record(#[from] serde_json::Error),
    /// The transaction was used while its lock was released.
    #[error("the transaction has no lock")]
    Unlocked,
}

/// A document the store keeps: its kind names its rows.
pub(crate) trait Record: Serialize + DeserializeOwned {
    /// The kind, such as `pool` or `user`.
    const KIND: &'static str;

    /// When the record stops mattering and may be purged ([`Store::purge`]); `None`
    /// for records that live until deleted.
    fn expires(&self) -> Option<UnixTime> {
        None
    }

    /// Whether the journal keeps its earlier states (user data: point-in-time recovery).
    const JOURNALED: bool = false;
}

/// What [`Store::purge`] removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Purged {
    /// Expired records (sessions, sign-ins), with their lookups and links.
    pub records: usize,
    /// Outbox messages past their keeping time.
    pub messages: usize,
}

/// The database.
pub(crate) struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database file in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| rusqlite::Error::InvalidPath(dir.join(format!("cannot create: {e}"))))?;
        let conn = Connection::open(dir.join("cognito-local.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::with(conn)
    }

    /// A database in memory, gone when the server stops.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::with(Connection::open_in_memory()?)
    }

    fn with(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Every statement the store runs stays parsed.
        conn.set_prepared_statement_cache_capacity(64);
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Begins a transaction (transactions run one at a time): [`Tx::finish`] commits
    /// or rolls it back.
    pub fn begin(&self) -> Result<Tx<'_>, StoreError> {
        let conn = self.lock();
        if !conn.is_autocommit() {
            // A transaction left open by a panicking operation.
            control(&conn, "ROLLBACK")?;
        }
        control(&conn, "BEGIN IMMEDIATE")?;
        Ok(Tx {
            store: self,
            conn: RefCell::new(Some(conn)),
            now: Cell::new(0.0),
        })
    }
}

/// An open transaction: every read and write of an operation goes through it.
pub(crate) struct Tx<'a> {
    store: &'a Store,
    /// The locked connection; `None` only while [`Tx::unlocked`] runs its work.
    conn: RefCell<Option<MutexGuard<'a, Connection>>>,
    /// The operation's "now", seconds: when journal entries say a change happened.
    now: Cell<f64>,
}

impl Tx<'_> {
    /// Commits if `result` is `Ok`, rolls back otherwise (what was committed early stays).
    pub fn finish<T, E: From<StoreError>>(self, result: Result<T, E>) -> Result<T, E> {
        let conn = self.conn.into_inner().ok_or(StoreError::Unlocked)?;
        match result {
            Ok(value) => {
                control(&conn, "COMMIT").map_err(StoreError::from)?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = control(&conn, "ROLLBACK") {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }

    /// Sets the moment the transaction's changes happen (its operation's "now").
    pub fn set_now(&self, now: UnixTime) {
        self.now.set(now.secs_f64());
    }

    /// Runs a statement (parsed once per connection: statements are cached).
    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(sql)?;
        Ok(statement.execute(params)?)
    }

    /// Reads one row (with a cached statement).
    fn query_row<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(sql)?;
        statement.query_row(params, f)
    }

    fn conn(&self) -> Ref<'_, Connection> {
        Ref::map(self.conn.borrow(), |conn| {
            &**conn.as_ref().expect("the transaction holds the lock")
        })
    }

    /// Commits what the operation wrote so far, keeping the lock: those writes survive
    /// whatever the operation does next (a wrong code counted, a session used up).
    pub fn commit_so_far(&self) -> Result<(), StoreError> {
        let conn = self.conn();
        control(&conn, "COMMIT")?;
        control(&conn, "BEGIN IMMEDIATE")?;
        Ok(())
    }

    /// Commits what the operation wrote so far, releases the lock while `work` runs
    /// (slow crypto, which needs no data), then takes the lock again in a new
    /// transaction. What was read before may have changed: read it again after.
    pub fn unlocked<T>(&self, work: impl FnOnce() -> T) -> Result<T, StoreError> {
        let conn = self.conn.borrow_mut().take().ok_or(StoreError::Unlocked)?;
        control(&conn, "COMMIT")?;
        drop(conn);
        let out = work();
        let conn = self.store.lock();
        control(&conn, "BEGIN IMMEDIATE")?;
        *self.conn.borrow_mut() = Some(conn);
        Ok(out)
    }

    /// Inserts a record; `false` if one with this key exists already.
    pub fn insert<R: Record>(
        &self,
        scope: &str,
        key: &str,
        record: &R,
    ) -> Result<bool, StoreError> {
        let data = serde_json::to_string(record)?;
        let expires = record.expires().map(UnixTime::secs_f64);
        self.journal::<R>(scope, key)?;
        let rows = self.exec(
            "INSERT OR IGNORE INTO records (kind, scope, key, data, expires)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![R::KIND, scope, key, data, expires],
        )?;
        Ok(rows == 1)
    }

    /// Inserts or replaces a record.
    pub fn put<R: Record>(&self, scope: &str, key: &str, record: &R) -> Result<(), StoreError> {
        let data = serde_json::to_string(record)?;
        let expires = record.expires().map(UnixTime::secs_f64);
        self.journal::<R>(scope, key)?;
        self.exec(
            "INSERT INTO records (kind, scope, key, data, expires) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (kind, scope, key)
             DO UPDATE SET data = excluded.data, expires = excluded.expires",
            params![R::KIND, scope, key, data, expires],
        )?;
        Ok(())
    }

    /// Inserts or replaces a record without a journal entry (state that a recovery
    /// need not put back: failed attempts, code counters).
    pub fn put_unjournaled<R: Record>(
        &self,
        scope: &str,
        key: &str,
        record: &R,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(record)?;
        let expires = record.expires().map(UnixTime::secs_f64);
        self.exec(
            "INSERT INTO records (kind, scope, key, data, expires) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (kind, scope, key)
             DO UPDATE SET data = excluded.data, expires = excluded.expires",
            params![R::KIND, scope, key, data, expires],
        )?;
        Ok(())
    }

    /// A record by key.
    pub fn get<R: Record>(&self, scope: &str, key: &str) -> Result<Option<R>, StoreError> {
        let data: Option<String> = self
            .conn()
            .query_row(
                "SELECT data FROM records WHERE kind = ?1 AND scope = ?2 AND key = ?3",
                params![R::KIND, scope, key],
                |row| row.get(0),
            )
            .optional()?;
        Ok(data.map(|d| serde_json::from_str(&d)).transpose()?)
    }

    /// Deletes a record and its index entries; `false` if there was none.
    pub fn delete<R: Record>(&self, scope: &str, key: &str) -> Result<bool, StoreError> {
        self.journal::<R>(scope, key)?;
        let rows = self.exec(
            "DELETE FROM records WHERE kind = ?1 AND scope = ?2 AND key = ?3",
            params![R::KIND, scope, key],
        )?;
        self.exec(
            "DELETE FROM lookups WHERE kind = ?1 AND scope = ?2 AND key = ?3",
            params![R::KIND, scope, key],
        )?;
        self.exec(
            "DELETE FROM links WHERE kind = ?1 AND scope = ?2 AND key = ?3",
            params![R::KIND, scope, key],
        )?;
        Ok(rows == 1)
    }

    /// Records of a kind in a scope, in key order, from after `after`, at most `limit`.
    pub fn list<R: Record>(
        &self,
        scope: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, R)>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT key, data FROM records WHERE kind = ?1 AND scope = ?2 AND key > ?3
             ORDER BY key LIMIT ?4",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement
            .query_map(params![R::KIND, scope, after.unwrap_or(""), limit], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, data) = row?;
            out.push((key, serde_json::from_str(&data)?));
        }
        Ok(out)
    }

    /// Deletes the records that expired before `now` (with their lookups and links),
    /// and outbox messages created before `messages_before`.
    pub fn purge(&self, now: UnixTime, messages_before: UnixTime) -> Result<Purged, StoreError> {
        let expired =
            "SELECT kind, scope, key FROM records WHERE expires IS NOT NULL AND expires < ?1";
        for table in ["lookups", "links"] {
            self.exec(
                &format!("DELETE FROM {table} WHERE (kind, scope, key) IN ({expired})"),
                params![now.secs_f64()],
            )?;
        }
        let records = self.exec(
            "DELETE FROM records WHERE expires IS NOT NULL AND expires < ?1",
            params![now.secs_f64()],
        )?;
        let messages = self.exec(
            "DELETE FROM messages WHERE created < ?1",
            params![messages_before.secs_f64()],
        )?;
        self.purge_journal(now.plus_secs(-JOURNAL_SECS))?;
        Ok(Purged { records, messages })
    }

    /// Deletes everything in a scope (a user pool's users, clients, groups...).
    pub fn delete_scope(&self, scope: &str) -> Result<(), StoreError> {
        self.exec("DELETE FROM records WHERE scope = ?1", params![scope])?;
        self.exec("DELETE FROM lookups WHERE scope = ?1", params![scope])?;
        self.exec("DELETE FROM links WHERE scope = ?1", params![scope])?;
        self.exec("DELETE FROM messages WHERE pool_id = ?1", params![scope])?;
        self.exec("DELETE FROM journal WHERE scope = ?1", params![scope])?;
        Ok(())
    }

    /// Points `name = value` at a record's key (such as a user's email at its username);
    /// `false` if that name and value point at another record already.
    pub fn set_lookup<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
        key: &str,
    ) -> Result<bool, StoreError> {
        let existing: Option<String> = self.query_row(
                "SELECT key FROM lookups WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND value = ?4",
                params![R::KIND, scope, name, value],
                |row| row.get(0),
            )
            .optional()?;
        match existing {
            Some(owner) if owner != key => Ok(false),
            Some(_) => Ok(true),
            None => {
                self.exec(
                    "INSERT INTO lookups (kind, scope, name, value, key) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![R::KIND, scope, name, value, key],
                )?;
                Ok(true)
            }
        }
    }

    /// Removes a record's lookup `name` (whatever its value).
    pub fn clear_lookup<R: Record>(
        &self,
        scope: &str,
        name: &str,
        key: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM lookups WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND key = ?4",
            params![R::KIND, scope, name, key],
        )?;
        Ok(())
    }

    /// Removes the lookup `name = value`, whatever it points at.
    pub fn remove_lookup<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            "DELETE FROM lookups WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND value = ?4",
            params![R::KIND, scope, name, value],
        )?;
        Ok(())
    }

    /// The key `name = value` points at.
    pub fn lookup<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT key FROM lookups WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND value = ?4",
                params![R::KIND, scope, name, value],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Counts the records of a kind in a scope.
    pub fn count<R: Record>(&self, scope: &str) -> Result<u64, StoreError> {
        let n: i64 = self.query_row(
            "SELECT COUNT(*) FROM records WHERE kind = ?1 AND scope = ?2",
            params![R::KIND, scope],
            |row| row.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Links a record to `name = value` (such as a sign-in to its user); one value may
    /// link many records.
    pub fn link<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
        key: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            "INSERT OR IGNORE INTO links (kind, scope, name, value, key) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![R::KIND, scope, name, value, key],
        )?;
        Ok(())
    }

    /// Deletes the records linked to `name = value` (such as a user's memberships), with
    /// their lookups and links, in three statements whatever their number.
    pub fn delete_linked<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.journal_linked::<R>(scope, name, value)?;
        let linked =
            "SELECT key FROM links WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND value = ?4";
        for table in ["records", "lookups", "links"] {
            // `links` goes last: the other two find their rows through it.
            self.exec(
                &format!(
                    "DELETE FROM {table} WHERE kind = ?1 AND scope = ?2 AND key IN ({linked})"
                ),
                params![R::KIND, scope, name, value],
            )?;
        }
        Ok(())
    }

    /// How many records are linked to `name = value`.
    pub fn count_linked<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
    ) -> Result<usize, StoreError> {
        let count: i64 = self.query_row(
            "SELECT count(*) FROM links WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND value = ?4",
            params![R::KIND, scope, name, value],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    /// The records linked to `name = value`, in key order.
    pub fn linked<R: Record>(
        &self,
        scope: &str,
        name: &str,
        value: &str,
    ) -> Result<Vec<(String, R)>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT r.key, r.data FROM links l JOIN records r
               ON r.kind = l.kind AND r.scope = l.scope AND r.key = l.key
             WHERE l.kind = ?1 AND l.scope = ?2 AND l.name = ?3 AND l.value = ?4
             ORDER BY l.key",
        )?;
        let rows = statement.query_map(params![R::KIND, scope, name, value], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, data) = row?;
            out.push((key, serde_json::from_str(&data)?));
        }
        Ok(out)
    }
}
