//! The verifier against a real JWKS server on 127.0.0.1 and keys generated here.

mod common;

use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::hmac;
use cognito_jwt::{
    ClientIds, CognitoClaims, CognitoJwtVerifier, ConfigError, PoolConfig, TokenUse, VerifyError,
};
use common::*;
use serde_json::{Value, json};

fn pool(server: &JwksServer, token_use: TokenUse) -> PoolConfig {
    PoolConfig::new(POOL, token_use, ClientIds::one(CLIENT))
        .unwrap()
        .issuer_base(&server.base)
        .unwrap()
}

fn verifier(config: PoolConfig) -> CognitoJwtVerifier {
    CognitoJwtVerifier::builder()
        .pool(config)
        .penalty(Duration::from_millis(300))
        .build()
        .unwrap()
}

#[tokio::test]
async fn good_tokens_verify_with_typed_claims() {
    let key = Signer::new("k1");
    let server = JwksServer::start(vec![key.jwk()]).await;
    let iss = server.issuer(POOL);
    let v = verifier(pool(&server, TokenUse::Any));

    let id = v.verify(&key.sign(&id_claims(&iss))).await.unwrap();
    let CognitoClaims::Id(claims) = &id.claims else {
        panic!("an id token")
    };
    assert_eq!(claims.username, "alice");
    assert_eq!(claims.email_verified, Some(true));
    assert_eq!(claims.custom.get("tier").map(String::as_str), Some("gold"));
    assert_eq!(claims.custom.get("age").map(String::as_str), Some("42"));
    assert_eq!(id.claims.groups(), ["admin"]);
    assert_eq!(id.raw()["custom:tier"], "gold");
    assert_eq!(id.header.kid, "k1");

    let access = v.verify(&key.sign(&access_claims(&iss))).await.unwrap();
    let claims = access.claims.as_access().unwrap();
    assert_eq!(
        claims.scopes().collect::<Vec<_>>(),
        ["aws.cognito.signin.user.admin"]
    );
    assert_eq!(access.claims.client_id(), CLIENT);
    assert_eq!(server.fetches(), 1, "the JWKS is fetched once and cached");
    // Cached keys verify synchronously too.
    assert!(v.verify_cached(&key.sign(&access_claims(&iss))).is_ok());
}

/// A hostile token: its name, the verifier it meets, the token, and the error it must get.
type Case<'a> = (
    &'a str,
    &'a CognitoJwtVerifier,
    String,
    fn(&VerifyError) -> bool,
);

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

