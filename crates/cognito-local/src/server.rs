//! Starting, serving and stopping: the router and the builder.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::protocol::{self, MAX_BODY_BYTES, Service};
use crate::store::{Store, StoreError};

/// The server's shared state.
pub struct AppState {
    store: Store,
    default_region: String,
    issuer_base: String,
}

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
#[derive(Debug, Clone)]
pub struct ServerBuilder {
    addr: SocketAddr,
    storage: Storage,
    region: String,
    issuer_base: Option<String>,
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

    /// Opens the store, binds, and serves in the background.
    pub async fn start(self) -> Result<RunningServer, StartError> {
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
        let state = Arc::new(AppState {
            store,
            default_region: self.region,
            issuer_base: self.issuer_base.unwrap_or_else(|| format!("http://{addr}")),
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state);
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "server stopped with an error");
            }
        });
        Ok(RunningServer {
            addr,
            stop: Some(stop),
            task,
        })
    }
}

/// A server running in the background; dropping it stops it.
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
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

/// Where the outbox is read, outside the AWS protocol.
pub const MESSAGES_PATH: &str = "/_local/messages";

/// The router: the AWS protocol at `POST /`, the outbox at [`MESSAGES_PATH`].
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", post(aws))
        .route(MESSAGES_PATH, get(outbox))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES + 1))
        .with_state(state)
}

async fn aws(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Ok(body) = body else {
        return protocol::encode(Err(protocol::too_large()));
    };
    // Operations touch SQLite and, for logins, do SRP work: keep them off the reactor.
    let result = tokio::task::spawn_blocking(move || {
        let service = Service {
            store: &state.store,
            default_region: &state.default_region,
            issuer_base: &state.issuer_base,
        };
        protocol::handle(&service, &headers, &body)
    })
    .await;
    result.unwrap_or_else(|e| protocol::encode(Err(protocol::CognitoError::internal(e))))
}

/// Filters of the outbox.
#[derive(Debug, serde::Deserialize)]
struct OutboxQuery {
    pool_id: Option<String>,
    username: Option<String>,
}

/// `GET /_local/messages?pool_id=...&username=...`: the messages, oldest first.
async fn outbox(State(state): State<Arc<AppState>>, Query(query): Query<OutboxQuery>) -> Response {
    let result = tokio::task::spawn_blocking(move || {
        state
            .store
            .transaction(|tx| tx.messages(query.pool_id.as_deref(), query.username.as_deref()))
    })
    .await;
    match result {
        Ok(Ok(messages)) => axum::Json(serde_json::json!({ "messages": messages })).into_response(),
        Ok(Err(e)) => protocol::encode(Err(protocol::CognitoError::internal(e))),
        Err(e) => protocol::encode(Err(protocol::CognitoError::internal(e))),
    }
}

/// The JWKS of a pool, or `None` if there is no such pool.
fn pool_jwks(state: &AppState, pool_id: &str) -> Result<Option<serde_json::Value>, StoreError> {
    state.store.transaction(|tx| {
        if tx.get::<crate::store::PoolRecord>("", pool_id)?.is_none() {
            return Ok(None);
        }
        let keys = tx
            .list::<crate::store::KeyRecord>(pool_id, None, usize::MAX)?
            .into_iter()
            .filter_map(|(_, record)| crate::tokens::SigningKey::load(&record).ok())
            .map(|key| key.jwk())
            .collect::<Vec<_>>();
        Ok(Some(serde_json::json!({ "keys": keys })))
    })
}

fn not_found_pool(pool_id: &str) -> Response {
    let body = serde_json::json!({ "message": format!("User pool {pool_id} does not exist.") });
    (axum::http::StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

/// `GET /{pool_id}/.well-known/jwks.json`.
async fn jwks(State(state): State<Arc<AppState>>, Path(pool_id): Path<String>) -> Response {
    let id = pool_id.clone();
    match tokio::task::spawn_blocking(move || pool_jwks(&state, &id)).await {
        Ok(Ok(Some(jwks))) => axum::Json(jwks).into_response(),
        Ok(Ok(None)) => not_found_pool(&pool_id),
        Ok(Err(e)) => protocol::encode(Err(protocol::CognitoError::internal(e))),
        Err(e) => protocol::encode(Err(protocol::CognitoError::internal(e))),
    }
}

/// `GET /{pool_id}/.well-known/openid-configuration`, consistent with the issuer.
async fn openid_configuration(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<String>,
) -> Response {
    let base = state.issuer_base.clone();
    let id = pool_id.clone();
    match tokio::task::spawn_blocking(move || pool_jwks(&state, &id)).await {
        Ok(Ok(Some(_))) => {
            let issuer = format!("{base}/{pool_id}");
            axum::Json(serde_json::json!({
                "issuer": issuer,
                "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"],
                "response_types_supported": ["code", "token"],
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "claims_supported": ["sub", "email", "email_verified", "phone_number", "phone_number_verified", "cognito:username", "cognito:groups"],
            }))
            .into_response()
        }
        Ok(Ok(None)) => not_found_pool(&pool_id),
        Ok(Err(e)) => protocol::encode(Err(protocol::CognitoError::internal(e))),
        Err(e) => protocol::encode(Err(protocol::CognitoError::internal(e))),
    }
}
