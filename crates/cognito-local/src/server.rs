//! Starting, serving and stopping: the router and the builder.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::error::{CognitoError, OpResult};
use crate::import_endpoints;
use crate::listen::{Peer, blocking};
use crate::ops::Service;
use crate::outbound::Outbound;
use crate::protocol::sigv4::Credentials;
use crate::protocol::{self, MAX_BODY_BYTES};
use crate::store::{Store, StoreError};
use crate::triggers::{Target, TriggerError, TriggerFn, Triggers};

/// Where the server keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// In memory: gone when the server stops.
    Memory,
    /// A SQLite database in this directory.
    Dir(PathBuf),
}

/// Configures and starts a server.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let server = cognito_local::Server::builder().in_memory().start().await?;
/// println!("endpoint: {}", server.url());
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ServerBuilder {
    addr: SocketAddr,
    storage: Storage,
    region: String,
    issuer_base: Option<String>,
    clock: Arc<dyn Clock>,
    credentials: Credentials,
    header_timeout: Duration,
    triggers: Triggers,
    trusted: Vec<Vec<u8>>,
}

impl std::fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("addr", &self.addr)
            .field("storage", &self.storage)
            .field("region", &self.region)
            .field("issuer_base", &self.issuer_base)
            .field("credentials", &self.credentials)
            .field("triggers", &self.triggers)
            .finish_non_exhaustive()
    }
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// A certificate to trust could not be read.
    #[error("cannot trust the certificates given: {0}")]
    Certificate(#[from] crate::outbound::CertificateError),
}

/// The server, namespace of [`Server::builder`].
pub struct Server;

impl Server {
    /// A builder: `127.0.0.1:0`, in memory, region `us-east-1`.
    pub fn builder() -> ServerBuilder {
        ServerBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            storage: Storage::Memory,
            region: "us-east-1".to_owned(),
            issuer_base: None,
            clock: Arc::new(SystemClock),
            credentials: Credentials::default(),
            header_timeout: crate::listen::HEADER_READ_TIMEOUT,
            triggers: Triggers::default(),
            trusted: Vec::new(),
        }
    }
}

impl ServerBuilder {
    /// Keep data in memory only.
    pub fn in_memory(mut self) -> Self {
        self.storage = Storage::Memory;
        self
    }

