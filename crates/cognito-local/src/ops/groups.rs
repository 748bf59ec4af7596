//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
//! AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Ctx, directory, page, pool, validate};
use crate::model::put;
use crate::model::user::user_type;
use crate::protocol::{CognitoError, ErrorKind, OpResult};
use crate::store::{GroupRecord, MembershipRecord, PoolRecord, UserRecord};

fn membership_key(group: &str, username: &str) -> String {
    format!("{group}\u{1f}{username}")
}

/// A `GroupType`.
pub fn group_type(pool_id: &str, group: &GroupRecord) -> Value {
    let mut out = Map::new();
    put(&mut out, "GroupName", json!(group.name));
    put(&mut out, "UserPoolId", json!(pool_id));
    put(&mut out, "Description", json!(group.description));
    put(&mut out, "RoleArn", json!(group.role_arn));
    put(&mut out, "Precedence", json!(group.precedence));
    put(&mut out, "LastModifiedDate", json!(group.modified));
    put(&mut out, "CreationDate", json!(group.created));
    Value::Object(out)
}

fn check_name(name: &str) -> OpResult<()> {
    if !(1..=128).contains(&name.chars().count()) || name.chars().any(char::is_whitespace) {
        return Err(CognitoError::validation(
            "groupName",
            Some(name),
            "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(())
}

fn check_details(description: &Option<String>, precedence: Option<i64>) -> OpResult<()> {
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 2048)
    {
        return Err(CognitoError::validation(
            "description",
            None,
            "Member must have length less than or equal to 2048",
        ));
    }
    if precedence.is_some_and(|p| p < 0) {
        return Err(CognitoError::validation(
            "precedence",
            Some(&precedence.unwrap_or_default().to_string()),
            "Member must have value greater than or equal to 0",
        ));
    }
    Ok(())
}

fn group(ctx: &Ctx<'_>, pool: &PoolRecord, name: &str) -> OpResult<GroupRecord> {
    check_name(name)?;
    ctx.store
        .get(&pool.id, name)?
        .ok_or_else(|| CognitoError::not_found("Group not found."))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateGroupRequest {
    group_name: String,
    user_pool_id: String,
    description: Option<String>,
    role_arn: Option<String>,
    precedence: Option<i64>,
}

pub fn create_group(ctx: &Ctx<'_>, req: CreateGroupRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    check_name(&req.group_name)?;
    check_details(&req.description, req.precedence)?;
    let record = GroupRecord {
        name: req.group_name,
        description: req.description,
        role_arn: req.role_arn,
        precedence: req.precedence,
        created: ctx.now,
        modified: ctx.now,
    };
    if !ctx.store.insert(&pool.id, &record.name, &record)? {
        return Err(CognitoError::new(
            ErrorKind::GroupExistsException,
            format!("A group with the name {} already exists.", record.name),
        ));
    }
    Ok(json!({ "Group": group_type(&pool.id, &record) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRequest {
    group_name: String,
    user_pool_id: String,
}

pub fn get_group(ctx: &Ctx<'_>, req: GroupRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    Ok(json!({ "Group": group_type(&pool.id, &record) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateGroupRequest {
    group_name: String,
    user_pool_id: String,
    description: Option<String>,
    role_arn: Option<String>,
    precedence: Option<i64>,
}

pub fn update_group(ctx: &Ctx<'_>, req: UpdateGroupRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let mut record = group(ctx, &pool, &req.group_name)?;
    check_details(&req.description, req.precedence)?;
    if req.description.is_some() {
        record.description = req.description;
    }
    if req.role_arn.is_some() {
        record.role_arn = req.role_arn;
    }
    if req.precedence.is_some() {
        record.precedence = req.precedence;
    }
    record.modified = ctx.now;
    ctx.store.put(&pool.id, &record.name, &record)?;
    Ok(json!({ "Group": group_type(&pool.id, &record) }))
}

fn memberships(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Vec<(String, MembershipRecord)>> {
    Ok(ctx
        .store
        .list::<MembershipRecord>(&pool.id, None, usize::MAX)?)
}

pub fn delete_group(ctx: &Ctx<'_>, req: GroupRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    for (key, m) in memberships(ctx, &pool)? {
        if m.group == record.name {
            ctx.store.delete::<MembershipRecord>(&pool.id, &key)?;
        }
    }
    ctx.store.delete::<GroupRecord>(&pool.id, &record.name)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsRequest {
    user_pool_id: String,
    limit: Option<i64>,
    next_token: Option<String>,
}

pub fn list_groups(ctx: &Ctx<'_>, req: ListGroupsRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let limit = validate::max_results("limit", req.limit.unwrap_or(60), 60)?;
    let all = ctx.store.list::<GroupRecord>(&pool.id, None, usize::MAX)?;
    let (groups, next) = page(all, req.next_token.as_deref(), limit);
    let groups: Vec<Value> = groups.iter().map(|g| group_type(&pool.id, g)).collect();
    Ok(crate::model::page("Groups", groups, "NextToken", next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MembershipRequest {
    user_pool_id: String,
    username: String,
    group_name: String,
}

pub fn admin_add_user_to_group(ctx: &Ctx<'_>, req: MembershipRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    let user = directory::require(ctx, &pool, &req.username)?;
    let membership = MembershipRecord {
        group: record.name.clone(),
        username: user.username.clone(),
    };
    ctx.store.put(
        &pool.id,
        &membership_key(&record.name, &user.username),
        &membership,
    )?;
    Ok(json!({}))
}

pub fn admin_remove_user_from_group(ctx: &Ctx<'_>, req: MembershipRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    let user = directory::require(ctx, &pool, &req.username)?;
    ctx.store
        .delete::<MembershipRecord>(&pool.id, &membership_key(&record.name, &user.username))?;
    Ok(json!({}))
}

/// The groups of a user, by precedence then name (the order of `cognito:groups`).
pub fn groups_of(ctx: &Ctx<'_>, pool: &PoolRecord, username: &str) -> OpResult<Vec<GroupRecord>> {
    let mut groups = Vec::new();
    for (_, m) in memberships(ctx, pool)? {
        if m.username == username
            && let Some(g) = ctx.store.get::<GroupRecord>(&pool.id, &m.group)?
        {
            groups.push(g);
        }
    }
    groups.sort_by(|a, b| {
        (a.precedence.unwrap_or(i64::MAX), &a.name)
            .cmp(&(b.precedence.unwrap_or(i64::MAX), &b.name))
    });
    Ok(groups)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListGroupsForUserRequest {
    username: String,
    user_pool_id: String,
    limit: Option<i64>,
    next_token: Option<String>,
}

pub fn admin_list_groups_for_user(
    ctx: &Ctx<'_>,
    req: AdminListGroupsForUserRequest,
) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let limit = validate::max_results("limit", req.limit.unwrap_or(60), 60)?;
    let user = directory::require(ctx, &pool, &req.username)?;
    let mut groups: Vec<(String, GroupRecord)> = groups_of(ctx, &pool, &user.username)?
        .into_iter()
        .map(|g| (g.name.clone(), g))
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let (groups, next) = page(groups, req.next_token.as_deref(), limit);
    let groups: Vec<Value> = groups.iter().map(|g| group_type(&pool.id, g)).collect();
    Ok(crate::model::page("Groups", groups, "NextToken", next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupRequest {
    user_pool_id: String,
    group_name: String,
    limit: Option<i64>,
    next_token: Option<String>,
}

pub fn list_users_in_group(ctx: &Ctx<'_>, req: ListUsersInGroupRequest) -> OpResult<Value> {
    let pool = pool(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    let limit = validate::max_results("limit", req.limit.unwrap_or(60), 60)?;
    let mut users = Vec::new();
    for (_, m) in memberships(ctx, &pool)? {
        if m.group == record.name
            && let Some(user) = ctx.store.get::<UserRecord>(&pool.id, &m.username)?
        {
            users.push((m.username.clone(), user));
        }
    }
    let (users, next) = page(users, req.next_token.as_deref(), limit);
    let users: Vec<Value> = users.iter().map(|u| user_type(u, None)).collect();
    Ok(crate::model::page("Users", users, "NextToken", next))
}
