//! Groups and memberships. A membership is keyed by group and user, and linked to both,
//! so either side is found without a scan.

use super::records::{GroupRecord, MembershipRecord, PoolRecord, UserRecord};
use super::{Ctx, LINK_GROUP, LINK_USER};
use crate::error::{CognitoError, OpResult};

fn membership_key(group: &str, username: &str) -> String {
    format!("{group}\u{1f}{username}")
}

/// A group, or `ResourceNotFoundException`.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, name: &str) -> OpResult<GroupRecord> {
    ctx.tx()
        .get(&pool.id, name)?
        .ok_or_else(|| CognitoError::not_found("Group not found."))
}

/// Stores a new group; `false` if the name is taken.
pub fn create(ctx: &Ctx<'_>, pool: &PoolRecord, group: &GroupRecord) -> OpResult<bool> {
    super::recovery::check_writable(ctx, pool)?;
    Ok(ctx.tx().insert(&pool.id, &group.name, group)?)
}

/// Saves a changed group.
pub fn save(ctx: &Ctx<'_>, pool: &PoolRecord, group: &GroupRecord) -> OpResult<()> {
    super::recovery::check_writable(ctx, pool)?;
    Ok(ctx.tx().put(&pool.id, &group.name, group)?)
}

/// Deletes a group and its memberships.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, group: &GroupRecord) -> OpResult<()> {
    super::recovery::check_writable(ctx, pool)?;
    let tx = ctx.tx();
    tx.delete_linked::<MembershipRecord>(&pool.id, LINK_GROUP, &group.name)?;
    tx.delete::<GroupRecord>(&pool.id, &group.name)?;
    Ok(())
}

/// A pool's groups in name order after `after`, at most `limit`, each with its name.
pub fn list(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    after: Option<&str>,
    limit: usize,
) -> OpResult<Vec<(String, GroupRecord)>> {
    Ok(ctx.tx().list(&pool.id, after, limit)?)
}

/// Puts a user in a group (again is harmless).
pub fn add_member(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    group: &GroupRecord,
    user: &UserRecord,
) -> OpResult<()> {
    put_membership(
        ctx,
        pool,
        &MembershipRecord {
            group: group.name.clone(),
            username: user.username.clone(),
        },
    )
}

/// Stores a membership with its links to both sides.
pub fn put_membership(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    membership: &MembershipRecord,
) -> OpResult<()> {
    super::recovery::check_writable(ctx, pool)?;
    let key = membership_key(&membership.group, &membership.username);
    let tx = ctx.tx();
    tx.put(&pool.id, &key, membership)?;
    tx.link::<MembershipRecord>(&pool.id, LINK_USER, &membership.username, &key)?;
    tx.link::<MembershipRecord>(&pool.id, LINK_GROUP, &membership.group, &key)?;
    Ok(())
}

/// Takes a user out of a group.
pub fn remove_member(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    group: &GroupRecord,
    user: &UserRecord,
) -> OpResult<()> {
    super::recovery::check_writable(ctx, pool)?;
    ctx.tx()
        .delete::<MembershipRecord>(&pool.id, &membership_key(&group.name, &user.username))?;
    Ok(())
}

/// The groups of a user, by precedence then name (the order of `cognito:groups`).
pub fn of_user(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<Vec<GroupRecord>> {
    let tx = ctx.tx();
    let mut groups = Vec::new();
    for (_, m) in tx.linked::<MembershipRecord>(&pool.id, LINK_USER, username)? {
        if let Some(g) = tx.get::<GroupRecord>(&pool.id, &m.group)? {
            groups.push(g);
        }
    }
    groups.sort_by(|a, b| {
        (a.precedence.unwrap_or(i64::MAX), &a.name)
            .cmp(&(b.precedence.unwrap_or(i64::MAX), &b.name))
    });
    Ok(groups)
}

/// The members of a group in user-name order, each with its user name.
pub fn members(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    group: &GroupRecord,
) -> OpResult<Vec<(String, UserRecord)>> {
    let tx = ctx.tx();
    let mut users = Vec::new();
    for (_, m) in tx.linked::<MembershipRecord>(&pool.id, LINK_GROUP, &group.name)? {
        if let Some(user) = tx.get::<UserRecord>(&pool.id, &m.username)? {
            users.push((m.username, user));
        }
    }
    users.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(users)
}
