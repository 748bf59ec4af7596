//! The schema, one migration per version; `PRAGMA user_version` says which ran.

use rusqlite::Connection;

/// Each entry moves the schema from its index to the next version.
const MIGRATIONS: &[&str] = &[
    // 1: documents, secondary lookups, the outbox.
    "CREATE TABLE records (
         kind TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
         PRIMARY KEY (kind, scope, key)
     ) WITHOUT ROWID;
     CREATE TABLE lookups (
         kind TEXT NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
         key TEXT NOT NULL,
         PRIMARY KEY (kind, scope, name, value)
     ) WITHOUT ROWID;
     CREATE INDEX lookups_by_key ON lookups (kind, scope, key);
     CREATE TABLE messages (
         id INTEGER PRIMARY KEY AUTOINCREMENT, pool_id TEXT NOT NULL, username TEXT NOT NULL,
         medium TEXT NOT NULL, destination TEXT NOT NULL, purpose TEXT NOT NULL,
         body TEXT NOT NULL, code TEXT, created REAL NOT NULL
     );
     CREATE INDEX messages_by_user ON messages (pool_id, username);",
];

/// Brings the schema to the latest version, one transaction per step.
pub(super) fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let done = usize::try_from(version).unwrap_or(0);
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", step as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_harmless() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
    }
}
