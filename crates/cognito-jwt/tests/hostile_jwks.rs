//! JWKS endpoints that misbehave: a body without a length that never ends, and a key
//! set with broken keys among good ones.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse, VerifyError};
use common::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An HTTP server on 127.0.0.1 that answers every request with a chunked body of up
/// to 64 MiB, counting the bytes it managed to send.
async fn endless_jwks() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                for _ in 0..1024 {
                    let framed =
                        [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                    if socket.write_all(&framed).await.is_err() {
                        return;
                    }
                    counter.fetch_add(chunk.len(), Ordering::SeqCst);
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    (base, sent)
}

#[tokio::test]
async fn a_chunked_jwks_is_read_only_up_to_the_cap() {
    let (base, sent) = endless_jwks().await;
    let config = PoolConfig::new(POOL, TokenUse::Access, ClientIds::one(CLIENT))
        .unwrap()
        .issuer_base(&base)
        .unwrap();
    let verifier = CognitoJwtVerifier::new(config).unwrap();
    let token = Signer::new("k1").sign(&access_claims(&format!("{base}/{POOL}")));
    let refused = verifier.verify(&token).await;
    assert!(
        matches!(&refused, Err(VerifyError::JwksUnavailable(m)) if m.contains("larger than")),
        "{refused:?}"
    );
    // The reading stopped at 1 MiB: what the server got out is that plus what the
    // socket buffers held, far from the 64 MiB it would have sent.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < 16 * 1024 * 1024, "{sent} bytes were sent");
}

#[tokio::test]
async fn broken_keys_are_skipped_and_the_good_ones_kept() {
    let good = Signer::new("good");
    let mut broken_n = Signer::new("broken-n").jwk();
    broken_n["n"] = json!("not base64url!");
    let mut no_kid = Signer::new("x").jwk();
    no_kid.as_object_mut().unwrap().remove("kid");
    let mut short = Signer::new("short").jwk();
    short["n"] = json!(b64([0xc3u8; 64])); // a 512-bit modulus: too short to use
    let keys = vec![
        broken_n,
        json!(42),
        json!({"kid": "no-kty"}),
        no_kid,
        short,
        good.jwk(),
    ];
    let server = JwksServer::start(keys.clone()).await;
    let config = PoolConfig::new(POOL, TokenUse::Access, ClientIds::one(CLIENT))
        .unwrap()
        .issuer_base(&server.base)
        .unwrap();
    let verifier = CognitoJwtVerifier::new(config).unwrap();
    let claims = access_claims(&server.issuer(POOL));
    assert!(verifier.verify(&good.sign(&claims)).await.is_ok());

    // The same for a static JWKS.
    let jwks = json!({ "keys": keys }).to_string();
    let offline = CognitoJwtVerifier::new(
        PoolConfig::new(POOL, TokenUse::Access, ClientIds::one(CLIENT))
            .unwrap()
            .issuer_base(&server.base)
            .unwrap()
            .static_jwks(&jwks)
            .unwrap(),
    )
    .unwrap();
    assert!(offline.verify_cached(&good.sign(&claims)).is_ok());
}
