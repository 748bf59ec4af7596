//! Users: the `User` object, reading users (self and admin), listing them as a
//! stream, and the admin operations on one user.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, DeliveryMediumType, MessageActionType, UserType,
};
use futures_util::stream::{self, Stream};

use crate::attributes::{Attributes, attribute_map, to_system_time};
use crate::tokens::TokenSet;
use crate::{Cognito, Error, Result};

/// A user of the pool, with its attributes.
///
/// Change attributes with [`set`](Self::set) and write the changes back with
/// [`save`](Self::save) (as the user) or [`admin_save`](Self::admin_save).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user name in the pool.
    pub username: String,
    /// Every attribute, by Cognito's name (`sub`, `email`, `custom:city`…).
    pub attributes: BTreeMap<String, String>,
    /// Whether the user is enabled (admin reads only).
    pub enabled: Option<bool>,
    /// `CONFIRMED`, `UNCONFIRMED`, `FORCE_CHANGE_PASSWORD`… (admin reads only).
    pub status: Option<String>,
    /// When the user was created (admin reads only).
    pub created: Option<SystemTime>,
    /// When the user was last changed (admin reads only).
    pub modified: Option<SystemTime>,
    /// The preferred MFA (`SOFTWARE_TOKEN_MFA` or `SMS_MFA`), when set.
    pub preferred_mfa: Option<String>,
    /// The MFA methods enabled for the user.
    pub mfa_methods: Vec<String>,
    changed: BTreeSet<String>,
}

impl User {
    fn new(username: &str, attributes: &[AttributeType]) -> Self {
        User {
            username: username.to_owned(),
            attributes: attribute_map(attributes),
            enabled: None,
            status: None,
            created: None,
            modified: None,
            preferred_mfa: None,
            mfa_methods: Vec::new(),
            changed: BTreeSet::new(),
        }
    }

    /// The user's immutable id.
    pub fn sub(&self) -> Option<&str> {
        self.attribute("sub")
    }

    /// An attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// The attributes under the app's names (pycognito's `attr_map`: app name → Cognito name).
    pub fn mapped_attributes(
        &self,
        attr_map: &HashMap<String, String>,
    ) -> BTreeMap<String, String> {
        let reverse: HashMap<&str, &str> = attr_map
            .iter()
            .map(|(app, cognito)| (cognito.as_str(), app.as_str()))
            .collect();
        self.attributes
            .iter()
            .map(|(name, value)| {
                let name = reverse.get(name.as_str()).copied().unwrap_or(name);
                (name.to_owned(), value.clone())
            })
            .collect()
    }

    /// Changes an attribute locally; [`save`](Self::save) sends the changes.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.attributes.insert(name.clone(), value.into());
        self.changed.insert(name);
    }

    fn changes(&self) -> Attributes {
        self.changed
            .iter()
            .filter_map(|name| Some((name.clone(), self.attributes.get(name)?.clone())))
            .collect()
    }

    /// Sends the changed attributes as the user (`UpdateUserAttributes`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// let mut user = cognito.get_user(&tokens).await?;
    /// user.set("given_name", "Ada");
    /// user.save(&cognito, &tokens).await?;
    /// # Ok(()) }
    /// ```
    pub async fn save(&mut self, cognito: &Cognito, tokens: &TokenSet) -> Result<()> {
        if !self.changed.is_empty() {
            cognito.update_profile(tokens, self.changes()).await?;
            self.changed.clear();
        }
        Ok(())
    }

    /// Sends the changed attributes as an administrator (`AdminUpdateUserAttributes`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let mut user = cognito.admin_get_user("ada").await?;
    /// user.set("custom:city", "London");
    /// user.admin_save(&cognito).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_save(&mut self, cognito: &Cognito) -> Result<()> {
        if !self.changed.is_empty() {
            cognito
                .admin_update_profile(&self.username, self.changes())
                .await?;
            self.changed.clear();
        }
        Ok(())
    }

    /// Deletes the user as an administrator (`AdminDeleteUser`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_get_user("ada").await?.admin_delete(&cognito).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_delete(self, cognito: &Cognito) -> Result<()> {
        cognito.admin_delete_user(&self.username).await
    }
}

impl From<&UserType> for User {
    fn from(user: &UserType) -> Self {
        User {
            enabled: Some(user.enabled()),
            status: user.user_status().map(|s| s.as_str().to_owned()),
            created: user.user_create_date().and_then(to_system_time),
            modified: user.user_last_modified_date().and_then(to_system_time),
            ..User::new(user.username().unwrap_or_default(), user.attributes())
        }
    }
}

/// How [`Cognito::admin_create_user`] creates a user.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// The user's attributes.
    pub attributes: Attributes,
    /// The temporary password; Cognito generates one when `None`.
    pub temporary_password: Option<String>,
    /// Send no invitation message.
    pub suppress_message: bool,
    /// Send the invitation by email (otherwise by SMS when only a phone number is set).
    pub email_invitation: bool,
}