#[tokio::test]
async fn hostile_tokens_are_each_refused_with_their_own_error() {
    let key = Signer::new("k1");
    let other = Signer::new("k2");
    let mut rs384 = Signer::new("k3").jwk();
    rs384["alg"] = json!("RS384");
    let server = JwksServer::start(vec![key.jwk(), other.jwk(), rs384]).await;
    let iss = server.issuer(POOL);
    let access = verifier(pool(&server, TokenUse::Access));
    let strict = verifier(
        pool(&server, TokenUse::Access)
            .require_groups(["ops"])
            .custom_check(|c| {
                if c.username() == Some("alice") {
                    Err("no alice".into())
                } else {
                    Ok(())
                }
            }),
    );
    let scoped = verifier(pool(&server, TokenUse::Access).require_scopes(["orders/write"]));
    let id_only = verifier(pool(&server, TokenUse::Id));

    let good = key.sign(&access_claims(&iss));
    let (header, payload, signature) = {
        let mut parts = good.split('.');
        (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        )
    };
    let hs256 = {
        let input = format!(
            "{}.{payload}",
            b64(json!({"alg": "HS256", "kid": "k1"}).to_string())
        );
        let tag = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &key.public_der()),
            input.as_bytes(),
        );
        format!("{input}.{}", b64(tag.as_ref()))
    };
    let tampered = format!(
        "{header}.{}.{signature}",
        b64(with(access_claims(&iss), "username", json!("root")).to_string())
    );
    let duplicate = {
        let claims = access_claims(&iss).to_string();
        let claims = claims.replacen('{', r#"{"username":"root","#, 1);
        let input = format!("{header}.{}", b64(claims));
        let signed = key.sign_raw(&json!({"alg": "RS256", "kid": "k1"}), &json!({}));
        format!("{input}.{}", signed.rsplit('.').next().unwrap())
    };

    let cases: Vec<Case> = vec![
        (
            "alg none",
            &access,
            format!("{}.{payload}.", b64(r#"{"alg":"none","kid":"k1"}"#)),
            |e| matches!(e, VerifyError::UnsupportedAlgorithm(a) if a == "none"),
        ),
        (
            "HS256 with the public key",
            &access,
            hs256,
            |e| matches!(e, VerifyError::UnsupportedAlgorithm(a) if a == "HS256"),
        ),
        (
            "swapped kid",
            &access,
            other.sign_raw(&json!({"alg": "RS256", "kid": "k1"}), &access_claims(&iss)),
            |e| *e == VerifyError::InvalidSignature,
        ),
        (
            "kid of a key for another alg",
            &access,
            key.sign_raw(&json!({"alg": "RS256", "kid": "k3"}), &access_claims(&iss)),
            |e| matches!(e, VerifyError::AlgorithmMismatch { .. }),
        ),
        ("tampered payload", &access, tampered, |e| {
            *e == VerifyError::InvalidSignature
        }),
        (
            "expired",
            &access,
            key.sign(&with(access_claims(&iss), "exp", json!(now() - 10))),
            |e| matches!(e, VerifyError::Expired { .. }),
        ),
        (
            "future nbf",
            &access,
            key.sign(&with(access_claims(&iss), "nbf", json!(now() + 600))),
            |e| matches!(e, VerifyError::NotYetValid { .. }),
        ),
        (
            "wrong issuer",
            &access,
            key.sign(&with(
                access_claims(&iss),
                "iss",
                json!("https://evil.example/pool"),
            )),
            |e| matches!(e, VerifyError::WrongIssuer(_)),
        ),
        (
            "id where access is required",
            &access,
            key.sign(&id_claims(&iss)),
            |e| {
                matches!(
                    e,
                    VerifyError::WrongTokenUse {
                        expected: TokenUse::Access,
                        ..
                    }
                )
            },
        ),
        (
            "access where id is required",
            &id_only,
            key.sign(&access_claims(&iss)),
            |e| {
                matches!(
                    e,
                    VerifyError::WrongTokenUse {
                        expected: TokenUse::Id,
                        ..
                    }
                )
            },
        ),
        (
            "wrong client",
            &access,
            key.sign(&with(
                access_claims(&iss),
                "client_id",
                json!("someone-else"),
            )),
            |e| matches!(e, VerifyError::ClientMismatch(c) if c == "someone-else"),
        ),
        (
            "missing group",
            &strict,
            key.sign(&access_claims(&iss)),
            |e| *e == VerifyError::MissingGroup,
        ),
        (
            "missing scope",
            &scoped,
            key.sign(&access_claims(&iss)),
            |e| *e == VerifyError::MissingScope,
        ),
        (
            "custom check",
            &strict,
            key.sign(&with(access_claims(&iss), "cognito:groups", json!(["ops"]))),
            |e| matches!(e, VerifyError::CustomCheck(m) if m == "no alice"),
        ),
        (
            "oversized",
            &access,
            key.sign(&with(access_claims(&iss), "pad", json!("x".repeat(20_000)))),
            |e| matches!(e, VerifyError::TooLarge { .. }),
        ),
        (
            "bad base64",
            &access,
            format!("{header}.{payload}!.{signature}"),
            |e| matches!(e, VerifyError::Malformed(_)),
        ),
        (
            "duplicate keys",
            &access,
            duplicate,
            |e| matches!(e, VerifyError::Malformed(m) if m.contains("duplicate")),
        ),
        (
            "wrong claim type",
            &access,
            key.sign(&with(access_claims(&iss), "exp", json!("tomorrow"))),
            |e| matches!(e, VerifyError::Malformed(_)),
        ),
        ("two parts", &access, format!("{header}.{payload}"), |e| {
            matches!(e, VerifyError::Malformed(_))
        }),
    ];
    for (name, verifier, token, expected) in cases {
        let result = verifier.verify(&token).await;
        match result {
            Err(e) if expected(&e) => {}
            other => panic!("{name}: unexpected {other:?}"),
        }
    }
    assert!(access.verify(&good).await.is_ok());
}

#[tokio::test]
async fn a_rotated_key_is_found_by_one_refetch() {
    let old = Signer::new("old");
    let server = JwksServer::start(vec![old.jwk()]).await;
    let iss = server.issuer(POOL);
    let v = verifier(pool(&server, TokenUse::Access));
    assert!(v.verify(&old.sign(&access_claims(&iss))).await.is_ok());
    assert_eq!(server.fetches(), 1);

    let new = Signer::new("new");
    server.keys.lock().unwrap().push(new.jwk());
    assert!(v.verify(&new.sign(&access_claims(&iss))).await.is_ok());
    assert_eq!(server.fetches(), 2);
    assert!(v.verify(&new.sign(&access_claims(&iss))).await.is_ok());
    assert_eq!(server.fetches(), 2);
}

#[tokio::test]
async fn an_unknown_kid_is_refetched_once_then_penalised() {
    let key = Signer::new("k1");
    let stranger = Signer::new("stranger");
    let server = JwksServer::start(vec![key.jwk()]).await;
    let iss = server.issuer(POOL);
    let v = verifier(pool(&server, TokenUse::Access));
    let token = stranger.sign(&access_claims(&iss));

    assert_eq!(
        v.verify(&token).await,
        Err(VerifyError::UnknownKid("stranger".into()))
    );
    assert_eq!(server.fetches(), 1);
    assert!(matches!(
        v.verify(&token).await,
        Err(VerifyError::PenaltyPeriod { .. })
    ));
    assert_eq!(server.fetches(), 1, "no refetch during the penalty");
    // Known keys still verify during the penalty.
    assert!(v.verify(&key.sign(&access_claims(&iss))).await.is_ok());

    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        v.verify(&token).await,
        Err(VerifyError::UnknownKid("stranger".into()))
    );
    assert_eq!(server.fetches(), 2, "one refetch after the penalty");
}

#[tokio::test]
async fn concurrent_lookups_share_one_fetch() {
    let key = Signer::new("k1");
    let server = JwksServer::start(vec![key.jwk()]).await;
    *server.delay.lock().unwrap() = Duration::from_millis(100);
    let iss = server.issuer(POOL);
    let v = Arc::new(verifier(pool(&server, TokenUse::Access)));
    let token = key.sign(&access_claims(&iss));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (v, token) = (v.clone(), token.clone());
            tokio::spawn(async move { v.verify(&token).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_ok());
    }
    assert_eq!(server.fetches(), 1);
}

#[tokio::test]
async fn an_unavailable_jwks_is_reported() {
    let key = Signer::new("k1");
    let server = JwksServer::start(vec![key.jwk()]).await;
    *server.status.lock().unwrap() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    let v = verifier(pool(&server, TokenUse::Access));
    let token = key.sign(&access_claims(&server.issuer(POOL)));
    assert!(
        matches!(v.verify(&token).await, Err(VerifyError::JwksUnavailable(m)) if m.contains("500"))
    );
    assert!(matches!(
        v.verify_cached(&token),
        Err(VerifyError::JwksNotLoaded(_))
    ));
    assert!(matches!(
        v.hydrate().await,
        Err(VerifyError::JwksUnavailable(_))
    ));
}

#[tokio::test]
async fn hydrate_loads_keys_before_the_first_token() {
    let key = Signer::new("k1");
    let server = JwksServer::start(vec![key.jwk(), Signer::new("k2").jwk()]).await;
    let v = verifier(pool(&server, TokenUse::Access));
    let token = key.sign(&access_claims(&server.issuer(POOL)));
    assert!(matches!(
        v.verify_cached(&token),
        Err(VerifyError::JwksNotLoaded(_))
    ));
    assert_eq!(v.hydrate().await, Ok(2));
    assert!(v.verify_cached(&token).is_ok());
}

#[test]
fn a_static_jwks_works_offline_including_cognito_jwks() {
    let key = Signer::new("k1");
    let jwks = json!({ "keys": [key.jwk()] }).to_string();
    let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}");
    let v = CognitoJwtVerifier::new(
        PoolConfig::new(POOL, TokenUse::Id, ClientIds::Any)
            .unwrap()
            .static_jwks(&jwks)
            .unwrap(),
    )
    .unwrap();
    assert!(v.verify_cached(&key.sign(&id_claims(&iss))).is_ok());
    let stranger = Signer::new("k9").sign(&id_claims(&iss));
    assert_eq!(
        v.verify_cached(&stranger),
        Err(VerifyError::UnknownKid("k9".into()))
    );

    // SAFETY of the environment: this is the only test in this binary that touches COGNITO_JWKS.
    unsafe { std::env::set_var(cognito_jwt::COGNITO_JWKS_ENV, &jwks) };
    let from_env = CognitoJwtVerifier::new(
        PoolConfig::new(POOL, TokenUse::Id, ClientIds::Any)
            .unwrap()
            .static_jwks_from_env()
            .unwrap(),
    )
    .unwrap();
    assert!(from_env.verify_cached(&key.sign(&id_claims(&iss))).is_ok());
}

