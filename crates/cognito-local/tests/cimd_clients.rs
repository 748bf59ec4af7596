//! OAuth clients identified by a client ID metadata document (CIMD): an https URL as
//! `client_id`, matched against a CIMD policy, its document fetched over real TLS from
//! a host on loopback and used as the registration of a public client of the policy's
//! app client. The `openidconnect` crate is the relying party; ListClientMetadataURLs
//! and UpdateClientMetadataURLState show and change the cache.

mod common;
#[path = "common/https.rs"]
mod https;

use std::time::{Duration, SystemTime};

use cognito_local::{ManualClock, RunningServer, Server};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use serde_json::{Value, json};

use common::hosted::{Browser, authorize_url, exchange, hosted_pool};
use common::{confirmed_user, sdk, signed_call};
use https::{DocumentHost, Served};

/// The app client's own callback, and the agent's (the document's only one).
const APP_CALLBACK: &str = "http://localhost:9/cb";
const AGENT_CALLBACK: &str = "http://localhost:9/agent";
const PASSWORD: &str = "Passw0rd-Cimd1";

/// How the server under test is made.
#[derive(Default)]
struct Made {
    clock: Option<ManualClock>,
    /// Trust only the system's roots, not the host's authority.
    untrusting: bool,
}

/// A server trusting the host's authority, a pool with a domain, a public app client
/// for the code and implicit grants, a user, and a CIMD policy for the host's
/// `/agents/*` with `cache_duration`: `(server, pool, app client, policy)`.
async fn setup(
    host: &DocumentHost,
    made: Made,
    cache_duration: i64,
) -> (RunningServer, String, String, String) {
    let mut builder = Server::builder().in_memory();
    if !made.untrusting {
        builder = builder.trust_certificates(host.ca_pem.clone());
    }
    if let Some(clock) = made.clock {
        builder = builder.clock(clock);
    }
    let server = builder.start().await.unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, client_id) =
        hosted_pool(&sdk, |b| b, &["openid", "email", "profile"], APP_CALLBACK).await;
    confirmed_user(&sdk, &pool_id, "ada", PASSWORD).await;
    let (status, body) = call(
        &server,
        "CreateCIMDPolicy",
        json!({
            "UserPoolId": pool_id, "ClientId": client_id, "PolicyName": "agents",
            "CacheDuration": cache_duration, "URLPatterns": [host.url("/agents/*")],
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let policy = body["CIMDPolicy"]["CIMDPolicyId"]
        .as_str()
        .unwrap()
        .to_owned();
    (server, pool_id, client_id, policy)
}

async fn call(server: &RunningServer, op: &str, body: Value) -> (u16, Value) {
    signed_call(&reqwest::Client::new(), &server.url(), op, &body).await
}

/// A document registering `url` for the agent's callback.
fn document(url: &str, extra: Value) -> Value {
    let mut document = json!({
        "client_id": url,
        "client_name": "Agent",
        "redirect_uris": [AGENT_CALLBACK],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    });
    for (k, v) in extra.as_object().unwrap() {
        document[k] = v.clone();
    }
    document
}

/// Signs in on the hosted pages from an authorize URL: the answer of the sign-in.
async fn sign_in(browser: &mut Browser, base: &str, authorize: &str) -> common::hosted::Answer {
    common::hosted::sign_in(browser, base, authorize, "ada", PASSWORD).await
}

#[tokio::test]
async fn a_metadata_document_registers_a_public_client_of_its_policy() {
    let host = DocumentHost::start().await;
    let (server, pool_id, app_client, policy) = setup(&host, Made::default(), 172_800).await;
    let url = server.url();
    let agent = host.url("/agents/one.json");
    // A max-age under a day is not the cache's: the policy's CacheDuration is.
    host.serve_json(
        "/agents/one.json",
        &document(&agent, json!({"scope": "openid email"})),
        Some("max-age=3600"),
    );

    let issuer = IssuerUrl::new(format!("{url}/{pool_id}")).unwrap();
    let metadata = CoreProviderMetadata::discover_async(issuer, &common::rp_http)
        .await
        .unwrap();
    let rp = CoreClient::from_provider_metadata(metadata, ClientId::new(agent.clone()), None)
        .set_redirect_uri(RedirectUrl::new(AGENT_CALLBACK.to_owned()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize, csrf, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let mut browser = Browser::default();
    let back = sign_in(&mut browser, &url, authorize.as_str()).await;
    assert!(
        back.location
            .as_deref()
            .unwrap()
            .starts_with(AGENT_CALLBACK),
        "{back:?}"
    );
    assert_eq!(
        back.redirect_param("state").as_deref(),
        Some(csrf.secret().as_str())
    );
    let code = back.redirect_param("code").unwrap();
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&common::rp_http)
        .await
        .unwrap();
    // The ID token's audience is the URL the relying party used as its client_id.
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token.claims(&rp.id_token_verifier(), &nonce).unwrap();
    assert_eq!(claims.email().map(|e| e.as_str()), Some("ada@example.com"));
    let access = common::jwt_claims(tokens.access_token().secret());
    assert_eq!(access["client_id"], agent.as_str());
    assert_eq!(access["scope"], "openid email");
    let refresh = tokens
        .refresh_token()
        .expect("refresh_token is a grant of the document");

    // The refresh grant works for the URL client, without a secret; with one it is
    // refused (a CIMD client is public).
    let (status, body) = exchange(
        &url,
        &pool_id,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &agent),
            ("refresh_token", refresh.secret()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        common::jwt_claims(body["access_token"].as_str().unwrap())["client_id"],
        agent.as_str()
    );
    let (status, body) = exchange(
        &url,
        &pool_id,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &agent),
            ("client_secret", "anything-at-all-000000000"),
            ("refresh_token", refresh.secret()),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_client"))
    );

    // The browser's session gives a new code at once; it is bound to the URL, not to
    // the app client behind it.
    let again = browser
        .get(&authorize_url(
            &url,
            &pool_id,
            &[
                ("response_type", "code"),
                ("client_id", &agent),
                ("redirect_uri", AGENT_CALLBACK),
                ("scope", "openid"),
            ],
        ))
        .await;
    let code = again
        .redirect_param("code")
        .expect("a code from the session");
    let (status, body) = exchange(
        &url,
        &pool_id,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &app_client),
            ("code", &code),
            ("redirect_uri", AGENT_CALLBACK),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // What the document does not register is refused: a scope it does not list, the
    // app client's own callback, the implicit grant.
    let ask = |pairs: Vec<(&'static str, String)>| {
        let mut query = vec![("client_id", agent.clone())];
        query.extend(pairs);
        let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        authorize_url(&url, &pool_id, &pairs)
    };
    let answer = browser
        .get(&ask(vec![
            ("response_type", "code".into()),
            ("redirect_uri", AGENT_CALLBACK.into()),
            ("scope", "openid profile".into()),
        ]))
        .await;
    assert_eq!(
        answer.redirect_param("error").as_deref(),
        Some("invalid_scope")
    );
    let answer = browser
        .get(&ask(vec![
            ("response_type", "code".into()),
            ("redirect_uri", APP_CALLBACK.into()),
        ]))
        .await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("redirect_mismatch"), "{}", answer.body);
    let answer = browser
        .get(&ask(vec![
            ("response_type", "token".into()),
            ("redirect_uri", AGENT_CALLBACK.into()),
        ]))
        .await;
    assert_eq!(
        answer.redirect_param("error").as_deref(),
        Some("unauthorized_client")
    );

    // One fetch served every request; the cache shows it, for the policy's duration.
    assert_eq!(host.hits("/agents/one.json"), 1);
    let (status, body) = call(
        &server,
        "ListClientMetadataURLs",
        json!({"UserPoolId": pool_id, "CIMDPolicyId": policy}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let listed = body["ClientMetadataURLs"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["URL"], agent.as_str());
    let lasts =
        listed[0]["ExpirationDate"].as_f64().unwrap() - listed[0]["CachedDate"].as_f64().unwrap();
    assert_eq!(lasts.round() as i64, 172_800);
}

/// `GET` of an authorize request for `client_id` with the agent's callback.
async fn authorize(
    browser: &mut Browser,
    url: &str,
    pool_id: &str,
    client_id: &str,
) -> common::hosted::Answer {
    browser
        .get(&authorize_url(
            url,
            pool_id,
            &[
                ("response_type", "code"),
                ("client_id", client_id),
                ("redirect_uri", AGENT_CALLBACK),
            ],
        ))
        .await
}

#[tokio::test]
async fn documents_that_cannot_register_a_client_are_refused_and_not_cached() {
    let host = DocumentHost::start().await;
    let (server, pool_id, _, policy) = setup(&host, Made::default(), 86_400).await;
    let url = server.url();
    let mut browser = Browser::default();
    let refused = |answer: &common::hosted::Answer, why: &str| {
        assert_eq!(answer.status, 400, "{answer:?}");
        assert!(answer.body.contains(why), "{why} not in {}", answer.body);
    };

    // A URL no policy takes is no client, and is never fetched.
    let stray = host.url("/elsewhere/one.json");
    host.serve_json("/elsewhere/one.json", &document(&stray, json!({})), None);
    refused(
        &authorize(&mut browser, &url, &pool_id, &stray).await,
        "The client does not exist.",
    );
    assert_eq!(host.hits("/elsewhere/one.json"), 0);

    let cases: Vec<(&str, Served, &str)> = vec![
        (
            "/agents/other-id.json",
            json_served(&document("https://example.com/agent.json", json!({}))),
            "its client_id is not its URL",
        ),
        (
            "/agents/confidential.json",
            json_served(&document(
                &host.url("/agents/confidential.json"),
                json!({"token_endpoint_auth_method": "client_secret_basic"}),
            )),
            "its token_endpoint_auth_method is not none",
        ),
        (
            "/agents/no-redirects.json",
            json_served(&json!({"client_id": host.url("/agents/no-redirects.json")})),
            "it lists no redirect_uris",
        ),
        (
            "/agents/moved.json",
            Served {
                status: 302,
                body: String::new(),
                headers: vec![("location", host.url("/agents/one.json"))],
            },
            "the answer was HTTP 302",
        ),
        (
            "/agents/huge.json",
            Served {
                status: 200,
                body: format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000)),
                headers: vec![],
            },
            "unreadable or over 16384 bytes",
        ),
        (
            "/agents/missing.json",
            Served {
                status: 404,
                body: String::new(),
                headers: vec![],
            },
            "the answer was HTTP 404",
        ),
    ];
    for (path, served, why) in cases {
        host.serve(path, served);
        refused(
            &authorize(&mut browser, &url, &pool_id, &host.url(path)).await,
            why,
        );
    }
    let (_, body) = call(
        &server,
        "ListClientMetadataURLs",
        json!({"UserPoolId": pool_id, "CIMDPolicyId": policy}),
    )
    .await;
    assert_eq!(body["ClientMetadataURLs"], json!([]), "{body}");

    // A server that does not trust the host's authority does not take its document.
    let agent = host.url("/agents/one.json");
    host.serve_json("/agents/one.json", &document(&agent, json!({})), None);
    let (other, other_pool, _, _) = setup(
        &host,
        Made {
            untrusting: true,
            ..Made::default()
        },
        86_400,
    )
    .await;
    let answer = authorize(&mut browser, &other.url(), &other_pool, &agent).await;
    refused(&answer, "the request failed");
}

fn json_served(body: &Value) -> Served {
    Served {
        status: 200,
        body: body.to_string(),
        headers: vec![],
    }
}

#[tokio::test]
async fn the_cache_keeps_a_document_until_it_expires_is_refreshed_or_dropped() {
    let host = DocumentHost::start().await;
    let clock = ManualClock::at(SystemTime::now());
    let (server, pool_id, client_id, policy) = setup(
        &host,
        Made {
            clock: Some(clock.clone()),
            ..Made::default()
        },
        86_400,
    )
    .await;
    let url = server.url();
    let path = "/agents/cached.json";
    let agent = host.url(path);
    // A max-age of two days lies within a day and a year: it is the cache's duration.
    host.serve_json(
        path,
        &document(&agent, json!({})),
        Some("public, max-age=172800"),
    );
    let mut browser = Browser::default();
    let accepted = |answer: &common::hosted::Answer| {
        assert_eq!(answer.status, 302, "{answer:?}");
        assert!(
            answer.location.as_deref().unwrap().contains("/login?"),
            "{answer:?}"
        );
    };
    accepted(&authorize(&mut browser, &url, &pool_id, &agent).await);
    let listed = |body: &Value| body["ClientMetadataURLs"].as_array().unwrap().clone();
    let list = json!({"UserPoolId": pool_id, "CIMDPolicyId": policy});
    let (_, body) = call(&server, "ListClientMetadataURLs", list.clone()).await;
    let entry = &listed(&body)[0];
    let lasts = entry["ExpirationDate"].as_f64().unwrap() - entry["CachedDate"].as_f64().unwrap();
    assert_eq!(lasts.round() as i64, 172_800);

    // The document changes its callback: the cache still has the old one.
    let moved = "http://localhost:9/agent2";
    host.serve_json(
        path,
        &document(&agent, json!({"redirect_uris": [moved]})),
        None,
    );
    accepted(&authorize(&mut browser, &url, &pool_id, &agent).await);
    assert_eq!(host.hits(path), 1);

    // REFRESH fetches it again.
    let state = |action: &str, url: &str| json!({"UserPoolId": pool_id, "CIMDPolicyId": policy, "URL": url, "Action": action});
    let (status, body) = call(
        &server,
        "UpdateClientMetadataURLState",
        state("REFRESH", &agent),
    )
    .await;
    assert_eq!((status, body.clone()), (200, json!({})));
    assert_eq!(host.hits(path), 2);
    let old = authorize(&mut browser, &url, &pool_id, &agent).await;
    assert!(old.body.contains("redirect_mismatch"), "{old:?}");

    // INVALIDATE drops it; then there is nothing to refresh or drop.
    let (status, _) = call(
        &server,
        "UpdateClientMetadataURLState",
        state("INVALIDATE", &agent),
    )
    .await;
    assert_eq!(status, 200);
    let (_, body) = call(&server, "ListClientMetadataURLs", list.clone()).await;
    assert!(listed(&body).is_empty());
    for action in ["INVALIDATE", "REFRESH"] {
        let (status, body) = call(
            &server,
            "UpdateClientMetadataURLState",
            state(action, &agent),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(
            body["__type"], "CachedCIMDURLDoesNotExistException",
            "{body}"
        );
    }
    let (status, body) = call(
        &server,
        "UpdateClientMetadataURLState",
        state("PURGE", &agent),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // Fetched again on use, and again once expired (a day: no max-age this time).
    host.serve_json(path, &document(&agent, json!({})), None);
    accepted(&authorize(&mut browser, &url, &pool_id, &agent).await);
    assert_eq!(host.hits(path), 3);
    clock.advance(Duration::from_secs(86_401));
    accepted(&authorize(&mut browser, &url, &pool_id, &agent).await);
    assert_eq!(host.hits(path), 4);

    // Pages of URLs, in URL order.
    for name in ["a", "b", "c"] {
        let path = format!("/agents/{name}.json");
        host.serve_json(&path, &document(&host.url(&path), json!({})), None);
        accepted(&authorize(&mut browser, &url, &pool_id, &host.url(&path)).await);
    }
    let mut page = list.clone();
    page["MaxResults"] = json!(3);
    let (_, first) = call(&server, "ListClientMetadataURLs", page.clone()).await;
    assert_eq!(listed(&first).len(), 3);
    page["NextToken"] = first["NextToken"].clone();
    let (_, rest) = call(&server, "ListClientMetadataURLs", page).await;
    let urls: Vec<Value> = listed(&first)
        .iter()
        .chain(listed(&rest).iter())
        .map(|e| e["URL"].clone())
        .collect();
    assert_eq!(
        urls,
        ["a", "b", "c", "cached"].map(|n| json!(host.url(&format!("/agents/{n}.json"))))
    );
    assert!(rest.get("NextToken").is_none());

    // A policy changed to other patterns drops what it no longer takes, and the URLs
    // are no clients any more; a deleted policy's documents go with it.
    let (status, body) = call(
        &server,
        "UpdateCIMDPolicy",
        json!({
            "UserPoolId": pool_id, "CIMDPolicyId": policy, "ClientId": client_id,
            "URLPatterns": [host.url("/agents/a.json")],
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&server, "ListClientMetadataURLs", list.clone()).await;
    assert_eq!(listed(&body).len(), 1);
    let gone = authorize(&mut browser, &url, &pool_id, &agent).await;
    assert!(gone.body.contains("The client does not exist."), "{gone:?}");
    let (status, _) = call(&server, "DeleteCIMDPolicy", list.clone()).await;
    assert_eq!(status, 200);
    let (status, body) = call(&server, "ListClientMetadataURLs", list).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );
}
