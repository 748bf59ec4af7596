//! The operations: one handler per Cognito operation, named as Cognito names it.
//!
//! Handlers are plain functions over the domain layer: a typed request in, an answer
//! (a typed reply or JSON) or a [`crate::error::CognitoError`] out. They never see HTTP
//! or the store, and never call each other: what two handlers share lives in
//! `domain`. The table of operations is in `table.rs`.

pub(crate) mod auth;
mod auth_events;
mod branding;
mod cimd_policies;
mod client_secrets;
mod client_token;
mod clients;
mod derived_token;
mod devices;
mod groups;
mod identity_providers;
mod imports;
mod limits;
mod listing;
mod mfa;
pub(crate) mod oauth;
mod output;
mod pool_configs;
mod pool_domains;
mod pool_mfa;
mod pools;
mod provider_links;
mod recovery;
mod replicas;
mod resource_servers;
mod service;
mod signed_in;
mod signup;
mod table;
mod tags;
mod terms;
pub(crate) mod ui;
mod user_sessions;
mod users;

pub(crate) use service::Service;
pub use table::{Auth, Operation};
