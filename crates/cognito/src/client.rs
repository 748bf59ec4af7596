//! The client: one user pool and one app client, and how to build it.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use cognito_srp::PoolId;
use zeroize::Zeroizing;

use crate::store::TokenStore;
use crate::{Error, Result};

/// How long before expiry [`check_token`](Cognito::check_token) renews, unless set.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// A user pool's app client: every operation of this crate starts here.
///
/// Cheap to clone (one `Arc`); share it between tasks.
///
/// ```
/// # async fn run() -> Result<(), cognito::Error> {
/// let cognito = cognito::Cognito::builder()
///     .pool_id("eu-west-1_AbCdEfGhI")
///     .client_id("1example23456789abcdefghij")
///     .build()?;
/// assert_eq!(cognito.region(), "eu-west-1");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Cognito {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) sdk: cip::Client,
    pub(crate) pool: PoolId,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<Zeroizing<String>>,
    pub(crate) verifier: CognitoJwtVerifier,
    pub(crate) store: Option<Arc<dyn TokenStore>>,
    pub(crate) remember_devices: bool,
    pub(crate) device_name: String,
    pub(crate) leeway: Duration,
    pub(crate) clock: Option<Clock>,
}

/// Where a [`Cognito`] client reads the time (see [`CognitoBuilder::clock`]).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

impl Inner {
    /// Now, by the client's clock.
    pub(crate) fn now(&self) -> SystemTime {
        self.clock
            .as_ref()
            .map_or_else(SystemTime::now, |clock| clock())
    }

