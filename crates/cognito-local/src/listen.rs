//! The accept loop: HTTP/1.1 connections served by hyper with a deadline for each
//! request's headers (a client that opens a connection and never finishes its headers
//! is cut off), and a graceful stop that lets requests under way finish.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::domain::Caller;

/// Runs blocking work (SQLite, SRP, password hashes) off the reactor; a panic is an
/// internal error.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> crate::error::OpResult<T> + Send + 'static,
) -> crate::error::OpResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(crate::error::CognitoError::internal(e)))
}

/// The address a request came from, put in each request's extensions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub std::net::IpAddr);

/// Who sent a request, as its connection and headers say: the peer's address, the
/// `User-Agent` (at most 1024 characters, as the model bounds `SessionDeviceType`) and
/// the `Host`.
pub(crate) fn caller_of(peer: Option<Peer>, headers: &axum::http::HeaderMap) -> Caller {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    Caller {
        ip: peer.map(|Peer(ip)| ip.to_string()),
        user_agent: header("user-agent").map(|agent| agent.chars().take(1024).collect()),
        host: header("host").map(str::to_owned),
        ..Caller::default()
    }
}

/// How long a client has to send a request's headers by default, from the
/// connection's start or the end of the previous response.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `stop` resolves, then waits for the connections'
/// requests under way. Headers must arrive within `header_timeout`.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    let (stopping, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: pause, then go on.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                // Each request knows the address it came from (auth events, sessions).
                let service = TowerToHyperService::new(app.clone().map_request(
                    move |mut request: axum::http::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(Peer(peer.ip()));
                        request
                    },
                ));
                let mut stopped = stopped.clone();
                connections.spawn(async move {
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_timeout)
                        .serve_connection(TokioIo::new(stream), service);
                    let mut connection = std::pin::pin!(connection);
                    tokio::select! {
                        result = connection.as_mut() => {
                            if let Err(e) = result {
                                tracing::debug!(error = %e, "connection ended");
                            }
                            return;
                        }
                        _ = stopped.wait_for(|s| *s) => connection.as_mut().graceful_shutdown(),
                    }
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended");
                    }
                });
            }
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
}
