//! A small API behind Cognito: `GET /me` answers with the caller's claims.
//!
//! ```sh
//! POOL_ID=us-east-1_AbCdEfGhI CLIENT_ID=1example23456789abcdefghij \
//! ISSUER_BASE=http://127.0.0.1:9229 \
//!     cargo run -p cognito-jwt --features axum --example axum_app
//! curl -H "Authorization: Bearer $ACCESS_TOKEN" http://127.0.0.1:3000/me
//! ```
//! Without `ISSUER_BASE`, tokens must come from the real Cognito service.

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use cognito_jwt::axum::CognitoUser;
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use serde_json::{Value, json};

async fn me(CognitoUser(token): CognitoUser) -> Json<Value> {
    Json(json!({
        "username": token.claims.username(),
        "sub": token.claims.sub(),
        "groups": token.claims.groups(),
        "claims": token.raw(),
    }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool_id = std::env::var("POOL_ID").map_err(|_| "set POOL_ID")?;
    let clients = match std::env::var("CLIENT_ID") {
        Ok(id) => ClientIds::one(id),
        Err(_) => ClientIds::Any,
    };
    let mut pool = PoolConfig::new(&pool_id, TokenUse::Access, clients)?.static_jwks_from_env()?;
    if let Ok(base) = std::env::var("ISSUER_BASE") {
        pool = pool.issuer_base(&base)?;
    }
    let verifier = Arc::new(CognitoJwtVerifier::new(pool)?);
    let app = Router::new().route("/me", get(me)).with_state(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
