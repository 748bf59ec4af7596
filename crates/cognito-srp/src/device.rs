//! Remembered devices: the credentials a client keeps and the verifier ConfirmDevice sends.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::identity::Identity;
use crate::server::Verifier;

/// Random bytes in a device password (base64-encoded, as amazon-cognito-identity-js and pycognito do).
pub const DEVICE_PASSWORD_BYTES: usize = 40;
/// Random bytes in a device salt.
pub const DEVICE_SALT_BYTES: usize = 16;

/// What a client keeps to log in with a remembered device: its key, its group
/// key and its random password. The password is zeroized on drop and never printed.
///
/// ```
/// use cognito_srp::DeviceCredentials;
///
/// // When AuthenticationResult carries NewDeviceMetadata:
/// let (device, config) = DeviceCredentials::generate(
///     "us-east-1_0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0", // DeviceKey
///     "-Zt9Kq3Lw",                                      // DeviceGroupKey
///     &mut rand::rng(),
/// );
/// // ConfirmDevice with DeviceSecretVerifierConfig { PasswordVerifier, Salt }:
/// assert!(!config.password_verifier.is_empty() && !config.salt.is_empty());
/// // Keep `device` (key, group key, password) for DEVICE_SRP_AUTH later.
/// assert!(!format!("{device:?}").contains(device.password()));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceCredentials {
    device_key: String,
    device_group_key: String,
    password: Zeroizing<String>,
}

/// `DeviceSecretVerifierConfig` of ConfirmDevice: base64 of `enc(v)` and `enc(salt)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSecretVerifierConfig {
    /// `PasswordVerifier`.
    pub password_verifier: String,
    /// `Salt`.
    pub salt: String,
}

impl DeviceCredentials {
    /// Credentials kept from an earlier ConfirmDevice.
    pub fn new(device_key: &str, device_group_key: &str, password: &str) -> Self {
        Self {
            device_key: device_key.to_owned(),
            device_group_key: device_group_key.to_owned(),
            password: Zeroizing::new(password.to_owned()),
        }
    }

    /// A new random device password and salt, and the verifier for ConfirmDevice.
    pub fn generate<R: CryptoRng + ?Sized>(
        device_key: &str,
        device_group_key: &str,
        rng: &mut R,
    ) -> (Self, DeviceSecretVerifierConfig) {
        let mut password = Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
        let mut salt = [0u8; DEVICE_SALT_BYTES];
        rng.fill_bytes(password.as_mut());
        rng.fill_bytes(&mut salt);
        Self::from_random(device_key, device_group_key, password.as_ref(), &salt)
    }

    /// Like [`generate`](Self::generate), with the random bytes given (for tests and vectors).
    pub fn from_random(
        device_key: &str,
        device_group_key: &str,
        password_bytes: &[u8],
        salt_bytes: &[u8],
    ) -> (Self, DeviceSecretVerifierConfig) {
        let password = Zeroizing::new(STANDARD.encode(password_bytes));
        let device = Self::new(device_key, device_group_key, &password);
        let verifier = Verifier::with_salt(&device.identity(), &password, salt_bytes);
        (device, verifier.to_device_config())
    }

    /// The device key.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// The device group key.
    pub fn device_group_key(&self) -> &str {
        &self.device_group_key
    }

    /// The device password (a secret: store it like one).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The SRP identity of the device: group key and device key.
    pub fn identity(&self) -> Identity {
        Identity::for_device(&self.device_group_key, &self.device_key)
    }
}

impl fmt::Debug for DeviceCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCredentials")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("password", &"<redacted>")
            .finish()
    }
}
