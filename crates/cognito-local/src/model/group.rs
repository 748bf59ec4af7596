//! `GroupType`.

use serde::Serialize;

use crate::clock::UnixTime;
use crate::domain::records::GroupRecord;

/// A `GroupType`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupType {
    group_name: String,
    user_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precedence: Option<i64>,
    last_modified_date: UnixTime,
    creation_date: UnixTime,
}

impl GroupType {
    /// A group of pool `pool_id`.
    pub fn of(pool_id: &str, group: &GroupRecord) -> Self {
        Self {
            group_name: group.name.clone(),
            user_pool_id: pool_id.to_owned(),
            description: group.description.clone(),
            role_arn: group.role_arn.clone(),
            precedence: group.precedence,
            last_modified_date: group.modified,
            creation_date: group.created,
        }
    }
}
