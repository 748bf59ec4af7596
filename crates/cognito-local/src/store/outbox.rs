//! The outbox table: every email and SMS the server would have sent.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{StoreError, Tx};

/// An email or SMS the real service would have sent, as the outbox keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Its number, in order of sending.
    pub id: i64,
    /// The pool.
    pub pool_id: String,
    /// The user it was for.
    pub username: String,
    /// `EMAIL` or `SMS`.
    pub medium: String,
    /// The address or number.
    pub destination: String,
    /// Why: `signup`, `invitation`, `forgot_password`, `verify:email`...
    pub purpose: String,
    /// The text.
    pub body: String,
    /// The code or temporary password in it, for tests and tools.
    pub code: Option<String>,
    /// Seconds since the epoch.
    pub created: f64,
}

impl Tx<'_> {
    /// Adds a message to the outbox; returns its id.
    pub fn add_message(&self, message: &Message) -> Result<i64, StoreError> {
        self.exec(
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
        Ok(self.conn().last_insert_rowid())
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
