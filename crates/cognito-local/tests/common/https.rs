//! An HTTPS server on 127.0.0.1 for the documents the server under test fetches
//! (client ID metadata documents), with a certificate authority of its own that the
//! server is told to trust: the TLS is real (rustls), only the authority is private.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::server::TlsStream;

/// What a path answers.
#[derive(Clone, Debug)]
pub struct Served {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

#[derive(Default)]
struct Shared {
    served: HashMap<String, Served>,
    hits: HashMap<String, usize>,
}

/// The running host.
pub struct DocumentHost {
    /// `https://127.0.0.1:PORT`.
    pub base: String,
    /// Its certificate authority, PEM: what the server under test must trust.
    pub ca_pem: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for DocumentHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A TLS listener for `axum::serve`: connections whose handshake fails are dropped.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn pem(der: &[u8]) -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

async fn answer(State(shared): State<Arc<Mutex<Shared>>>, Path(path): Path<String>) -> Response {
    let path = format!("/{path}");
    let served = {
        let mut shared = shared.lock().unwrap();
        *shared.hits.entry(path.clone()).or_default() += 1;
        shared.served.get(&path).cloned()
    };
    let Some(served) = served else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    for (name, value) in &served.headers {
        headers.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    (
        StatusCode::from_u16(served.status).unwrap(),
        headers,
        served.body,
    )
        .into_response()
}

impl DocumentHost {
    /// A host with a fresh authority and a certificate for 127.0.0.1 and localhost.
    pub async fn start() -> Self {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "cognito-local test authority");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        let config = ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(leaf.der().to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .unwrap();
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("https://{}", tcp.local_addr().unwrap());
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = axum::Router::new()
            .route("/{*path}", axum::routing::get(answer))
            .with_state(shared.clone());
        let listener = TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        };
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base,
            ca_pem: pem(ca.der()),
            shared,
            task,
        }
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Serves `served` at `path`.
    pub fn serve(&self, path: &str, served: Served) {
        self.shared
            .lock()
            .unwrap()
            .served
            .insert(path.to_owned(), served);
    }

    /// Serves a JSON document at `path`, with a `Cache-Control` header if given.
    pub fn serve_json(&self, path: &str, body: &serde_json::Value, cache_control: Option<&str>) {
        let headers = cache_control
            .map(|value| vec![("cache-control", value.to_owned())])
            .unwrap_or_default();
        self.serve(
            path,
            Served {
                status: 200,
                body: body.to_string(),
                headers,
            },
        );
    }

    /// How many requests `path` has had.
    pub fn hits(&self, path: &str) -> usize {
        self.shared
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}