    /// Now, in whole seconds since the epoch.
    pub(crate) fn now_unix(&self) -> i64 {
        self.now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

impl Cognito {
    /// Starts a [`CognitoBuilder`].
    pub fn builder() -> CognitoBuilder {
        CognitoBuilder::default()
    }

    /// The user pool id.
    pub fn pool_id(&self) -> &str {
        self.inner.pool.as_str()
    }

    /// The region, from the pool id.
    pub fn region(&self) -> &str {
        self.inner.pool.region()
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The SDK client underneath, for operations this crate does not wrap.
    pub fn sdk(&self) -> &cip::Client {
        &self.inner.sdk
    }

    /// The token verifier (issuer and JWKS of this pool, audience this client).
    pub fn verifier(&self) -> &CognitoJwtVerifier {
        &self.inner.verifier
    }

    /// `SECRET_HASH` for `username`, when the app client has a secret.
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.inner
            .client_secret
            .as_ref()
            .map(|secret| cognito_srp::secret_hash(secret, username, &self.inner.client_id))
    }

    pub(crate) fn client_secret(&self) -> Option<&str> {
        self.inner.client_secret.as_ref().map(|s| s.as_str())
    }

    /// The key under which a user's tokens and device are stored.
    pub(crate) fn store_key(&self, username: &str) -> String {
        format!("{}/{}/{}", self.pool_id(), self.client_id(), username)
    }
}

impl fmt::Debug for Cognito {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cognito")
            .field("pool_id", &self.pool_id())
            .field("client_id", &self.client_id())
            .field(
                "client_secret",
                &self.inner.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("remember_devices", &self.inner.remember_devices)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Cognito`] client.
///
/// The pool id and client id are required. The region comes from the pool id.
/// User operations (login, sign-up, operations with an access token) are
/// unsigned and need no AWS credentials; admin operations need the credentials
/// of [`sdk_config`](Self::sdk_config) or [`credentials`](Self::credentials).
///
/// ```
/// use cognito::Cognito;
///
/// // A malformed pool id is an error, not a panic.
/// let err = Cognito::builder().pool_id("nope").client_id("abc").build().unwrap_err();
/// assert!(matches!(err, cognito::Error::InvalidPoolId(_)));
/// ```
#[derive(Default)]
pub struct CognitoBuilder {
    pool_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Zeroizing<String>>,
    endpoint_url: Option<String>,
    issuer_base: Option<String>,
    sdk_config: Option<aws_types::SdkConfig>,
    sdk_client: Option<cip::Client>,
    credentials: Option<Credentials>,
    retry: Option<RetryConfig>,
    store: Option<Arc<dyn TokenStore>>,
    remember_devices: bool,
    device_name: Option<String>,
    leeway: Option<Duration>,
    static_jwks: Option<String>,
    clock: Option<Clock>,
}

impl CognitoBuilder {
    /// The user pool id, `<region>_<id>`.
    pub fn pool_id(mut self, pool_id: impl Into<String>) -> Self {
        self.pool_id = Some(pool_id.into());
        self
    }

    /// The app client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The app client's secret, when it has one (`SECRET_HASH` is then sent everywhere it is needed).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Zeroizing::new(secret.into()));
        self
    }

    /// Another endpoint, such as a `cognito-local` server. Tokens are then expected
    /// from the issuer `<endpoint>/<pool id>`, unless [`issuer_base`](Self::issuer_base) says otherwise.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// The issuer base of the tokens, when it is neither AWS's nor the endpoint's.
    pub fn issuer_base(mut self, base: impl Into<String>) -> Self {
        self.issuer_base = Some(base.into());
        self
    }

    /// A JWKS document to verify tokens with instead of fetching the issuer's.
    pub fn static_jwks(mut self, jwks_json: impl Into<String>) -> Self {
        self.static_jwks = Some(jwks_json.into());
        self
    }

    /// Shared AWS configuration (credentials, retries, HTTP client…). The region is still the pool's.
    pub fn sdk_config(mut self, config: &aws_types::SdkConfig) -> Self {
        self.sdk_config = Some(config.clone());
        self
    }

    /// An SDK client to use as it is (its region and endpoint win).
    pub fn sdk_client(mut self, client: cip::Client) -> Self {
        self.sdk_client = Some(client);
        self
    }

    /// Static credentials for admin operations.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The SDK's retry policy (its default retries throttling and transient errors).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Where tokens and remembered devices are kept between calls and processes.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Remember the device on each new-device login: confirm it with a generated
    /// verifier, keep its keys in the token store, and answer `DEVICE_SRP_AUTH`
    /// on later logins. Needs a [`token_store`](Self::token_store).
    pub fn remember_devices(mut self, remember: bool) -> Self {
        self.remember_devices = remember;
        self
    }

    /// The name given to remembered devices (`DeviceName` of ConfirmDevice).
    pub fn device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = Some(name.into());
        self
    }

    /// How long before expiry [`Cognito::check_token`] renews (default [`DEFAULT_LEEWAY`]).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = Some(leeway);
        self
    }

    /// The clock the client reads "now" from (default: the system's): when tokens are
    /// due for renewal, and the TIMESTAMP of SRP answers. Tests that run a server on a
    /// controlled clock give the client the same one.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    ///
    /// let an_hour_ahead = cognito::Cognito::builder()
    ///     .pool_id("us-east-1_AbCdEfGhI")
    ///     .client_id("app")
    ///     .clock(|| SystemTime::now() + Duration::from_secs(3600))
    ///     .build()?;
    /// # Ok::<(), cognito::Error>(())
    /// ```
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Cognito> {
        let pool_id = self
            .pool_id
            .ok_or_else(|| Error::Config("a pool id is required".into()))?;
        let pool = PoolId::parse(&pool_id).map_err(|_| Error::InvalidPoolId(pool_id.clone()))?;
        let client_id = self
            .client_id
            .ok_or_else(|| Error::Config("a client id is required".into()))?;
        if self.remember_devices && self.store.is_none() {
            return Err(Error::Config(
                "remembering devices needs a token store to keep their keys".into(),
            ));
        }

        let sdk = match self.sdk_client {
            Some(client) => client,
            None => {
                let mut config = match &self.sdk_config {
                    Some(shared) => cip::config::Builder::from(shared),
                    None => cip::Config::builder().behavior_version(BehaviorVersion::latest()),
                };
                config = config.region(Region::new(pool.region().to_owned()));
                if let Some(url) = &self.endpoint_url {
                    config = config.endpoint_url(url);
                }
                if let Some(credentials) = self.credentials {
                    config = config.credentials_provider(credentials);
                }
                if let Some(retry) = self.retry {
                    config = config.retry_config(retry);
                }
                cip::Client::from_conf(config.build())
            }
        };

        let mut policy = PoolConfig::new(pool.as_str(), TokenUse::Any, ClientIds::one(&client_id))?;
        if let Some(base) = self.issuer_base.as_deref().or(self.endpoint_url.as_deref()) {
            policy = policy.issuer_base(base)?;
        }
        if let Some(jwks) = &self.static_jwks {
            policy = policy.static_jwks(jwks)?;
        }
        let verifier = CognitoJwtVerifier::new(policy)?;

        Ok(Cognito {
            inner: Arc::new(Inner {
                sdk,
                pool,
                client_id,
                client_secret: self.client_secret,
                verifier,
                store: self.store,
                remember_devices: self.remember_devices,
                device_name: self.device_name.unwrap_or_else(|| "cognito-rs".to_owned()),
                leeway: self.leeway.unwrap_or(DEFAULT_LEEWAY),
                clock: self.clock,
            }),
        })
    }
}
