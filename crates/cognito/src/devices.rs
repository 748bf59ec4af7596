//! Remembered devices: confirming a new device, answering `DEVICE_SRP_AUTH` with
//! its keys later, and managing the user's devices.

use std::fmt;
use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::types::{
    DeviceRememberedStatusType, DeviceSecretVerifierConfigType, DeviceType,
};
use cognito_srp::DeviceCredentials;
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::attributes::{attribute_map, to_system_time};
use crate::pages::all_pages;
use crate::tokens::TokenSet;
use crate::{Cognito, Error, Result};

/// A device this client confirmed: its key, group key and the password behind its
/// SRP verifier. Kept in the token store; `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedDevice {
    device_key: String,
    device_group_key: String,
    device_password: String,
}

impl RememberedDevice {
    /// A device from credentials kept elsewhere.
    pub fn new(device_key: &str, device_group_key: &str, device_password: &str) -> Self {
        Self {
            device_key: device_key.to_owned(),
            device_group_key: device_group_key.to_owned(),
            device_password: device_password.to_owned(),
        }
    }

    /// The device key.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// The device group key.
    pub fn device_group_key(&self) -> &str {
        &self.device_group_key
    }

    /// The SRP credentials of the device.
    pub fn credentials(&self) -> DeviceCredentials {
        DeviceCredentials::new(
            &self.device_key,
            &self.device_group_key,
            &self.device_password,
        )
    }
}

impl Drop for RememberedDevice {
    fn drop(&mut self) {
        self.device_password.zeroize();
    }
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &"<redacted>")
            .finish()
    }
}

/// A device of the user, as Cognito lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device key.
    pub key: String,
    /// `device_name`, when set.
    pub name: Option<String>,
    /// Whether the device is remembered (`dev:device_remembered_status`), when known.
    pub remembered: Option<bool>,
    /// Every device attribute.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// When it was confirmed.
    pub created: Option<SystemTime>,
    /// When it last signed in.
    pub last_authenticated: Option<SystemTime>,
}

impl From<&DeviceType> for Device {
    fn from(device: &DeviceType) -> Self {
        let attributes = attribute_map(device.device_attributes());
        Device {
            key: device.device_key().unwrap_or_default().to_owned(),
            name: attributes.get("device_name").cloned(),
            remembered: attributes
                .get("dev:device_remembered_status")
                .map(|status| status == "remembered"),
            created: device.device_create_date().and_then(to_system_time),
            last_authenticated: device
                .device_last_authenticated_date()
                .and_then(to_system_time),
            attributes,
        }
    }
}

impl Cognito {
    /// Confirms the device Cognito assigned at this login (`ConfirmDevice` with a
    /// freshly generated verifier), marks it remembered, and keeps its keys in the
    /// token store so that later logins answer `DEVICE_SRP_AUTH` by themselves.
    ///
    /// Called automatically after login when the client was built with
    /// [`remember_devices`](crate::CognitoBuilder::remember_devices).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, mut tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// if tokens.new_device().is_some() {
    ///     let device = cognito.remember_device(&mut tokens).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn remember_device(&self, tokens: &mut TokenSet) -> Result<RememberedDevice> {
        let new = tokens.new_device().cloned().ok_or_else(|| {
            Error::Config("this login assigned no new device (is device tracking on?)".into())
        })?;
        let (credentials, config) =
            DeviceCredentials::generate(&new.device_key, &new.device_group_key, &mut rand::rng());
        let confirmed = self
            .sdk()
            .confirm_device()
            .access_token(tokens.access_token())
            .device_key(&new.device_key)
            .device_name(&self.inner.device_name)
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .password_verifier(config.password_verifier)
                    .salt(config.salt)
                    .build(),
            )
            .send()
            .await?;
        if confirmed.user_confirmation_necessary() {
            self.set_device_remembered(tokens, &new.device_key, true)
                .await?;
        }
        let device = RememberedDevice::new(
            &new.device_key,
            &new.device_group_key,
            credentials.password(),
        );
        self.update_stored(tokens.username(), |record| {
            record.device = Some(device.clone())
        })?;
        tokens.set_device_key(Some(new.device_key));
        Ok(device)
    }

    /// The device remembered for `username` (the pool's user name) in the token store.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let device = cognito.remembered_device("ada")?;
    /// # Ok(()) }
    /// ```
    pub fn remembered_device(&self, username: &str) -> Result<Option<RememberedDevice>> {
        Ok(self.stored(username)?.and_then(|record| record.device))
    }

    /// Marks a device remembered or not (`UpdateDeviceStatus`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.set_device_remembered(&tokens, "us-east-1_device-key", false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_device_remembered(
        &self,
        tokens: &TokenSet,
        device_key: &str,
        remembered: bool,
    ) -> Result<()> {
        let status = if remembered {
            DeviceRememberedStatusType::Remembered
        } else {
            DeviceRememberedStatusType::NotRemembered
        };
        self.sdk()
            .update_device_status()
            .access_token(tokens.access_token())
            .device_key(device_key)
            .device_remembered_status(status)
            .send()
            .await?;
        Ok(())
    }

    /// Forgets a device (`ForgetDevice`), and its keys if this client kept them.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// cognito.forget_device(&tokens, "us-east-1_device-key").await?;
    /// # Ok(()) }
    /// ```
    pub async fn forget_device(&self, tokens: &TokenSet, device_key: &str) -> Result<()> {
        self.sdk()
            .forget_device()
            .access_token(tokens.access_token())
            .device_key(device_key)
            .send()
            .await?;
        self.update_stored(tokens.username(), |record| {
            if record.device.as_ref().map(|d| d.device_key()) == Some(device_key) {
                record.device = None;
            }
        })
    }

    /// The user's devices (`ListDevices`, every page).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// for device in cognito.list_devices(&tokens).await? {
    ///     println!("{} {:?}", device.key, device.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_devices(&self, tokens: &TokenSet) -> Result<Vec<Device>> {
        all_pages(|token| async move {
            let output = self
                .sdk()
                .list_devices()
                .access_token(tokens.access_token())
                .set_pagination_token(token)
                .send()
                .await?;
            let devices = output.devices().iter().map(Device::from).collect();
            Ok((devices, output.pagination_token().map(str::to_owned)))
        })
        .await
    }

    /// One device of the user (`GetDevice`).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, tokens: cognito::TokenSet) -> cognito::Result<()> {
    /// let device = cognito.get_device(&tokens, "us-east-1_device-key").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_device(&self, tokens: &TokenSet, device_key: &str) -> Result<Device> {
        let output = self
            .sdk()
            .get_device()
            .access_token(tokens.access_token())
            .device_key(device_key)
            .send()
            .await?;
        output
            .device()
            .map(Device::from)
            .ok_or_else(|| Error::UnexpectedResponse("GetDevice returned no device".into()))
    }
}
