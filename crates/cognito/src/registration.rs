//! Sign-up, its confirmation, and passwords (forgotten, changed, reset by an admin).

use crate::attributes::{Attributes, CodeDelivery};
use crate::tokens::TokenSet;
use crate::{Cognito, Result};

/// What [`Cognito::register`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUp {
    /// The new user's `sub`.
    pub user_sub: String,
    /// Whether the user is already confirmed (no code to enter).
    pub confirmed: bool,
    /// Where the confirmation code went.
    pub code_delivery: Option<CodeDelivery>,
}

impl Cognito {
    /// Registers a user (`SignUp`).
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// use cognito::Attributes;
    /// let signed_up = cognito
    ///     .register("ada", "Correct-Horse-1!", Attributes::new()
    ///         .set("email", "ada@example.com")
    ///         .custom("city", "London"))
    ///     .await?;
    /// if !signed_up.confirmed {
    ///     cognito.confirm_sign_up("ada", "123456").await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn register(
        &self,
        username: &str,
        password: &str,
        attributes: Attributes,
    ) -> Result<SignUp> {
        let output = self
            .sdk()
            .sign_up()
            .client_id(self.client_id())
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .password(password)
            .set_user_attributes(Some(attributes.to_sdk()))
            .send()
            .await?;
        Ok(SignUp {
            user_sub: output.user_sub().to_owned(),
            confirmed: output.user_confirmed(),
            code_delivery: output.code_delivery_details().map(CodeDelivery::from),
        })
    }

    /// Confirms a sign-up with the code sent (`ConfirmSignUp`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.confirm_sign_up("ada", "123456").await?;
    /// # Ok(()) }
    /// ```
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<()> {
        self.sdk()
            .confirm_sign_up()
            .client_id(self.client_id())
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .confirmation_code(code)
            .send()
            .await?;
        Ok(())
    }

    /// Confirms a sign-up without a code (`AdminConfirmSignUp`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_confirm_sign_up("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_confirm_sign_up(&self, username: &str) -> Result<()> {
        self.sdk()
            .admin_confirm_sign_up()
            .user_pool_id(self.pool_id())
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// Sends the confirmation code again (`ResendConfirmationCode`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let sent = cognito.resend_confirmation_code("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn resend_confirmation_code(&self, username: &str) -> Result<Option<CodeDelivery>> {
        let output = self
            .sdk()
            .resend_confirmation_code()
            .client_id(self.client_id())
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .send()
            .await?;
        Ok(output.code_delivery_details().map(CodeDelivery::from))
    }

    /// Starts a password reset: a code is sent to the user (`ForgotPassword`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let sent = cognito.forgot_password("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn forgot_password(&self, username: &str) -> Result<Option<CodeDelivery>> {
        let output = self
            .sdk()
            .forgot_password()
            .client_id(self.client_id())
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .send()
            .await?;
        Ok(output.code_delivery_details().map(CodeDelivery::from))
    }

    /// Sets a new password with the code sent (`ConfirmForgotPassword`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.confirm_forgot_password("ada", "123456", "New-Password-2!").await?;
    /// # Ok(()) }
    /// ```
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<()> {
        self.sdk()
            .confirm_forgot_password()
            .client_id(self.client_id())
            .set_secret_hash(self.secret_hash(username))
            .username(username)
            .confirmation_code(code)
            .password(new_password)
            .send()
            .await?;
        Ok(())
    }

    /// Changes the signed-in user's password (`ChangePassword`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.change_password(&tokens, "Correct-Horse-1!", "New-Password-2!").await?;
    /// # Ok(()) }
    /// ```
    pub async fn change_password(
        &self,
        tokens: &TokenSet,
        previous: &str,
        proposed: &str,
    ) -> Result<()> {
        self.sdk()
            .change_password()
            .access_token(tokens.access_token())
            .previous_password(previous)
            .proposed_password(proposed)
            .send()
            .await?;
        Ok(())
    }

    /// Resets a user's password: the user must set a new one with a code sent to
    /// them (`AdminResetUserPassword`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_reset_password("ada").await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_reset_password(&self, username: &str) -> Result<()> {
        self.sdk()
            .admin_reset_user_password()
            .user_pool_id(self.pool_id())
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// Sets a user's password (`AdminSetUserPassword`); a temporary one
    /// (`permanent = false`) must be changed at the next login.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// cognito.admin_set_password("ada", "Correct-Horse-1!", true).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_set_password(
        &self,
        username: &str,
        password: &str,
        permanent: bool,
    ) -> Result<()> {
        self.sdk()
            .admin_set_user_password()
            .user_pool_id(self.pool_id())
            .username(username)
            .password(password)
            .permanent(permanent)
            .send()
            .await?;
        Ok(())
    }
}
