//! Groups: the `Group` object, and group membership.

use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::types::GroupType;

use crate::attributes::to_system_time;
use crate::pages::all_pages;
use crate::users::User;
use crate::{Cognito, Error, Result};

/// A group of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its precedence (lower wins for `cognito:preferred_role`).
    pub precedence: Option<i32>,
    /// Its IAM role.
    pub role_arn: Option<String>,
    /// When it was created.
    pub created: Option<SystemTime>,
    /// When it was last changed.
    pub modified: Option<SystemTime>,
}

impl From<&GroupType> for Group {
    fn from(group: &GroupType) -> Self {
        Group {
            name: group.group_name().unwrap_or_default().to_owned(),
            description: group.description().map(str::to_owned),
            precedence: group.precedence(),
            role_arn: group.role_arn().map(str::to_owned),
            created: group.creation_date().and_then(to_system_time),
            modified: group.last_modified_date().and_then(to_system_time),
        }
    }
}

impl Cognito {
    /// One group (`GetGroup`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let group = cognito.get_group("admins").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_group(&self, name: &str) -> Result<Group> {
        let output = self
            .sdk()
            .get_group()
            .user_pool_id(self.pool_id())
            .group_name(name)
            .send()
            .await?;
        output
            .group()
            .map(Group::from)
            .ok_or_else(|| Error::UnexpectedResponse("GetGroup returned no group".into()))
    }

    /// Every group of the pool (`ListGroups`, every page).
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// for group in cognito.list_groups().await? {
    ///     println!("{} ({:?})", group.name, group.precedence);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_groups(&self) -> Result<Vec<Group>> {
        all_pages(|token| async move {
            let output = self
                .sdk()
                .list_groups()
                .user_pool_id(self.pool_id())
                .set_next_token(token)
                .send()
                .await?;
            let groups = output.groups().iter().map(Group::from).collect();
            Ok((groups, output.next_token().map(str::to_owned)))
        })
        .await
    }

    /// Creates a group (`CreateGroup`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let group = cognito.create_group("admins", Some("Administrators"), Some(1)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_group(
        &self,
        name: &str,
        description: Option<&str>,
        precedence: Option<i32>,
    ) -> Result<Group> {
        let output = self
            .sdk()
            .create_group()
            .user_pool_id(self.pool_id())
            .group_name(name)
            .set_description(description.map(str::to_owned))
            .set_precedence(precedence)
            .send()
            .await?;
        output
            .group()
            .map(Group::from)
            .ok_or_else(|| Error::UnexpectedResponse("CreateGroup returned no group".into()))
    }

    /// Deletes a group (`DeleteGroup`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.delete_group("admins").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_group(&self, name: &str) -> Result<()> {
        self.sdk()
            .delete_group()
            .user_pool_id(self.pool_id())
            .group_name(name)
            .send()
            .await?;
        Ok(())
    }

    /// Adds a user to a group (`AdminAddUserToGroup`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.add_user_to_group("ada", "admins").await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_user_to_group(&self, username: &str, group: &str) -> Result<()> {
        self.sdk()
            .admin_add_user_to_group()
            .user_pool_id(self.pool_id())
            .username(username)
            .group_name(group)
            .send()
            .await?;
        Ok(())
    }

    /// Removes a user from a group (`AdminRemoveUserFromGroup`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.remove_user_from_group("ada", "admins").await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_user_from_group(&self, username: &str, group: &str) -> Result<()> {
        self.sdk()
            .admin_remove_user_from_group()
            .user_pool_id(self.pool_id())
            .username(username)
            .group_name(group)
            .send()
            .await?;
        Ok(())
    }

    /// The groups of a user (`AdminListGroupsForUser`, every page).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let groups = cognito.list_groups_for_user("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_groups_for_user(&self, username: &str) -> Result<Vec<Group>> {
        all_pages(|token| async move {
            let output = self
                .sdk()
                .admin_list_groups_for_user()
                .user_pool_id(self.pool_id())
                .username(username)
                .set_next_token(token)
                .send()
                .await?;
            let groups = output.groups().iter().map(Group::from).collect();
            Ok((groups, output.next_token().map(str::to_owned)))
        })
        .await
    }

    /// The users in a group (`ListUsersInGroup`, every page).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let members = cognito.list_users_in_group("admins").await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_users_in_group(&self, group: &str) -> Result<Vec<User>> {
        all_pages(|token| async move {
            let output = self
                .sdk()
                .list_users_in_group()
                .user_pool_id(self.pool_id())
                .group_name(group)
                .set_next_token(token)
                .send()
                .await?;
            let users = output.users().iter().map(User::from).collect();
            Ok((users, output.next_token().map(str::to_owned)))
        })
        .await
    }
}
