//! Storage: an embedded SQLite database (a file, or in memory).
//!
//! Records are typed documents ([`Record`]) kept by kind, scope (the user pool,
//! or nothing for pools themselves) and key, with secondary lookups in an index
//! table. The schema is versioned (`PRAGMA user_version`) and migrated on open.
//! Each operation runs in one transaction ([`Store::transaction`]): all of its
//! writes or none, committed before it answers (WAL mode), so an acknowledged
//! write survives the process being killed.

mod migrations;
pub mod records;

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use records::*;

/// A storage failure: a fault of the server, never of the request.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// A stored document does not decode.
    #[error("stored record: {0}")]
    Record(#[from] serde_json::Error),
}

/// A document the store keeps: its kind names its rows.
pub trait Record: Serialize + DeserializeOwned {
    /// The kind, such as `pool` or `user`.
    const KIND: &'static str;
}

/// The database.
pub struct Store {
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
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` in one transaction: committed if it returns `Ok`, rolled back otherwise.
    /// Transactions run one at a time.
    pub fn transaction<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if !conn.is_autocommit() {
            // A transaction left open by a panicking operation.
            conn.execute_batch("ROLLBACK").map_err(StoreError::from)?;
        }
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)?;
        let tx = Tx { conn };
        match f(&tx) {
            Ok(value) => {
                tx.conn.execute_batch("COMMIT").map_err(StoreError::from)?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = tx.conn.execute_batch("ROLLBACK") {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }
}

/// An open transaction: every read and write of an operation goes through it.
pub struct Tx<'a> {
    conn: MutexGuard<'a, Connection>,
}

impl Tx<'_> {
    fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Inserts a record; `false` if one with this key exists already.
    pub fn insert<R: Record>(
        &self,
        scope: &str,
        key: &str,
        record: &R,
    ) -> Result<bool, StoreError> {
        let data = serde_json::to_string(record)?;
        let rows = self.conn().execute(
            "INSERT OR IGNORE INTO records (kind, scope, key, data) VALUES (?1, ?2, ?3, ?4)",
            params![R::KIND, scope, key, data],
        )?;
        Ok(rows == 1)
    }

    /// Inserts or replaces a record.
    pub fn put<R: Record>(&self, scope: &str, key: &str, record: &R) -> Result<(), StoreError> {
        let data = serde_json::to_string(record)?;
        self.conn().execute(
            "INSERT INTO records (kind, scope, key, data) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (kind, scope, key) DO UPDATE SET data = excluded.data",
            params![R::KIND, scope, key, data],
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
        let conn = self.conn();
        let rows = conn.execute(
            "DELETE FROM records WHERE kind = ?1 AND scope = ?2 AND key = ?3",
            params![R::KIND, scope, key],
        )?;
        conn.execute(
            "DELETE FROM lookups WHERE kind = ?1 AND scope = ?2 AND key = ?3",
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

    /// Deletes everything in a scope (a user pool's users, clients, groups...).
    pub fn delete_scope(&self, scope: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute("DELETE FROM records WHERE scope = ?1", params![scope])?;
        conn.execute("DELETE FROM lookups WHERE scope = ?1", params![scope])?;
        conn.execute("DELETE FROM messages WHERE pool_id = ?1", params![scope])?;
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
        let conn = self.conn();
        let existing: Option<String> = conn
            .query_row(
                "SELECT key FROM lookups WHERE kind = ?1 AND scope = ?2 AND name = ?3 AND value = ?4",
                params![R::KIND, scope, name, value],
                |row| row.get(0),
            )
            .optional()?;
        match existing {
            Some(owner) if owner != key => Ok(false),
            Some(_) => Ok(true),
            None => {
                conn.execute(
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
        self.conn().execute(
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
        self.conn().execute(
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
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM records WHERE kind = ?1 AND scope = ?2",
            params![R::KIND, scope],
            |row| row.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Adds a message to the outbox; returns its id.
    pub fn add_message(&self, message: &Message) -> Result<i64, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO messages (pool_id, username, medium, destination, purpose, body, code, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                message.pool_id,
                message.username,
                message.medium,
                message.destination,
                message.purpose,
                message.body,
                message.code,
                message.created
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// The outbox, oldest first, optionally for one pool and one user.
    pub fn messages(
        &self,
        pool_id: Option<&str>,
        username: Option<&str>,
    ) -> Result<Vec<Message>, StoreError> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT id, pool_id, username, medium, destination, purpose, body, code, created FROM messages
             WHERE (?1 IS NULL OR pool_id = ?1) AND (?2 IS NULL OR username = ?2) ORDER BY id",
        )?;
        let rows = statement.query_map(params![pool_id, username], |row| {
            Ok(Message {
                id: row.get(0)?,
                pool_id: row.get(1)?,
                username: row.get(2)?,
                medium: row.get(3)?,
                destination: row.get(4)?,
                purpose: row.get(5)?,
                body: row.get(6)?,
                code: row.get(7)?,
                created: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
