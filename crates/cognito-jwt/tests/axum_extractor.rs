//! The extractor in a real axum app on 127.0.0.1, called over HTTP.
#![cfg(feature = "axum")]

mod common;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use cognito_jwt::axum::CognitoUser;
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use common::*;

async fn whoami(CognitoUser(token): CognitoUser) -> String {
    token.claims.username().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_extractor_admits_good_tokens_and_refuses_others_without_detail() {
    let key = Signer::new("k1");
    let jwks = JwksServer::start(vec![key.jwk()]).await;
    let config = PoolConfig::new(POOL, TokenUse::Access, ClientIds::one(CLIENT))
        .unwrap()
        .issuer_base(&jwks.base)
        .unwrap();
    let verifier = Arc::new(CognitoJwtVerifier::new(config).unwrap());
    let app = Router::new()
        .route("/whoami", get(whoami))
        .with_state(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/whoami", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();

    let good = key.sign(&access_claims(&jwks.issuer(POOL)));
    let response = http.get(&url).bearer_auth(&good).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "alice");

    let missing = http.get(&url).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    assert_eq!(
        missing.headers()["www-authenticate"],
        r#"Bearer realm="cognito""#
    );

    let expired = key.sign(&{
        let mut c = access_claims(&jwks.issuer(POOL));
        c["exp"] = serde_json::json!(now() - 60);
        c
    });
    for bad in [expired.as_str(), "garbage", "a.b.c"] {
        let response = http.get(&url).bearer_auth(bad).send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.headers()["www-authenticate"],
            r#"Bearer realm="cognito", error="invalid_token""#
        );
        assert_eq!(response.text().await.unwrap(), "", "no detail leaked");
    }
}
