//! The reqwest middleware against a protected axum API, with Cognito (a real
//! cognito-local) behind a local proxy that counts logins and refreshes.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{any, get};
use cognito::middleware::{CognitoAuth, TokenKind};
use cognito_jwt::axum::CognitoUser;
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use common::{Local, PASSWORD, PoolSpec, start_on_manual_clock};

#[derive(Default)]
struct Counts {
    logins: AtomicU64,
    refreshes: AtomicU64,
}

struct Proxy {
    upstream: String,
    http: reqwest::Client,
    counts: Arc<Counts>,
}

/// Forwards every request to cognito-local, counting logins (InitiateAuth by flow) and
/// refreshes (GetTokensFromRefreshToken, or REFRESH_TOKEN_AUTH).
async fn forward(
    State(proxy): State<Arc<Proxy>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, HeaderMap, Bytes) {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if target.ends_with(".GetTokensFromRefreshToken") {
        proxy.counts.refreshes.fetch_add(1, Ordering::SeqCst);
    }
    if target.ends_with(".InitiateAuth") {
        let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        match request["AuthFlow"].as_str() {
            Some("USER_SRP_AUTH") => proxy.counts.logins.fetch_add(1, Ordering::SeqCst),
            Some("REFRESH_TOKEN_AUTH") => proxy.counts.refreshes.fetch_add(1, Ordering::SeqCst),
            _ => 0,
        };
    }
    let mut upstream = proxy.http.post(&proxy.upstream).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = upstream.send().await.unwrap();
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
    let mut out = HeaderMap::new();
    if let Some(kind) = answer.headers().get("content-type") {
        out.insert("content-type", kind.to_str().unwrap().parse().unwrap());
    }
    (status, out, answer.bytes().await.unwrap())
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

struct Setup {
    local: Local,
    counts: Arc<Counts>,
    proxy_url: String,
    api_url: String,
}

async fn setup() -> Setup {
    let local = start_on_manual_clock(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let counts = Arc::new(Counts::default());
    let proxy = Arc::new(Proxy {
        upstream: local.url.clone(),
        http: reqwest::Client::new(),
        counts: counts.clone(),
    });
    let proxy_url = serve(Router::new().fallback(any(forward)).with_state(proxy)).await;

    let pool = PoolConfig::new(
        &local.pool_id,
        TokenUse::Id,
        ClientIds::one(&local.client_id),
    )
    .unwrap()
    .issuer_base(&local.url)
    .unwrap();
    let verifier = Arc::new(CognitoJwtVerifier::new(pool).unwrap());
    let api = Router::new()
        .route(
            "/me",
            get(|CognitoUser(token): CognitoUser| async move {
                token.claims.username().unwrap_or_default().to_owned()
            }),
        )
        .with_state(verifier);
    let api_url = serve(api).await;
    Setup {
        local,
        counts,
        proxy_url,
        api_url,
    }
}

impl Setup {
    fn auth(&self) -> CognitoAuth {
        let cognito = self
            .local
            .builder()
            .endpoint_url(&self.proxy_url)
            .issuer_base(&self.local.url)
            .build()
            .unwrap();
        CognitoAuth::new(cognito, "ada", PASSWORD)
    }

    fn client(&self, auth: Arc<CognitoAuth>) -> reqwest_middleware::ClientWithMiddleware {
        reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
            .with_arc(auth)
            .build()
    }

    fn counts(&self) -> (u64, u64) {
        (
            self.counts.logins.load(Ordering::SeqCst),
            self.counts.refreshes.load(Ordering::SeqCst),
        )
    }
}

#[tokio::test]
async fn one_login_for_many_concurrent_requests_then_one_refresh() {
    let setup = setup().await;
    // Renew when less than 3598 s of the hour are left: two seconds after a login.
    let auth = Arc::new(setup.auth().leeway(Duration::from_secs(3598)));
    let client = setup.client(auth.clone());

    let calls = (0..16).map(|_| client.get(format!("{}/me", setup.api_url)).send());
    for answer in futures_util::future::join_all(calls).await {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.text().await.unwrap(), "ada");
    }
    assert_eq!(setup.counts(), (1, 0), "one login, shared by 16 requests");
    assert_eq!((auth.logins(), auth.renewals()), (1, 0));

    setup.local.advance(Duration::from_millis(2100));
    let calls = (0..16).map(|_| client.get(format!("{}/me", setup.api_url)).send());
    for answer in futures_util::future::join_all(calls).await {
        assert_eq!(answer.unwrap().status(), 200);
    }
    assert_eq!(
        setup.counts(),
        (1, 1),
        "one refresh while the others waited"
    );
}

#[tokio::test]
async fn a_refused_refresh_token_means_a_new_login() {
    let setup = setup().await;
    let auth = Arc::new(setup.auth().leeway(Duration::from_secs(3598)));
    let client = setup.client(auth.clone());
    let me = format!("{}/me", setup.api_url);
    assert_eq!(client.get(&me).send().await.unwrap().status(), 200);

    // Signed out everywhere: the refresh token is revoked.
    setup
        .local
        .admin
        .admin_user_global_sign_out()
        .user_pool_id(&setup.local.pool_id)
        .username("ada")
        .send()
        .await
        .unwrap();
    setup.local.advance(Duration::from_millis(2100));
    assert_eq!(client.get(&me).send().await.unwrap().status(), 200);
    assert_eq!(
        setup.counts(),
        (2, 1),
        "the refresh failed, so it logged in again"
    );
}

#[tokio::test]
async fn header_prefix_and_token_are_configurable() {
    let setup = setup().await;
    let auth = Arc::new(
        setup
            .auth()
            .header(http::HeaderName::from_static("x-token"))
            .prefix("")
            .token(TokenKind::Access),
    );
    let value = auth.header_value().await.unwrap();
    assert!(value.is_sensitive());
    let verifier = setup.local.cognito();
    let verified = verifier
        .verifier()
        .verify(value.to_str().unwrap())
        .await
        .unwrap();
    assert!(verified.claims.as_access().is_some());
    // Without the bearer header, the API refuses.
    let plain = setup.client(auth);
    let answer = plain
        .get(format!("{}/me", setup.api_url))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    // A wrong password is the login's error, not a panic.
    let cognito = setup.local.builder().build().unwrap();
    let wrong = CognitoAuth::new(cognito, "ada", "wrong-Password-1");
    assert!(matches!(
        wrong.header_value().await,
        Err(cognito::Error::NotAuthorized(_))
    ));
}

/// The client_credentials token source as middleware: a service's calls to an API that
/// verifies the token and its scope. Concurrent first calls share one token.
#[tokio::test]
async fn client_credentials_tokens_on_a_services_requests() {
    use cognito::oauth::OAuthClient;
    let local = common::start(PoolSpec::default()).await;
    let (service_id, service_secret) = local.service_client("m2m-middleware").await;

    let verifier = Arc::new(
        CognitoJwtVerifier::new(
            PoolConfig::new(
                &local.pool_id,
                TokenUse::Access,
                ClientIds::one(&service_id),
            )
            .unwrap()
            .issuer_base(&local.url)
            .unwrap()
            .require_scopes(["orders/read"]),
        )
        .unwrap(),
    );
    let api = Router::new()
        .route(
            "/orders",
            get(
                |State(verifier): State<Arc<CognitoJwtVerifier>>, headers: HeaderMap| async move {
                    let bearer = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.strip_prefix("Bearer "))
                        .unwrap_or_default();
                    match verifier.verify(bearer).await {
                        Ok(token) => (StatusCode::OK, token.raw()["jti"].to_string()),
                        Err(e) => (StatusCode::UNAUTHORIZED, e.to_string()),
                    }
                },
            ),
        )
        .with_state(verifier);
    let api_url = serve(api).await;

    let oauth = OAuthClient::builder()
        .domain(format!("{}/{}", local.url, local.pool_id))
        .client_id(&service_id)
        .client_secret(&service_secret)
        .build()
        .unwrap();
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(oauth.client_credentials(&["orders/read"]))
        .build();
    let calls = (0..8).map(|_| client.get(format!("{api_url}/orders")).send());
    let mut ids = Vec::new();
    for answer in futures_util::future::join_all(calls).await {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), 200);
        ids.push(answer.text().await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one token for every call: {ids:?}");
}
