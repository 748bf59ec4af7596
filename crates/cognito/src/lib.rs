//! An async client for Amazon Cognito user pools: everything pycognito does,
//! typed, over the official AWS SDK for Rust.
//!
//! * Logins with SRP (the password never leaves the process), with a password,
//!   as an admin, or custom; every challenge answered through a serialisable
//!   [`PendingChallenge`], so a web app can answer it in a later request.
//! * Tokens verified on arrival ([`cognito_jwt`]), renewed when due
//!   ([`Cognito::check_token`] trusts only a verified expiry), signed out and revoked.
//! * Remembered devices: confirmed with a generated verifier, and answering
//!   `DEVICE_SRP_AUTH` by themselves on later logins (skipping MFA where Cognito does).
//! * Sign-up, passwords, profile, users (a paginated stream), groups, TOTP MFA.
//! * Tokens and device keys kept in a [`TokenStore`] (in memory or a 0600 file).
//! * The hosted UI's OAuth 2.0 endpoints ([`oauth`]): the code grant with PKCE, the id
//!   token checked against its request, refresh, userinfo, revocation, the logout URL,
//!   and machine-to-machine tokens cached and renewed (also as `reqwest-middleware`).
//!
//! User operations need no AWS credentials; admin operations use those of the
//! SDK configuration given to the builder.
//!
//! ```no_run
//! use cognito::{Cognito, LoginOutcome};
//!
//! # async fn run() -> cognito::Result<()> {
//! let cognito = Cognito::builder()
//!     .pool_id("us-east-1_AbCdEfGhI")
//!     .client_id("1example23456789abcdefghij")
//!     .build()?;
//! let mut tokens = match cognito.login("ada", "Correct-Horse-1!").await? {
//!     LoginOutcome::Tokens(tokens) => tokens,
//!     LoginOutcome::Challenge(pending) => {
//!         // e.g. SOFTWARE_TOKEN_MFA: ask the user for the code
//!         cognito.answer_mfa(pending, "123456").await?.into_tokens()?
//!     }
//! };
//! let claims = tokens.claims().expect("verified at login");
//! println!("signed in as {}", claims.id.username);
//! cognito.check_token(&mut tokens).await?; // renews when due
//! cognito.sign_out(&tokens).await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attributes;
mod challenge;
mod client;
mod devices;
mod error;
mod groups;
mod login;
mod mfa;
#[cfg(feature = "reqwest-middleware")]
pub mod middleware;
pub mod oauth;
mod pages;
mod profile;
mod registration;
mod store;
mod tokens;
mod users;

pub use attributes::{Attributes, CodeDelivery};
pub use challenge::{Challenge, MfaType, PendingChallenge};
pub use client::{Clock, Cognito, CognitoBuilder, DEFAULT_LEEWAY};
pub use devices::{Device, RememberedDevice};
pub use error::{Error, Result};
pub use groups::Group;
pub use login::LoginOutcome;
pub use mfa::{MfaPreference, totp_uri};
pub use registration::SignUp;
pub use store::{FileStore, MemoryStore, StoredUser, TokenStore, write_private_file};
pub use tokens::{NewDevice, TokenSet, VerifiedClaims};
pub use users::{NewUser, User};

/// The AWS SDK this crate runs on, for configuration types and unwrapped operations.
pub use aws_sdk_cognitoidentityprovider as sdk;
/// Token verification, as used by this crate.
pub use cognito_jwt;
