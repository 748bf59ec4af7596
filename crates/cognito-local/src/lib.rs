//! A local Amazon Cognito user pool server.
//!
//! boto3, pycognito, the AWS SDKs and this project's own client talk to it
//! unchanged, by endpoint URL alone. It speaks the AWS JSON 1.1 protocol
//! (`POST /` with `X-Amz-Target`), answers with Cognito's own exceptions, stores
//! SRP verifiers instead of passwords, and keeps its data in SQLite (a file, or
//! in memory).
//!
//! The inside follows the request (see `ARCHITECTURE.md` beside this crate's
//! manifest): the server (HTTP) → the protocol (decode, authenticate, encode) → the
//! operations (one handler per operation) → the domain layer (typed state, the
//! services the operations share) → the store (SQLite). Time comes from one
//! injected [`Clock`].
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let server = cognito_local::Server::builder().in_memory().start().await?;
//! // Point an SDK at server.url(), with any credentials.
//! server.shutdown().await;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod certificate;
mod clock;
mod domain;
mod error;
mod feedback_endpoint;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod hex;
mod hosted;
mod import_endpoints;
mod listen;
mod model;
pub mod ops;
mod outbound;
mod protocol;
mod server;
mod store;
mod tokens;
mod triggers;
mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use server::{
    MESSAGES_PATH, Purged, RunningServer, Server, ServerBuilder, StartError, Storage,
};
pub use store::StoreError;
pub use triggers::{ParseTargetError, Target, TriggerError, TriggerFn, TriggerFuture};
