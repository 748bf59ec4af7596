//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
//! AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::page;
use crate::domain::records::{GroupRecord, PoolRecord};
use crate::domain::{Ctx, groups, pools, users};
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::model::group::GroupType;
use crate::model::user::UserType;
use crate::validate;

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
    groups::get(ctx, pool, name)
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
    let pool = pools::get(ctx, &req.user_pool_id)?;
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
    if !groups::create(ctx, &pool, &record)? {
        return Err(CognitoError::new(
            ErrorKind::GroupExistsException,
            format!("A group with the name {} already exists.", record.name),
        ));
    }
    Ok(json!({ "Group": GroupType::of(&pool.id, &record) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRequest {
    group_name: String,
    user_pool_id: String,
}

pub fn get_group(ctx: &Ctx<'_>, req: GroupRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    Ok(json!({ "Group": GroupType::of(&pool.id, &record) }))
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
    let pool = pools::get(ctx, &req.user_pool_id)?;
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
    groups::save(ctx, &pool, &record)?;
    Ok(json!({ "Group": GroupType::of(&pool.id, &record) }))
}

pub fn delete_group(ctx: &Ctx<'_>, req: GroupRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    groups::delete(ctx, &pool, &record)?;
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
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.limit);
    let listed = groups::list(ctx, &pool, req.next_token.as_deref(), limit + 1)?;
    let (listed, next) = page(listed, None, limit);
    let listed: Vec<GroupType> = listed.iter().map(|g| GroupType::of(&pool.id, g)).collect();
    Ok(crate::model::page("Groups", &listed, "NextToken", next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MembershipRequest {
    user_pool_id: String,
    username: String,
    group_name: String,
}

pub fn admin_add_user_to_group(ctx: &Ctx<'_>, req: MembershipRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    let user = users::require(ctx, &pool, &req.username)?;
    groups::add_member(ctx, &pool, &record, &user)?;
    Ok(json!({}))
}

pub fn admin_remove_user_from_group(ctx: &Ctx<'_>, req: MembershipRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    let user = users::require(ctx, &pool, &req.username)?;
    groups::remove_member(ctx, &pool, &record, &user)?;
    Ok(json!({}))
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
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let limit = validate::page_size(req.limit);
    let user = users::require(ctx, &pool, &req.username)?;
    let mut mine: Vec<(String, GroupRecord)> = groups::of_user(ctx, &pool, &user.username)?
        .into_iter()
        .map(|g| (g.name.clone(), g))
        .collect();
    mine.sort_by(|a, b| a.0.cmp(&b.0));
    let (mine, next) = page(mine, req.next_token.as_deref(), limit);
    let mine: Vec<GroupType> = mine.iter().map(|g| GroupType::of(&pool.id, g)).collect();
    Ok(crate::model::page("Groups", &mine, "NextToken", next))
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
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let record = group(ctx, &pool, &req.group_name)?;
    let limit = validate::page_size(req.limit);
    let members = groups::members(ctx, &pool, &record)?;
    let (members, next) = page(members, req.next_token.as_deref(), limit);
    let members: Vec<UserType> = members.iter().map(|u| UserType::of(u, None)).collect();
    Ok(crate::model::page("Users", &members, "NextToken", next))
}
