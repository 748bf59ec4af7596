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
    // 2: many-valued links (a user's sign-ins, devices and memberships; a group's
    // memberships), filled from the records already kept.
    "CREATE TABLE links (
         kind TEXT NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
         key TEXT NOT NULL,
         PRIMARY KEY (kind, scope, name, value, key)
     ) WITHOUT ROWID;
     CREATE INDEX links_by_key ON links (kind, scope, key);
     INSERT INTO links (kind, scope, name, value, key)
         SELECT kind, scope, 'user', json_extract(data, '$.username'), key FROM records
         WHERE kind IN ('sign_in', 'device', 'membership');
     INSERT INTO links (kind, scope, name, value, key)
         SELECT kind, scope, 'group', json_extract(data, '$.group'), key FROM records
         WHERE kind = 'membership';",
    // 3: when a record stops mattering (sessions; sign-ins a day after their refresh
    // token, as `SignInRecord::expires` says), so that expired ones can be purged
    // through an index; filled for the records already kept.
    "ALTER TABLE records ADD COLUMN expires REAL;
     CREATE INDEX records_by_expiry ON records (expires) WHERE expires IS NOT NULL;
     CREATE INDEX messages_by_age ON messages (created);
     UPDATE records SET expires = json_extract(data, '$.expires') WHERE kind = 'auth_session';
     UPDATE records SET expires = json_extract(data, '$.refresh_expires') + 86400
         WHERE kind = 'sign_in';",
    // 4: the journal of user data (point-in-time recovery).
    "CREATE TABLE journal (
         seq INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL, kind TEXT NOT NULL,
         key TEXT NOT NULL, at REAL NOT NULL, before TEXT
     );
     CREATE INDEX journal_by_time ON journal (scope, at);
     CREATE INDEX journal_by_age ON journal (at);",
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
    fn links_are_filled_from_the_records_already_kept() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            r#"INSERT INTO records VALUES ('sign_in', 'p', 'jti-1', '{"username": "ada"}');
               INSERT INTO records VALUES ('membership', 'p', 'g' || char(31) || 'ada',
                   '{"group": "g", "username": "ada"}');"#,
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let links: Vec<(String, String, String, String)> = conn
            .prepare("SELECT kind, name, value, key FROM links ORDER BY kind, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let member = "g\u{1f}ada".to_owned();
        assert_eq!(
            links,
            vec![
                (
                    "membership".into(),
                    "group".into(),
                    "g".into(),
                    member.clone()
                ),
                ("membership".into(), "user".into(), "ada".into(), member),
                (
                    "sign_in".into(),
                    "user".into(),
                    "ada".into(),
                    "jti-1".into()
                ),
            ]
        );
    }

    #[test]
    fn expiry_is_filled_for_the_sessions_and_sign_ins_already_kept() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (step, sql) in MIGRATIONS[..2].iter().enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", step as i64 + 1)
                .unwrap();
        }
        conn.execute_batch(
            r#"INSERT INTO records VALUES ('auth_session', '', 's1', '{"expires": 1700000180.5}');
               INSERT INTO records VALUES ('sign_in', 'p', 'j1', '{"refresh_expires": 1702592000}');
               INSERT INTO records VALUES ('user', 'p', 'ada', '{"username": "ada"}');"#,
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let expiry: Vec<Option<f64>> = conn
            .prepare("SELECT expires FROM records ORDER BY kind")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            expiry,
            vec![Some(1_700_000_180.5), Some(1_702_678_400.0), None]
        );
    }

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