    /// Keep data in a SQLite database under `dir`.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.storage = Storage::Dir(dir.into());
        self
    }

    /// Where to store data.
    pub fn storage(mut self, storage: Storage) -> Self {
        self.storage = storage;
        self
    }

    /// The address to listen on (port 0 picks a free one).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The region of requests that are not signed (signed ones use their credential scope).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The base of token issuers, `{base}/{pool_id}` (default: the server's own URL).
    pub fn issuer_base(mut self, base: impl Into<String>) -> Self {
        self.issuer_base = Some(base.into().trim_end_matches('/').to_owned());
        self
    }

    /// The clock the server reads "now" from (default: the system's). Every expiry,
    /// lockout and TOTP step follows it, so a [`ManualClock`](crate::ManualClock) makes
    /// time-dependent behaviour testable without sleeping.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::{Duration, SystemTime};
    /// use cognito_local::{ManualClock, Server};
    ///
    /// let clock = ManualClock::at(SystemTime::now());
    /// let server = Server::builder().clock(clock.clone()).start().await?;
    /// clock.advance(Duration::from_secs(3600)); // an hour later, for the server
    /// # server.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Verifies the SigV4 signature of signed (admin) operations with this access key
    /// and secret, and refuses other keys (`UnrecognizedClientException`); may be
    /// given more than once. Without it any key and signature are accepted.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), cognito_local::StartError> {
    /// let server = cognito_local::Server::builder()
    ///     .credentials("AKIDLOCAL", "local-secret")
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn credentials(
        mut self,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.credentials.add(access_key, secret_key);
        self
    }

    /// How long a client may take to send a request's headers before its connection is
    /// closed (10 seconds unless set): connections that never finish their headers do
    /// not stay open.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// Sends the events of Lambda trigger `arn` (as a pool's `LambdaConfig` names it)
    /// to `target`; may be given once per ARN. A pool trigger whose ARN has no target
    /// fails as AWS fails when it cannot reach the function (`UnexpectedLambdaException`).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use cognito_local::{Server, Target};
    /// let server = Server::builder()
    ///     .lambda(
    ///         "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up",
    ///         Target::parse("http://127.0.0.1:3000/pre-sign-up")?,
    ///     )
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn lambda(mut self, arn: impl Into<String>, target: Target) -> Self {
        self.triggers.add(arn, target);
        self
    }

    /// Runs trigger `arn` in this process: `function` gets the event AWS would send the
    /// Lambda function and returns the event as the function would (or
    /// [`TriggerError::function`] for a function that throws).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use cognito_local::Server;
    /// // Every sign-up is confirmed at once.
    /// let server = Server::builder()
    ///     .trigger("arn:aws:lambda:us-east-1:123456789012:function:auto-confirm", |mut event| async move {
    ///         event["response"]["autoConfirmUser"] = true.into();
    ///         Ok(event)
    ///     })
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn trigger<F, Fut>(self, arn: impl Into<String>, function: F) -> Self
    where
        F: Fn(serde_json::Value) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<serde_json::Value, TriggerError>> + Send + 'static,
    {
        let function: TriggerFn = Arc::new(move |event| Box::pin(function(event)));
        self.lambda(arn, Target::Closure(function))
    }

    /// Invokes every trigger whose ARN has no [`lambda`](Self::lambda) target through
    /// the AWS Lambda Invoke API at `url` (`sam local start-lambda`, LocalStack, moto).
    pub fn lambda_endpoint(mut self, url: impl Into<String>) -> Self {
        self.triggers.set_endpoint(url);
        self
    }

    /// How long a trigger may take before the operation fails with
    /// `UnexpectedLambdaException` (five seconds unless set, as on AWS).
    pub fn trigger_timeout(mut self, timeout: Duration) -> Self {
        self.triggers.set_timeout(timeout);
        self
    }

    /// Trusts the certificate authorities of a PEM file's certificates, besides the
    /// system's, in the server's own HTTPS requests: OIDC identity providers and client
    /// ID metadata documents served with a private or test authority's certificate.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read("test-ca.pem")?;
    /// let server = cognito_local::Server::builder().trust_certificates(pem).start().await?;
    /// # server.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn trust_certificates(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.trusted.push(pem.into());
        self
    }

    /// Opens the store, binds, and serves in the background.
    pub async fn start(self) -> Result<RunningServer, StartError> {
        let outbound = Outbound::new(&self.trusted)?;
        let store = match &self.storage {
            Storage::Memory => Store::in_memory()?,
            Storage::Dir(dir) => Store::open(dir)?,
        };
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: self.addr,
            source,
        })?;
        let issuer_base = self.issuer_base.unwrap_or_else(|| format!("http://{addr}"));
        let state = Arc::new(Service::new(
            store,
            self.clock,
            self.region,
            issuer_base,
            self.credentials,
            self.triggers,
            outbound,
        )?);
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let purger = state.clone();
        let importer = state.clone();
        let header_timeout = self.header_timeout;
        let task = tokio::spawn(async move {
            let serve = crate::listen::serve(listener, app, header_timeout, async {
                let _ = stopped.await;
            });
            tokio::select! {
                () = serve => {},
                () = purge_forever(purger) => {}
                () = import_endpoints::work_forever(importer) => {}
            }
        });
        Ok(RunningServer {
            addr,
            stop: Some(stop),
            task,
            service: state,
        })
    }
}

