//! A local Amazon Cognito user pool server.
//!
//! boto3, pycognito, the AWS SDKs and this project's own client talk to it
//! unchanged, by endpoint URL alone. It speaks the AWS JSON 1.1 protocol
//! (`POST /` with `X-Amz-Target`), answers with Cognito's own exceptions, stores
//! SRP verifiers instead of passwords, and keeps its data in SQLite (a file, or
//! in memory).
//!
//! The inside follows the request: [`server`] (HTTP) → [`protocol`] (decode,
//! authenticate, encode) → [`ops`] (one handler per operation) → [`store`].
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let server = cognito_local::Server::builder().in_memory().start().await?;
//! // Point an SDK at server.url(), with any credentials.
//! server.shutdown().await;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod hex;
pub mod messages;
pub mod model;
pub mod ops;
pub mod protocol;
pub mod server;
pub mod store;
pub mod tokens;

pub use server::{RunningServer, Server, ServerBuilder, StartError, Storage};
