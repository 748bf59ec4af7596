//! The stored records of a pool's groups and of their members (kept with the other
//! records' stored forms: change them only with a migration).

use serde::{Deserialize, Serialize};

use crate::clock::UnixTime;
use crate::store::Record;

/// A group of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct GroupRecord {
    /// The name.
    pub name: String,
    /// A description.
    pub description: Option<String>,
    /// An IAM role ARN.
    pub role_arn: Option<String>,
    /// Lower comes first in `cognito:preferred_role`.
    pub precedence: Option<i64>,
    /// When it was created.
    pub created: UnixTime,
    /// When it last changed.
    pub modified: UnixTime,
}

impl Record for GroupRecord {
    const KIND: &'static str = "group";
    const JOURNALED: bool = true;
}

/// A user's membership of a group, keyed `group\u{1f}username`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MembershipRecord {
    /// The group.
    pub group: String,
    /// The user.
    pub username: String,
}

impl Record for MembershipRecord {
    const KIND: &'static str = "membership";
    const JOURNALED: bool = true;
}
