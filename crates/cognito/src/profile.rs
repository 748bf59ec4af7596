//! The user's profile: attributes, their verification, and deleting the user.

use crate::attributes::{Attributes, CodeDelivery};
use crate::tokens::TokenSet;
use crate::{Cognito, Result};

impl Cognito {
    /// Updates the signed-in user's attributes (`UpdateUserAttributes`). Changing an
    /// email or phone number sends a code to verify it; where it went is returned.
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// use cognito::Attributes;
    /// cognito.update_profile(&tokens, Attributes::new().set("given_name", "Ada")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_profile(
        &self,
        tokens: &TokenSet,
        attributes: Attributes,
    ) -> Result<Vec<CodeDelivery>> {
        let output = self
            .sdk()
            .update_user_attributes()
            .access_token(tokens.access_token())
            .set_user_attributes(Some(attributes.to_sdk()))
            .send()
            .await?;
        Ok(output
            .code_delivery_details_list()
            .iter()
            .map(CodeDelivery::from)
            .collect())
    }

    /// Updates any user's attributes (`AdminUpdateUserAttributes`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_update_profile("ada", cognito::Attributes::new().set("name", "Ada")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_update_profile(&self, username: &str, attributes: Attributes) -> Result<()> {
        self.sdk()
            .admin_update_user_attributes()
            .user_pool_id(self.pool_id())
            .username(username)
            .set_user_attributes(Some(attributes.to_sdk()))
            .send()
            .await?;
        Ok(())
    }

    /// Sends a code to verify an attribute (`GetUserAttributeVerificationCode`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// let sent = cognito.send_verification(&tokens, "email").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_verification(
        &self,
        tokens: &TokenSet,
        attribute: &str,
    ) -> Result<CodeDelivery> {
        let output = self
            .sdk()
            .get_user_attribute_verification_code()
            .access_token(tokens.access_token())
            .attribute_name(attribute)
            .send()
            .await?;
        Ok(output
            .code_delivery_details()
            .map(CodeDelivery::from)
            .unwrap_or(CodeDelivery {
                destination: None,
                medium: None,
                attribute: Some(attribute.to_owned()),
            }))
    }

    /// Verifies an attribute with the code sent (`VerifyUserAttribute`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.validate_verification(&tokens, "email", "123456").await?;
    /// # Ok(()) }
    /// ```
    pub async fn validate_verification(
        &self,
        tokens: &TokenSet,
        attribute: &str,
        code: &str,
    ) -> Result<()> {
        self.sdk()
            .verify_user_attribute()
            .access_token(tokens.access_token())
            .attribute_name(attribute)
            .code(code)
            .send()
            .await?;
        Ok(())
    }

    /// Deletes attributes of the signed-in user (`DeleteUserAttributes`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.delete_attributes(&tokens, &["given_name"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_attributes(&self, tokens: &TokenSet, names: &[&str]) -> Result<()> {
        self.sdk()
            .delete_user_attributes()
            .access_token(tokens.access_token())
            .set_user_attribute_names(Some(names.iter().map(|n| (*n).to_owned()).collect()))
            .send()
            .await?;
        Ok(())
    }

    /// Deletes attributes of any user (`AdminDeleteUserAttributes`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_delete_attributes("ada", &["custom:city"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_delete_attributes(&self, username: &str, names: &[&str]) -> Result<()> {
        self.sdk()
            .admin_delete_user_attributes()
            .user_pool_id(self.pool_id())
            .username(username)
            .set_user_attribute_names(Some(names.iter().map(|n| (*n).to_owned()).collect()))
            .send()
            .await?;
        Ok(())
    }

    /// Deletes the signed-in user (`DeleteUser`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.delete_user(&tokens).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_user(&self, tokens: &TokenSet) -> Result<()> {
        self.sdk()
            .delete_user()
            .access_token(tokens.access_token())
            .send()
            .await?;
        Ok(())
    }
}
