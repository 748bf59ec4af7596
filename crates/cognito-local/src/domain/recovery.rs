//! Point-in-time recovery, over the store's journal of user data: Initiate computes
//! the preview (entities the recovery creates, updates and deletes) and pauses the
//! pool's writes; Start puts users, groups and memberships back to how they were at
//! the recovery point; Cancel discards. By the API reference: the point is at least 15
//! minutes back and within the plan's period (1 day Essentials, 14 days Plus; none in
//! Lite); a preview not started or cancelled within 24 hours expires; users who
//! changed their password after the point keep their current password; pool
//! configuration (clients, schema) is not restored. A preview is computed at once, so
//! PREVIEW_GENERATING and RESTORING are never seen here.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::imported_hashes::{self, ImportedHashRecord};
use super::records::{GroupRecord, MembershipRecord, PoolRecord, UserRecord};
use super::state::{RestoreStatus, Tier};
use super::{Ctx, groups, pools, users};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::{Before, Record};

/// The newest point a recovery may go back to.
const MIN_AGE_SECS: i64 = 15 * 60;
/// How long a preview waits for Start or Cancel.
const PREVIEW_SECS: i64 = 24 * 3600;

/// A recovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecoveryRecord {
    /// `RestoreId`, a v4 UUID.
    pub id: String,
    pub status: RestoreStatus,
    /// The recovery point.
    pub restore_at: UnixTime,
    /// When it was initiated: the end of the changes it reverts.
    pub trigger_at: UnixTime,
    /// `(entity, creates, updates, deletes)`.
    pub preview: Vec<(String, u64, u64, u64)>,
}

impl Record for RecoveryRecord {
    const KIND: &'static str = "recovery";
}

fn key(id: &str) -> String {
    format!("recovery\u{1f}{id}")
}

fn save(ctx: &Ctx<'_>, pool: &PoolRecord, recovery: &RecoveryRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&pool.id, &key(&recovery.id), recovery)?)
}