#[tokio::test]
async fn several_pools_are_routed_by_issuer() {
    let (a, b) = (Signer::new("ka"), Signer::new("kb"));
    let server = JwksServer::start(vec![a.jwk(), b.jwk()]).await;
    let second = "eu-west-1_SecondPool";
    let v = CognitoJwtVerifier::builder()
        .pool(pool(&server, TokenUse::Access))
        .pool(
            PoolConfig::new(second, TokenUse::Id, ClientIds::Any)
                .unwrap()
                .issuer_base(&server.base)
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_eq!(v.issuers().count(), 2);
    assert!(
        v.verify(&a.sign(&access_claims(&server.issuer(POOL))))
            .await
            .is_ok()
    );
    let id = v
        .verify(&b.sign(&with(
            id_claims(&server.issuer(second)),
            "aud",
            json!("any-client"),
        )))
        .await;
    assert_eq!(id.unwrap().claims.token_use(), TokenUse::Id);
    // Each pool keeps its own policy: the second accepts only id tokens.
    let wrong = v
        .verify(&b.sign(&access_claims(&server.issuer(second))))
        .await;
    assert!(matches!(wrong, Err(VerifyError::WrongTokenUse { .. })));
}

#[test]
fn bad_configurations_are_refused() {
    // The workspace's one pool-id rule is the AWS model's `[\w-]+_[0-9a-zA-Z]+`
    // (cognito_srp::PoolId): `US_x` fits it, a space or a name with `-` does not.
    for bad in ["", "us-east-1", "us-east-1_", "us east_x", "us-east-1_a-b"] {
        assert_eq!(
            PoolConfig::new(bad, TokenUse::Id, ClientIds::Any).err(),
            Some(ConfigError::InvalidPoolId(bad.into()))
        );
    }
    let config = PoolConfig::new(POOL, TokenUse::Id, ClientIds::Any).unwrap();
    for url in ["http://example.com", "ftp://127.0.0.1", "not a url"] {
        assert!(
            matches!(
                config.clone().jwks_uri(url),
                Err(ConfigError::InvalidUrl(_))
            ),
            "{url}"
        );
    }
    assert!(
        config
            .clone()
            .jwks_uri("http://127.0.0.1:9229/x/.well-known/jwks.json")
            .is_ok()
    );
    assert!(
        config
            .clone()
            .jwks_uri("http://localhost:9229/jwks.json")
            .is_ok()
    );
    assert!(matches!(
        config.clone().static_jwks("{}"),
        Err(ConfigError::InvalidJwks(_))
    ));
    assert!(matches!(
        CognitoJwtVerifier::builder().build(),
        Err(ConfigError::NoPool)
    ));
    let twice = CognitoJwtVerifier::builder()
        .pool(config.clone())
        .pool(config)
        .build();
    assert!(matches!(twice, Err(ConfigError::DuplicateIssuer(_))));
}