/// A server running in the background; dropping it stops it.
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    service: Arc<Service>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`: the endpoint URL for SDKs.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Purges now what the server purges in the background every minute: sessions and
    /// sign-ins past their expiry (as the server's clock tells it) and outbox messages
    /// older than a week. `None` if the store failed (the error is logged).
    pub async fn purge_expired(&self) -> Option<Purged> {
        purge(self.service.clone()).await
    }

    /// Stops accepting requests, finishes those under way, and returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Waits until the server stops by itself (it never does unless shut down).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// How often expired state is purged in the background.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What a purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Expired sessions and sign-ins.
    pub records: usize,
    /// Outbox messages past their keeping time.
    pub messages: usize,
}

async fn purge(service: Arc<Service>) -> Option<Purged> {
    match blocking(move || service.purge()).await {
        Ok(done) => Some(Purged {
            records: done.records,
            messages: done.messages,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "purging expired state failed");
            None
        }
    }
}

/// Purges every [`PURGE_EVERY`], for as long as the server runs.
async fn purge_forever(service: Arc<Service>) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Some(done) = purge(service.clone()).await
            && done
                != (Purged {
                    records: 0,
                    messages: 0,
                })
        {
            tracing::debug!(records = done.records, messages = done.messages, "purged");
        }
    }
}

/// Where the outbox is read, outside the AWS protocol.
pub const MESSAGES_PATH: &str = "/_local/messages";

/// The router: the AWS protocol at `POST /`, the outbox at [`MESSAGES_PATH`], and each
/// pool's JWKS and OpenID configuration.
fn router(state: Arc<Service>) -> Router {
    Router::new()
        .route("/", post(aws))
        .route(MESSAGES_PATH, get(outbox))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/_local/ui/{pool_id}/{client_id}/image", get(ui_image))
        .route(
            "/_local/feedback/{pool_id}",
            get(crate::feedback_endpoint::feedback),
        )
        .route(
            "/_local/imports/{pool_id}/{job_id}",
            put(import_endpoints::upload).layer(DefaultBodyLimit::max(
                crate::domain::imports::MAX_FILE_BYTES,
            )),
        )
        .route(
            "/_local/imports/{pool_id}/{job_id}/log",
            get(import_endpoints::log),
        )
        .merge(crate::hosted::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES + 1))
        .with_state(state)
}

async fn aws(
    State(state): State<Arc<Service>>,
    method: Method,
    uri: Uri,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(body) = body else {
        return protocol::encode(Err(protocol::too_large()));
    };
    let caller = crate::listen::caller_of(peer.map(|Extension(p)| p), &headers);
    // Operations touch SQLite and, for logins, do SRP work: keep them off the reactor.
    let result = tokio::task::spawn_blocking(move || {
        let request = protocol::sigv4::Request {
            method: &method,
            uri: &uri,
            headers: &headers,
            body: &body,
        };
        protocol::handle(&state, &request, caller)
    })
    .await;
    result.unwrap_or_else(|e| protocol::encode(Err(CognitoError::internal(e))))
}

/// Filters of the outbox.
#[derive(Debug, serde::Deserialize)]
struct OutboxQuery {
    pool_id: Option<String>,
    username: Option<String>,
}

/// `GET /_local/messages?pool_id=...&username=...`: the messages, oldest first.
async fn outbox(State(state): State<Arc<Service>>, Query(query): Query<OutboxQuery>) -> Response {
    let result = blocking(move || {
        state.local(|ctx| {
            crate::domain::outbox::list(ctx, query.pool_id.as_deref(), query.username.as_deref())
        })
    })
    .await;
    match result {
        Ok(messages) => axum::Json(serde_json::json!({ "messages": messages })).into_response(),
        Err(e) => protocol::encode(Err(e)),
    }
}

/// The JWKS of a pool, or `None` if there is no such pool.
async fn pool_jwks(
    state: Arc<Service>,
    pool_id: String,
) -> OpResult<Option<Vec<serde_json::Value>>> {
    blocking(move || state.local(|ctx| crate::domain::pools::jwks(ctx, &pool_id))).await
}

fn not_found_pool(pool_id: &str) -> Response {
    let body = serde_json::json!({ "message": format!("User pool {pool_id} does not exist.") });
    (axum::http::StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

/// `GET /{pool_id}/.well-known/jwks.json`.
async fn jwks(State(state): State<Arc<Service>>, Path(pool_id): Path<String>) -> Response {
    match pool_jwks(state, pool_id.clone()).await {
        Ok(Some(keys)) => axum::Json(serde_json::json!({ "keys": keys })).into_response(),
        Ok(None) => not_found_pool(&pool_id),
        Err(e) => protocol::encode(Err(e)),
    }
}

/// `GET /_local/ui/{pool_id}/{client_id}/image`: the logo of SetUICustomization, where
/// its `ImageUrl` points.
async fn ui_image(
    State(state): State<Arc<Service>>,
    Path((pool_id, client_id)): Path<(String, String)>,
) -> Response {
    let found =
        blocking(move || state.local(|ctx| crate::ops::ui::image(ctx, &pool_id, &client_id))).await;
    match found {
        Ok(Some((bytes, kind))) => ([("content-type", kind)], bytes).into_response(),
        Ok(None) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(e) => protocol::encode(Err(e)),
    }
}

/// `GET /{pool_id}/.well-known/openid-configuration`, consistent with the issuer: the
/// keys AWS's document has (no `claims_supported`), with the hosted endpoints at
/// `{issuer}/oauth2/...` and `{issuer}/logout`, where they are served on loopback for a
/// pool with a domain (AWS lists its domain's URLs, or, without one, URLs under the
/// issuer that do not work).
async fn openid_configuration(
    State(state): State<Arc<Service>>,
    Path(pool_id): Path<String>,
) -> Response {
    let base = state.issuer_base().to_owned();
    match pool_jwks(state, pool_id.clone()).await {
        Ok(Some(_)) => {
            let issuer = format!("{base}/{pool_id}");
            axum::Json(serde_json::json!({
                "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
                "end_session_endpoint": format!("{issuer}/logout"),
                "id_token_signing_alg_values_supported": ["RS256"],
                "issuer": issuer,
                "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
                "response_types_supported": ["code", "token"],
                "revocation_endpoint": format!("{issuer}/oauth2/revoke"),
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "subject_types_supported": ["public"],
                "token_endpoint": format!("{issuer}/oauth2/token"),
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "userinfo_endpoint": format!("{issuer}/oauth2/userInfo"),
            }))
            .into_response()
        }
        Ok(None) => not_found_pool(&pool_id),
        Err(e) => protocol::encode(Err(e)),
    }
}