/// A pool's recoveries, newest first, previews past their day expired.
pub fn list(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Vec<RecoveryRecord>> {
    let mut all = Vec::new();
    for (k, mut recovery) in ctx
        .tx()
        .list::<RecoveryRecord>(&pool.id, None, usize::MAX)?
    {
        if !k.starts_with("recovery\u{1f}") {
            continue;
        }
        if recovery.status == RestoreStatus::PreviewGenerated
            && ctx.now.secs() > recovery.trigger_at.secs() + PREVIEW_SECS
        {
            recovery.status = RestoreStatus::PreviewExpired;
            save(ctx, pool, &recovery)?;
        }
        all.push(recovery);
    }
    all.sort_by(|a, b| {
        b.trigger_at
            .cmp(&a.trigger_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    Ok(all)
}

/// A recovery of the pool.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<RecoveryRecord> {
    list(ctx, pool)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| CognitoError::not_found(format!("Recovery {id} does not exist.")))
}

/// The recovery that pauses the pool's writes, if one does.
fn active(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Option<RecoveryRecord>> {
    Ok(list(ctx, pool)?.into_iter().find(|r| {
        matches!(
            r.status,
            RestoreStatus::PreviewGenerated | RestoreStatus::Restoring
        )
    }))
}

/// The refusal of a write while a recovery is under way ("Amazon Cognito blocks
/// operations that write to the user pool"; the model lists
/// OperationNotEnabledException for them).
pub fn check_writable(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<()> {
    match active(ctx, pool)? {
        None => Ok(()),
        Some(recovery) => Err(CognitoError::new(
            ErrorKind::OperationNotEnabledException,
            format!(
                "User pool {} is being recovered ({}): write operations are paused.",
                pool.id, recovery.id
            ),
        )),
    }
}

/// InitiatePointInTimeRecovery.
pub fn initiate(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    restore_at: UnixTime,
) -> OpResult<RecoveryRecord> {
    let period = match pools::tier(pool) {
        Tier::Lite => {
            return Err(CognitoError::new(
                ErrorKind::FeatureUnavailableInTierException,
                "Point-in-time recovery needs the ESSENTIALS or PLUS tier.",
            ));
        }
        Tier::Essentials => 86_400,
        Tier::Plus => 14 * 86_400,
    };
    let age = ctx.now.secs() - restore_at.secs();
    if age < MIN_AGE_SECS || age > period {
        return Err(CognitoError::invalid_parameter(format!(
            "The recovery point must be at least 15 minutes in the past and at most {} days back for the {} tier.",
            period / 86_400,
            pools::tier(pool).as_str()
        )));
    }
    if active(ctx, pool)?.is_some() {
        return Err(CognitoError::new(
            ErrorKind::ConcurrentModificationException,
            format!("A recovery of user pool {} is under way.", pool.id),
        ));
    }
    let recovery = RecoveryRecord {
        id: uuid::Uuid::new_v4().to_string(),
        status: RestoreStatus::PreviewGenerated,
        restore_at,
        trigger_at: ctx.now,
        preview: preview(ctx, pool, restore_at)?,
    };
    save(ctx, pool, &recovery)?;
    Ok(recovery)
}

/// What the recovery would do, per entity: Users, Groups, User MFAs, Passkeys.
fn preview(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    at: UnixTime,
) -> OpResult<Vec<(String, u64, u64, u64)>> {
    let mut counts = [(0u64, 0u64, 0u64); 3];
    for before in ctx.tx().changed_since(&pool.id, at)? {
        let slot = match before.kind.as_str() {
            UserRecord::KIND => 0,
            GroupRecord::KIND => 1,
            _ => continue,
        };
        let exists_now = match slot {
            0 => users::by_username(ctx, pool, &before.key)?.is_some(),
            _ => ctx
                .tx()
                .get::<GroupRecord>(&pool.id, &before.key)?
                .is_some(),
        };
        let count = &mut counts[slot];
        match (&before.data, exists_now) {
            (None, true) => count.2 += 1,
            (Some(_), false) => count.0 += 1,
            (Some(_), true) => count.1 += 1,
            (None, false) => {}
        }
        // A user whose MFA settings differ from then.
        if slot == 0
            && let (Some(then), Some(current)) = (
                before
                    .data
                    .as_deref()
                    .and_then(|d| serde_json::from_str::<UserRecord>(d).ok()),
                users::by_username(ctx, pool, &before.key)?,
            )
            && then.mfa != current.mfa
        {
            counts[2].1 += 1;
        }
    }
    Ok(vec![
        ("Users".to_owned(), counts[0].0, counts[0].1, counts[0].2),
        ("Groups".to_owned(), counts[1].0, counts[1].1, counts[1].2),
        (
            "User MFAs".to_owned(),
            counts[2].0,
            counts[2].1,
            counts[2].2,
        ),
        ("Passkeys".to_owned(), 0, 0, 0),
    ])
}

/// StartPointInTimeRecovery: the pool's user data back to the recovery point.
pub fn start(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<RecoveryRecord> {
    let mut recovery = get(ctx, pool, id)?;
    if recovery.status != RestoreStatus::PreviewGenerated {
        return Err(CognitoError::invalid_parameter(format!(
            "Recovery {id} is {} and cannot be started.",
            recovery.status
        )));
    }
    // The whole restore is this one transaction: no other write can come between, and
    // with the recovery marked done first, its own writes are not paused.
    recovery.status = RestoreStatus::RestoreCompleted;
    save(ctx, pool, &recovery)?;
    let changes = ctx.tx().changed_since(&pool.id, recovery.restore_at)?;
    // Users created after the point go first (freeing the aliases they took), then
    // groups, the other users, and memberships (which need both sides).
    let created_since = |b: &&Before| b.kind == UserRecord::KIND && b.data.is_none();
    for before in changes.iter().filter(created_since) {
        restore(ctx, pool, before)?;
    }
    let kinds = [
        GroupRecord::KIND,
        UserRecord::KIND,
        ImportedHashRecord::KIND,
        MembershipRecord::KIND,
    ];
    for kind in kinds {
        for before in changes
            .iter()
            .filter(|b| b.kind == kind && !created_since(b))
        {
            restore(ctx, pool, before)?;
        }
    }
    Ok(recovery)
}

/// One record back to its state `before`.
fn restore(ctx: &Ctx<'_>, pool: &PoolRecord, before: &Before) -> OpResult<()> {
    match before.kind.as_str() {
        UserRecord::KIND => {
            let current = users::by_username(ctx, pool, &before.key)?;
            match (&before.data, current) {
                (None, Some(current)) => users::delete(ctx, pool, &current)?,
                (Some(data), current) => {
                    let mut then: UserRecord = decode(data)?;
                    // "Users who changed their password after the recovery point keep
                    // their current password."
                    if let Some(current) = current {
                        then.password = current.password;
                    }
                    users::save(ctx, pool, &then)?;
                }
                (None, None) => {}
            }
        }
        GroupRecord::KIND => {
            let current = ctx.tx().get::<GroupRecord>(&pool.id, &before.key)?;
            match (&before.data, current) {
                (None, Some(current)) => groups::delete(ctx, pool, &current)?,
                (Some(data), _) => groups::save(ctx, pool, &decode::<GroupRecord>(data)?)?,
                (None, None) => {}
            }
        }
        // An imported hash comes back only to a user still without a password.
        ImportedHashRecord::KIND => match &before.data {
            None => {
                ctx.tx()
                    .delete::<ImportedHashRecord>(&pool.id, &before.key)?;
            }
            Some(data) => {
                let username = imported_hashes::owner(&before.key).unwrap_or_default();
                if users::by_username(ctx, pool, username)?.is_some_and(|u| u.password.is_none()) {
                    let record: ImportedHashRecord = decode(data)?;
                    imported_hashes::put(ctx, pool, username, &record)?;
                }
            }
        },
        MembershipRecord::KIND => match &before.data {
            None => {
                ctx.tx().delete::<MembershipRecord>(&pool.id, &before.key)?;
            }
            Some(data) => {
                let membership: MembershipRecord = decode(data)?;
                if users::by_username(ctx, pool, &membership.username)?.is_some() {
                    groups::put_membership(ctx, pool, &membership)?;
                }
            }
        },
        _ => {}
    }
    Ok(())
}

/// CancelPointInTimeRecovery: the preview discarded, writes resumed.
pub fn cancel(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<RecoveryRecord> {
    let mut recovery = get(ctx, pool, id)?;
    if recovery.status != RestoreStatus::PreviewGenerated {
        return Err(CognitoError::invalid_parameter(format!(
            "Recovery {id} is {} and cannot be cancelled.",
            recovery.status
        )));
    }
    recovery.status = RestoreStatus::PreviewCancelled;
    save(ctx, pool, &recovery)?;
    Ok(recovery)
}

/// A `RestorationType`, with its preview or without.
pub fn describe(recovery: &RecoveryRecord, with_preview: bool) -> Value {
    let mut out = json!({
        "RestoreId": recovery.id,
        "RestoreStatus": recovery.status,
        "RestoreTimestamp": recovery.restore_at,
    });
    if with_preview {
        out["TriggerTimestamp"] = json!(recovery.trigger_at);
        out["RestorePreview"] = json!(
            recovery
                .preview
                .iter()
                .map(|(entity, create, update, delete)| json!({
                    "Entity": entity,
                    "CreateCount": create,
                    "UpdateCount": update,
                    "DeleteCount": delete,
                }))
                .collect::<Vec<_>>()
        );
    }
    out
}

fn decode<T: serde::de::DeserializeOwned>(data: &str) -> OpResult<T> {
    serde_json::from_str(data).map_err(CognitoError::internal)
}