impl Cognito {
    /// The signed-in user (`GetUser`).
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// let user = cognito.get_user(&tokens).await?;
    /// println!("{} <{}>", user.username, user.attribute("email").unwrap_or("-"));
    /// # Ok(()) }
    /// ```
    pub async fn get_user(&self, tokens: &TokenSet) -> Result<User> {
        let output = self
            .sdk()
            .get_user()
            .access_token(tokens.access_token())
            .send()
            .await?;
        let mut user = User::new(output.username(), output.user_attributes());
        user.preferred_mfa = output.preferred_mfa_setting().map(str::to_owned);
        user.mfa_methods = output.user_mfa_setting_list().to_vec();
        Ok(user)
    }

    /// Any user of the pool (`AdminGetUser`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let user = cognito.admin_get_user("ada").await?;
    /// println!("{:?} {:?}", user.status, user.enabled);
    /// # Ok(()) }
    /// ```
    pub async fn admin_get_user(&self, username: &str) -> Result<User> {
        let output = self
            .sdk()
            .admin_get_user()
            .user_pool_id(self.pool_id())
            .username(username)
            .send()
            .await?;
        let mut user = User::new(output.username(), output.user_attributes());
        user.enabled = Some(output.enabled());
        user.status = output.user_status().map(|s| s.as_str().to_owned());
        user.created = output.user_create_date().and_then(to_system_time);
        user.modified = output.user_last_modified_date().and_then(to_system_time);
        user.preferred_mfa = output.preferred_mfa_setting().map(str::to_owned);
        user.mfa_methods = output.user_mfa_setting_list().to_vec();
        Ok(user)
    }

    /// Every user of the pool, page by page (`ListUsers`), optionally filtered
    /// (`email = "ada@example.com"`, `username ^= "a"`…).
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// use futures_util::TryStreamExt;
    /// let users: Vec<cognito::User> = cognito.list_users(None).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_users(
        &self,
        filter: Option<&str>,
    ) -> impl Stream<Item = Result<User>> + Send + 'static {
        let cognito = self.clone();
        let filter = filter.map(str::to_owned);
        let pages = stream::try_unfold(Some(None::<String>), move |state| {
            let cognito = cognito.clone();
            let filter = filter.clone();
            async move {
                let Some(token) = state else {
                    return Ok(None);
                };
                let output = cognito
                    .sdk()
                    .list_users()
                    .user_pool_id(cognito.pool_id())
                    .set_filter(filter)
                    .set_pagination_token(token)
                    .send()
                    .await
                    .map_err(Error::from)?;
                let users: Vec<Result<User>> =
                    output.users().iter().map(|u| Ok(User::from(u))).collect();
                let next = output.pagination_token().map(|t| Some(t.to_owned()));
                Ok::<_, Error>(Some((stream::iter(users), next)))
            }
        });
        futures_util::TryStreamExt::try_flatten(pages)
    }

    /// Creates a user as an administrator (`AdminCreateUser`): the user must set a
    /// new password at first login.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// use cognito::{Attributes, NewUser};
    /// let user = cognito.admin_create_user("ada", NewUser {
    ///     attributes: Attributes::new().set("email", "ada@example.com"),
    ///     ..Default::default()
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_create_user(&self, username: &str, new_user: NewUser) -> Result<User> {
        let mut request = self
            .sdk()
            .admin_create_user()
            .user_pool_id(self.pool_id())
            .username(username)
            .set_user_attributes(Some(new_user.attributes.to_sdk()))
            .set_temporary_password(new_user.temporary_password);
        if new_user.suppress_message {
            request = request.message_action(MessageActionType::Suppress);
        }
        if new_user.email_invitation {
            request = request.desired_delivery_mediums(DeliveryMediumType::Email);
        }
        let output = request.send().await?;
        output
            .user()
            .map(User::from)
            .ok_or_else(|| Error::UnexpectedResponse("AdminCreateUser returned no user".into()))
    }

    /// Deletes a user (`AdminDeleteUser`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_delete_user("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_delete_user(&self, username: &str) -> Result<()> {
        self.sdk()
            .admin_delete_user()
            .user_pool_id(self.pool_id())
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// Enables a user (`AdminEnableUser`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_enable_user("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_enable_user(&self, username: &str) -> Result<()> {
        self.sdk()
            .admin_enable_user()
            .user_pool_id(self.pool_id())
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// Disables a user (`AdminDisableUser`): logins then fail with `User is disabled.`
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_disable_user("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_disable_user(&self, username: &str) -> Result<()> {
        self.sdk()
            .admin_disable_user()
            .user_pool_id(self.pool_id())
            .username(username)
            .send()
            .await?;
        Ok(())
    }
}
