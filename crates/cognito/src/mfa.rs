//! Multi-factor authentication: TOTP set-up and MFA preferences.

use aws_sdk_cognitoidentityprovider::types::{
    SmsMfaSettingsType, SoftwareTokenMfaSettingsType, VerifySoftwareTokenResponseType,
};

use crate::challenge::MfaType;
use crate::tokens::TokenSet;
use crate::{Cognito, Error, Result};

/// Which second factors a user has on, and which one is preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MfaPreference {
    /// SMS codes enabled.
    pub sms: bool,
    /// TOTP codes enabled.
    pub software_token: bool,
    /// The preferred factor (must be enabled).
    pub preferred: Option<MfaType>,
}

/// The `otpauth://` URI of a TOTP secret, for a QR code or an authenticator app.
///
/// ```
/// let uri = cognito::totp_uri("JBSWY3DPEHPK3PXP", "ada", "My App");
/// assert_eq!(uri, "otpauth://totp/My%20App:ada?secret=JBSWY3DPEHPK3PXP&issuer=My%20App");
/// ```
pub fn totp_uri(secret: &str, username: &str, issuer: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={secret}&issuer={issuer}",
        percent_encode(username)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Cognito {
    /// Starts TOTP set-up for the signed-in user (`AssociateSoftwareToken`) and
    /// returns the secret to show them (see [`totp_uri`]).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// let secret = cognito.associate_software_token(&tokens).await?;
    /// println!("{}", cognito::totp_uri(&secret, tokens.username(), "My App"));
    /// # Ok(()) }
    /// ```
    pub async fn associate_software_token(&self, tokens: &TokenSet) -> Result<String> {
        let output = self
            .sdk()
            .associate_software_token()
            .access_token(tokens.access_token())
            .send()
            .await?;
        output.secret_code().map(str::to_owned).ok_or_else(|| {
            Error::UnexpectedResponse("AssociateSoftwareToken gave no secret".into())
        })
    }

    /// Completes TOTP set-up with a code from the app (`VerifySoftwareToken`).
    /// A wrong code is [`Error::EnableSoftwareTokenMfa`] or [`Error::CodeMismatch`].
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.verify_software_token(&tokens, "123456", Some("phone")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify_software_token(
        &self,
        tokens: &TokenSet,
        code: &str,
        friendly_device_name: Option<&str>,
    ) -> Result<()> {
        let output = self
            .sdk()
            .verify_software_token()
            .access_token(tokens.access_token())
            .user_code(code)
            .set_friendly_device_name(friendly_device_name.map(str::to_owned))
            .send()
            .await?;
        match output.status() {
            Some(VerifySoftwareTokenResponseType::Success) => Ok(()),
            other => Err(Error::UnexpectedResponse(format!(
                "VerifySoftwareToken status {other:?}"
            ))),
        }
    }

    /// Sets the signed-in user's MFA preference (`SetUserMFAPreference`).
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// use cognito::{MfaPreference, MfaType};
    /// cognito.set_mfa_preference(&tokens, MfaPreference {
    ///     software_token: true, preferred: Some(MfaType::SoftwareToken), ..Default::default()
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_mfa_preference(
        &self,
        tokens: &TokenSet,
        preference: MfaPreference,
    ) -> Result<()> {
        let (sms, totp) = settings(preference);
        self.sdk()
            .set_user_mfa_preference()
            .access_token(tokens.access_token())
            .sms_mfa_settings(sms)
            .software_token_mfa_settings(totp)
            .send()
            .await?;
        Ok(())
    }

    /// Sets any user's MFA preference (`AdminSetUserMFAPreference`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// use cognito::{MfaPreference, MfaType};
    /// let sms = MfaPreference { sms: true, preferred: Some(MfaType::Sms), ..Default::default() };
    /// cognito.admin_set_mfa_preference("ada", sms).await?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_set_mfa_preference(
        &self,
        username: &str,
        preference: MfaPreference,
    ) -> Result<()> {
        let (sms, totp) = settings(preference);
        self.sdk()
            .admin_set_user_mfa_preference()
            .user_pool_id(self.pool_id())
            .username(username)
            .sms_mfa_settings(sms)
            .software_token_mfa_settings(totp)
            .send()
            .await?;
        Ok(())
    }
}

fn settings(preference: MfaPreference) -> (SmsMfaSettingsType, SoftwareTokenMfaSettingsType) {
    let sms = SmsMfaSettingsType::builder()
        .enabled(preference.sms)
        .preferred_mfa(preference.preferred == Some(MfaType::Sms))
        .build();
    let totp = SoftwareTokenMfaSettingsType::builder()
        .enabled(preference.software_token)
        .preferred_mfa(preference.preferred == Some(MfaType::SoftwareToken))
        .build();
    (sms, totp)
}
