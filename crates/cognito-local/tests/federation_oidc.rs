//! Sign-in through an OIDC identity provider, on real servers: a second pool of the
//! same server plays the provider (its own hosted login, discovery, JWKS, token and
//! userInfo endpoints). The browser is driven redirect by redirect; every refusal is
//! checked to store nothing.

mod common;

use std::time::{Duration, SystemTime};

use aws_sdk_cognitoidentityprovider as cip;
use base64::Engine;
use cip::types::{IdentityProviderTypeType, OAuthFlowType, ProviderUserIdentifierType};
use cognito_local::{ManualClock, RunningServer, Server};
use serde_json::{Value, json};

use common::hosted::{Answer, Browser, authorize_url, exchange, sign_in, url_param};
use common::{attr, confirmed_user, error_of, pool_with, sdk};

const CALLBACK: &str = "http://localhost:9/cb";
const PASSWORD: &str = "Passw0rd-Federated1";
/// The provider's name in the signing-in pool.
const PROVIDER: &str = "PoolB";

use common::jwt_claims as claims;

/// Pool A signs users in through pool B.
struct Federation {
    server: RunningServer,
    url: String,
    sdk: cip::Client,
    /// The pool users sign in to, and its app client.
    pool_a: String,
    client_a: String,
    /// The provider pool.
    pool_b: String,
    /// The app's callback.
    callback: String,
}

/// A pool with a domain.
async fn domain_pool(
    sdk: &cip::Client,
    build: impl FnOnce(
        cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    ) -> cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
) -> String {
    let pool_id = pool_with(sdk, build).await;
    common::hosted::add_domain(sdk, &pool_id).await;
    pool_id
}

/// A code-grant app client of `pool` for `providers`, calling back to `callback`:
/// `(id, secret)`.
async fn code_client(
    sdk: &cip::Client,
    pool: &str,
    callback: &str,
    providers: &[&str],
    secret: bool,
) -> (String, Option<String>) {
    let mut client = sdk
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("web")
        .generate_secret(secret)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .callback_urls(callback);
    for scope in ["openid", "email", "profile"] {
        client = client.allowed_o_auth_scopes(scope);
    }
    for provider in providers {
        client = client.supported_identity_providers(*provider);
    }
    let client = client.send().await.unwrap().user_pool_client.unwrap();
    (client.client_id.unwrap(), client.client_secret)
}

/// The provider's details in pool A for pool B's client.
fn details(url: &str, pool_b: &str, id: &str, secret: &str) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", id.to_owned()),
        ("client_secret", secret.to_owned()),
        ("oidc_issuer", format!("{url}/{pool_b}")),
        ("authorize_scopes", "openid email profile".to_owned()),
        ("attributes_request_method", "GET".to_owned()),
    ]
}

async fn federation_on(
    server: RunningServer,
    pool_a_config: Option<cip::types::LambdaConfigType>,
    callback: &str,
) -> Federation {
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_a = domain_pool(&sdk, |b| b.set_lambda_config(pool_a_config)).await;
    let pool_b = domain_pool(&sdk, |b| b).await;
    let idp_response = format!("{url}/{pool_a}/oauth2/idpresponse");
    let (b_id, b_secret) = code_client(&sdk, &pool_b, &idp_response, &["COGNITO"], true).await;
    let mut create = sdk
        .create_identity_provider()
        .user_pool_id(&pool_a)
        .provider_name(PROVIDER)
        .provider_type(IdentityProviderTypeType::Oidc)
        .attribute_mapping("email", "email")
        .attribute_mapping("email_verified", "email_verified")
        .attribute_mapping("nickname", "cognito:username");
    for (key, value) in details(&url, &pool_b, &b_id, &b_secret.unwrap()) {
        create = create.provider_details(key, value);
    }
    create.send().await.unwrap();
    let (client_a, _) = code_client(&sdk, &pool_a, callback, &["COGNITO", PROVIDER], false).await;
    Federation {
        server,
        url,
        sdk,
        pool_a,
        client_a,
        pool_b,
        callback: callback.to_owned(),
    }
}

async fn federation() -> Federation {
    let server = Server::builder().in_memory().start().await.unwrap();
    federation_on(server, None, CALLBACK).await
}

impl Federation {
    /// A confirmed user of pool B with a verified email; its `sub`.
    async fn provider_user(&self, name: &str, email: &str) -> String {
        confirmed_user(&self.sdk, &self.pool_b, name, PASSWORD).await;
        self.sdk
            .admin_update_user_attributes()
            .user_pool_id(&self.pool_b)
            .username(name)
            .user_attributes(attr("email", email))
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .unwrap();
        let user = self
            .sdk
            .admin_get_user()
            .user_pool_id(&self.pool_b)
            .username(name)
            .send()
            .await
            .unwrap();
        user.user_attributes()
            .iter()
            .find(|a| a.name() == "sub")
            .and_then(|a| a.value())
            .unwrap()
            .to_owned()
    }

    /// The app's authorize request at pool A naming the provider.
    fn authorize(&self) -> String {
        authorize_url(
            &self.url,
            &self.pool_a,
            &[
                ("response_type", "code"),
                ("client_id", &self.client_a),
                ("redirect_uri", &self.callback),
                ("scope", "openid email profile"),
                ("state", "app-state"),
                ("identity_provider", PROVIDER),
            ],
        )
    }

    /// Starts a federated sign-in: pool A's redirect to pool B's authorize endpoint.
    async fn start(&self, browser: &mut Browser) -> String {
        let start = browser.get(&self.authorize()).await;
        assert_eq!(start.status, 302, "{}", start.body);
        let to_b = start.location.unwrap();
        let expected = format!("{}/{}/oauth2/authorize?", self.url, self.pool_b);
        assert!(to_b.starts_with(&expected), "{to_b}");
        to_b
    }

    /// Signs in at pool B (or, with B's session, goes straight back): the redirect to
    /// pool A's idpresponse.
    async fn at_provider(&self, browser: &mut Browser, to_b: &str, name: &str) -> String {
        let mut back = browser.get(to_b).await;
        if back
            .location
            .as_deref()
            .is_some_and(|l| l.contains("/login?"))
        {
            back = sign_in(browser, &self.url, to_b, name, PASSWORD).await;
        }
        assert_eq!(back.status, 302, "{}", back.body);
        let idp_response = back.location.unwrap();
        let expected = format!("{}/{}/oauth2/idpresponse?", self.url, self.pool_a);
        assert!(idp_response.starts_with(&expected), "{idp_response}");
        idp_response
    }

    /// A whole federated sign-in of pool B's `name`: pool A's final answer.
    async fn sign_in(&self, browser: &mut Browser, name: &str) -> Answer {
        let to_b = self.start(browser).await;
        let idp_response = self.at_provider(browser, &to_b, name).await;
        browser.get(&idp_response).await
    }

    /// The tokens of an answer that granted a code.
    async fn tokens(&self, granted: &Answer) -> Value {
        self.tokens_for(granted, "app-state").await
    }

    /// The tokens of an answer that granted a code to the request of `state`.
    async fn tokens_for(&self, granted: &Answer, state: &str) -> Value {
        assert_eq!(granted.status, 302, "{}", granted.body);
        assert!(
            granted
                .location
                .as_deref()
                .unwrap()
                .starts_with(&self.callback)
        );
        assert_eq!(granted.redirect_param("state").as_deref(), Some(state));
        let code = granted
            .redirect_param("code")
            .unwrap_or_else(|| panic!("{granted:?}"));
        let (status, tokens) = exchange(
            &self.url,
            &self.pool_a,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &self.client_a),
                ("code", &code),
                ("redirect_uri", &self.callback),
            ],
        )
        .await;
        assert_eq!(status, 200, "{tokens}");
        tokens
    }

    /// The user names of pool A.
    async fn users_of_a(&self) -> Vec<String> {
        let users = self
            .sdk
            .list_users()
            .user_pool_id(&self.pool_a)
            .send()
            .await
            .unwrap();
        users
            .users()
            .iter()
            .map(|u| u.username().unwrap().to_owned())
            .collect()
    }

    async fn attributes_in_a(&self, username: &str) -> (String, Vec<(String, String)>) {
        let user = self
            .sdk
            .admin_get_user()
            .user_pool_id(&self.pool_a)
            .username(username)
            .send()
            .await
            .unwrap();
        let attributes = user
            .user_attributes()
            .iter()
            .map(|a| {
                (
                    a.name().to_owned(),
                    a.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        (user.user_status().unwrap().as_str().to_owned(), attributes)
    }
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_first_sign_in_creates_the_federated_user_and_later_ones_update_it() {
    let f = federation().await;
    let sub = f.provider_user("bea", "bea@example.com").await;
    let mut browser = Browser::default();

    let tokens = f.tokens(&f.sign_in(&mut browser, "bea").await).await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    let username = id["cognito:username"].as_str().unwrap().to_owned();
    assert_eq!(username.to_lowercase(), format!("poolb_{sub}"));
    assert_eq!(id["email"], "bea@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["nickname"], "bea");
    let identities = &id["identities"];
    assert_eq!(identities[0]["userId"], sub.as_str());
    assert_eq!(identities[0]["providerName"], PROVIDER);
    assert_eq!(identities[0]["providerType"], "OIDC");
    assert_eq!(identities[0]["primary"], "true");
    assert!(identities[0]["dateCreated"].is_string(), "{identities}");
    let group = format!("{}_{PROVIDER}", f.pool_a);
    assert!(
        id["cognito:groups"]
            .as_array()
            .unwrap()
            .contains(&json!(group)),
        "{id}"
    );

    let (status, attributes) = f.attributes_in_a(&username).await;
    assert_eq!(status, "EXTERNAL_PROVIDER");
    let stored: Value =
        serde_json::from_str(attribute(&attributes, "identities").unwrap()).unwrap();
    assert_eq!(stored[0]["primary"], true);
    assert!(stored[0]["dateCreated"].is_i64());

    // The provider's user changes: the next sign-in (B's session skips its login page)
    // updates the mapped attribute, and no second user appears.
    f.sdk
        .admin_update_user_attributes()
        .user_pool_id(&f.pool_b)
        .username("bea")
        .user_attributes(attr("email", "bea@new.example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let tokens = f.tokens(&f.sign_in(&mut browser, "bea").await).await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["email"], "bea@new.example.com");
    assert_eq!(f.users_of_a().await, vec![username]);
    drop(f.server);
}

#[tokio::test]
async fn answers_of_no_sign_in_of_this_browser_a_replayed_code_and_a_foreign_issuer_are_refused() {
    let f = federation().await;
    f.provider_user("cy", "cy@example.com").await;

    // No round trip started in this browser, or another one's state.
    let mut browser = Browser::default();
    let stray = format!(
        "{}/{}/oauth2/idpresponse?code=abc&state=xyz",
        f.url, f.pool_a
    );
    assert_eq!(browser.get(&stray).await.status, 400);
    let to_b = f.start(&mut browser).await;
    let idp_response = f.at_provider(&mut browser, &to_b, "cy").await;
    let code = url_param(&idp_response, "code").unwrap();
    let forged = format!(
        "{}/{}/oauth2/idpresponse?code={code}&state=forged",
        f.url, f.pool_a
    );
    let refused = browser.get(&forged).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(f.users_of_a().await.is_empty());

    // The real answer signs in; its code replayed in a new round trip is refused by the
    // provider, and that refusal goes to the app.
    f.tokens(&browser.get(&idp_response).await).await;
    let to_b = f.start(&mut browser).await;
    let state = url_param(&to_b, "state").unwrap();
    let replay = format!(
        "{}/{}/oauth2/idpresponse?code={code}&state={state}",
        f.url, f.pool_a
    );
    let refused = browser.get(&replay).await;
    assert_eq!(refused.status, 302);
    assert_eq!(
        refused.redirect_param("error").as_deref(),
        Some("invalid_request")
    );
    let description = refused.redirect_param("error_description").unwrap();
    assert!(description.contains("error getting token"), "{description}");
    assert_eq!(
        refused.redirect_param("state").as_deref(),
        Some("app-state")
    );

    // A provider whose tokens name another issuer than the one configured.
    let mut update = f
        .sdk
        .update_identity_provider()
        .user_pool_id(&f.pool_a)
        .provider_name(PROVIDER);
    let base = format!("{}/{}", f.url, f.pool_b);
    let provider = f
        .sdk
        .describe_identity_provider()
        .user_pool_id(&f.pool_a)
        .provider_name(PROVIDER)
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    for (key, value) in provider.provider_details().unwrap() {
        update = update.provider_details(key, value);
    }
    update = update
        .provider_details("oidc_issuer", "http://issuer.invalid")
        .provider_details("authorize_url", format!("{base}/oauth2/authorize"))
        .provider_details("token_url", format!("{base}/oauth2/token"))
        .provider_details("jwks_uri", format!("{base}/.well-known/jwks.json"));
    update.send().await.unwrap();
    let mut other = Browser::default();
    let refused = f.sign_in(&mut other, "cy").await;
    assert_eq!(refused.status, 302, "{}", refused.body);
    assert_eq!(
        refused.redirect_param("error").as_deref(),
        Some("invalid_request")
    );
    let description = refused.redirect_param("error_description").unwrap();
    assert!(description.starts_with("invalid_token"), "{description}");
    assert_eq!(f.users_of_a().await.len(), 1);
}

#[tokio::test]
async fn a_round_trip_longer_than_five_minutes_is_refused() {
    let clock = ManualClock::at(SystemTime::now());
    let server = Server::builder()
        .in_memory()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let f = federation_on(server, None, CALLBACK).await;
    f.provider_user("dee", "dee@example.com").await;
    let mut browser = Browser::default();
    let to_b = f.start(&mut browser).await;
    let idp_response = f.at_provider(&mut browser, &to_b, "dee").await;
    clock.advance(Duration::from_secs(301));
    let refused = browser.get(&idp_response).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("5 minutes"), "{}", refused.body);
    assert!(f.users_of_a().await.is_empty());
}

fn provider_user(name: &str, attribute: &str, value: &str) -> ProviderUserIdentifierType {
    ProviderUserIdentifierType::builder()
        .provider_name(name)
        .provider_attribute_name(attribute)
        .provider_attribute_value(value)
        .build()
}

#[tokio::test]
async fn a_linked_identity_signs_in_its_user_until_the_link_is_disabled() {
    let f = federation().await;
    let sub = f.provider_user("eve", "eve@example.com").await;
    confirmed_user(&f.sdk, &f.pool_a, "native-eve", PASSWORD).await;
    let link = |destination: &str, source: ProviderUserIdentifierType| {
        f.sdk
            .admin_link_provider_for_user()
            .user_pool_id(&f.pool_a)
            .destination_user(provider_user("Cognito", "", destination))
            .source_user(source)
            .send()
    };

    // Refusals first: an unknown destination, a native source, an unmapped attribute.
    let (kind, _) = error_of(
        link("nobody", provider_user(PROVIDER, "Cognito_Subject", &sub))
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "UserNotFoundException");
    let (kind, message) = error_of(
        link(
            "native-eve",
            provider_user("Cognito", "Cognito_Subject", "x"),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert!(
        message.contains("may not be passed in as a SourceUser"),
        "{message}"
    );
    let (kind, _) = error_of(
        link("native-eve", provider_user(PROVIDER, "family_name", "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "InvalidParameterException");

    link(
        "native-eve",
        provider_user(PROVIDER, "Cognito_Subject", &sub),
    )
    .await
    .unwrap();
    let (kind, _) = error_of(
        link(
            "native-eve",
            provider_user(PROVIDER, "Cognito_Subject", &sub),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(kind, "InvalidParameterException");

    let mut browser = Browser::default();
    let tokens = f.tokens(&f.sign_in(&mut browser, "eve").await).await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["cognito:username"], "native-eve");
    assert_eq!(id["identities"][0]["primary"], "false");
    assert_eq!(f.users_of_a().await, vec!["native-eve".to_owned()]);
    let (status, attributes) = f.attributes_in_a("native-eve").await;
    assert_eq!(status, "CONFIRMED");
    assert_eq!(attribute(&attributes, "email"), Some("eve@example.com"));

    // Disabled: the identity's next sign-in makes its own user.
    f.sdk
        .admin_disable_provider_for_user()
        .user_pool_id(&f.pool_a)
        .user(provider_user(PROVIDER, "Cognito_Subject", &sub))
        .send()
        .await
        .unwrap();
    let (_, attributes) = f.attributes_in_a("native-eve").await;
    assert_eq!(attribute(&attributes, "identities"), None);
    let tokens = f.tokens(&f.sign_in(&mut browser, "eve").await).await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    let federated = id["cognito:username"].as_str().unwrap().to_owned();
    assert_eq!(federated.to_lowercase(), format!("poolb_{sub}"));

    // That user has signed in: linking it now would merge two users.
    let (kind, message) = error_of(
        link(
            "native-eve",
            provider_user(PROVIDER, "Cognito_Subject", &sub),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert!(
        message.starts_with("Merging is not currently supported"),
        "{message}"
    );

    // Disabling the federated user's identity stops its sign-ins.
    f.sdk
        .admin_disable_provider_for_user()
        .user_pool_id(&f.pool_a)
        .user(provider_user(PROVIDER, "Cognito_Subject", &sub))
        .send()
        .await
        .unwrap();
    let refused = f.sign_in(&mut browser, "eve").await;
    assert_eq!(
        refused.redirect_param("error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(
        refused.redirect_param("error_description").as_deref(),
        Some("User is disabled.")
    );
}

#[tokio::test]
async fn pre_sign_up_may_refuse_and_the_inbound_federation_trigger_changes_claims() {
    use std::sync::{Arc, Mutex};
    const PRE_SIGN_UP: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";
    const INBOUND: &str = "arn:aws:lambda:us-east-1:123456789012:function:inbound";
    const RECORD: &str = "arn:aws:lambda:us-east-1:123456789012:function:record";
    let events: Arc<Mutex<Vec<Value>>> = Arc::default();
    let (keep, keep_inbound, keep_any) = (events.clone(), events.clone(), events.clone());
    let server = Server::builder()
        .in_memory()
        .trigger(RECORD, move |event| {
            keep_any.lock().unwrap().push(event.clone());
            async move { Ok(event) }
        })
        .trigger(PRE_SIGN_UP, move |event| {
            keep.lock().unwrap().push(event.clone());
            let refused = event["request"]["userAttributes"]["nickname"] == "gus";
            async move {
                if refused {
                    Err(cognito_local::TriggerError::function(
                        "not on the guest list",
                    ))
                } else {
                    Ok(event)
                }
            }
        })
        .trigger(INBOUND, move |mut event| {
            keep_inbound.lock().unwrap().push(event.clone());
            let mut claims = event["request"]["attributes"]["idToken"].clone();
            claims["email"] = json!("rewritten@example.com");
            let kept: serde_json::Map<String, Value> = claims
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| v.is_string())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            event["response"]["userAttributesToMap"] = Value::Object(kept);
            async move { Ok(event) }
        })
        .start()
        .await
        .unwrap();
    let config = cip::types::LambdaConfigType::builder()
        .pre_sign_up(PRE_SIGN_UP)
        .post_confirmation(RECORD)
        .pre_authentication(RECORD)
        .post_authentication(RECORD)
        .inbound_federation(
            cip::types::InboundFederationLambdaType::builder()
                .lambda_arn(INBOUND)
                .lambda_version(cip::types::InboundFederationLambdaVersionType::V10)
                .build()
                .unwrap(),
        )
        .build();
    let f = federation_on(server, Some(config), CALLBACK).await;
    f.provider_user("fay", "fay@example.com").await;
    f.provider_user("gus", "gus@example.com").await;

    let mut browser = Browser::default();
    let tokens = f.tokens(&f.sign_in(&mut browser, "fay").await).await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["email"], "rewritten@example.com");
    {
        let events = events.lock().unwrap();
        let sources: Vec<&str> = events
            .iter()
            .map(|e| e["triggerSource"].as_str().unwrap())
            .collect();
        assert_eq!(
            sources,
            [
                "InboundFederation_ExternalProvider",
                "PreSignUp_ExternalProvider",
                "PostConfirmation_ConfirmSignUp"
            ]
        );
        let inbound = &events[0]["request"];
        assert_eq!(inbound["providerName"], PROVIDER);
        assert_eq!(inbound["providerType"], "OIDC");
        assert!(inbound["attributes"]["tokenResponse"]["access_token"].is_string());
        assert_eq!(
            inbound["attributes"]["userInfo"]["email"],
            "fay@example.com"
        );
    }
    // A later sign-in: the authentication triggers, no sign-up ones.
    events.lock().unwrap().clear();
    f.tokens(&f.sign_in(&mut browser, "fay").await).await;
    let sources: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["triggerSource"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sources,
        [
            "InboundFederation_ExternalProvider",
            "PreAuthentication_Authentication",
            "PostAuthentication_Authentication"
        ]
    );

    // PreSignUp refuses gus (by the nickname mapped from B's user name): the refusal
    // goes to the app, and no user is made.
    let mut browser = Browser::default();
    let refused = f.sign_in(&mut browser, "gus").await;
    assert_eq!(refused.status, 302, "{}", refused.body);
    assert_eq!(
        refused.redirect_param("error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(
        refused.redirect_param("error_description").as_deref(),
        Some("PreSignUp failed with error not on the guest list.")
    );
    assert_eq!(f.users_of_a().await.len(), 1);
}

/// `oidc-provider-mock` (PyPI, on authlib), a provider nobody here wrote, run on
/// loopback from the venv `.ci/run` installs; killed when dropped.
struct MockProvider {
    child: std::process::Child,
    issuer: String,
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MockProvider {
    /// Starts it, or `None` without the venv (outside CI).
    async fn start() -> Option<MockProvider> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let python = root.join(".venv/bin/python");
        if !python.exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install the interop venv"
            );
            eprintln!("skipped: no {} (run `bash .ci/run` once)", python.display());
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(python)
            .args(["-m", "oidc_provider_mock", "--port", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("oidc-provider-mock starts");
        let provider = MockProvider {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        };
        let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
        for _ in 0..200 {
            if reqwest::get(&discovery)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Some(provider);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("oidc-provider-mock did not answer at {discovery}");
    }
}

#[tokio::test]
async fn a_third_party_provider_signs_users_in() {
    let Some(mock) = MockProvider::start().await else {
        return;
    };
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool = domain_pool(&sdk, |b| b).await;
    sdk.create_identity_provider()
        .user_pool_id(&pool)
        .provider_name("Mock")
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", "cognito-local")
        .provider_details("client_secret", "mock-secret")
        .provider_details("oidc_issuer", &mock.issuer)
        .provider_details("authorize_scopes", "openid email profile")
        .attribute_mapping("email", "email")
        .attribute_mapping("name", "name")
        .send()
        .await
        .unwrap();
    let (client, _) = code_client(&sdk, &pool, CALLBACK, &["Mock"], false).await;
    // The provider's user and its claims, through the mock's own API.
    let put = reqwest::Client::new()
        .put(format!("{}/users/alice", mock.issuer))
        .header("content-type", "application/json")
        .body(json!({"email": "alice@example.com", "name": "Alice Liddell"}).to_string())
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());

    let mut browser = Browser::default();
    let authorize = authorize_url(
        &url,
        &pool,
        &[
            ("response_type", "code"),
            ("client_id", &client),
            ("redirect_uri", CALLBACK),
            ("state", "s-mock"),
            ("identity_provider", "Mock"),
        ],
    );
    let to_mock = browser
        .get(&format!(
            "{authorize}&prompt=select_account&login_hint=alice"
        ))
        .await
        .location
        .unwrap();
    assert!(to_mock.contains("&prompt=select_account&"), "{to_mock}");
    assert!(to_mock.contains("&login_hint=alice"), "{to_mock}");
    assert!(
        to_mock.starts_with(&format!("{}/oauth2/authorize?", mock.issuer)),
        "{to_mock}"
    );
    let form = browser.get(&to_mock).await;
    assert_eq!(form.status, 200, "{}", form.body);
    // The mock's form: the subject to sign in as.
    let back = browser.post(&to_mock, &[("sub", "alice")]).await;
    assert_eq!(back.status, 302, "{}", back.body);
    let idp_response = back.location.unwrap();
    assert!(
        idp_response.starts_with(&format!("{url}/{pool}/oauth2/idpresponse?")),
        "{idp_response}"
    );
    let granted = browser.get(&idp_response).await;
    assert_eq!(
        granted.redirect_param("state").as_deref(),
        Some("s-mock"),
        "{granted:?}"
    );
    let code = granted.redirect_param("code").unwrap();
    let (status, tokens) = exchange(
        &url,
        &pool,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client),
            ("code", &code),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        id["cognito:username"].as_str().unwrap().to_lowercase(),
        "mock_alice"
    );
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["name"], "Alice Liddell");
    assert_eq!(id["identities"][0]["providerName"], "Mock");
}

#[tokio::test]
async fn federation_through_the_login_pages_button_in_chromium() {
    use fantoccini::Locator;
    let callback = common::chrome::app_page().await;
    let server = Server::builder().in_memory().start().await.unwrap();
    let f = federation_on(server, None, &callback).await;
    let sub = f.provider_user("hal", "hal@example.com").await;
    let chrome = common::chrome::Chrome::start().await;
    let browser = &chrome.client;
    // The app's sign-in page (no provider named): its button for the provider.
    let authorize = authorize_url(
        &f.url,
        &f.pool_a,
        &[
            ("response_type", "code"),
            ("client_id", &f.client_a),
            ("redirect_uri", &callback),
            ("scope", "openid email"),
            ("state", "chromium"),
        ],
    );
    browser.goto(&authorize).await.unwrap();
    chrome.wait_for("a.provider").await.click().await.unwrap();
    // Pool B's own login page.
    chrome
        .wait_for("#username")
        .await
        .send_keys("hal")
        .await
        .unwrap();
    browser
        .find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    chrome.wait_for("h1").await;
    let landed = browser.current_url().await.unwrap();
    assert!(landed.as_str().starts_with(&callback), "{landed}");
    let param = |name: &str| {
        landed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(param("state").as_deref(), Some("chromium"));
    let granted = Answer {
        status: 302,
        location: Some(landed.to_string()),
        body: String::new(),
    };
    let tokens = f.tokens_for(&granted, "chromium").await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(
        id["cognito:username"].as_str().unwrap().to_lowercase(),
        format!("poolb_{sub}")
    );
    assert_eq!(id["email"], "hal@example.com");
}

#[tokio::test]
async fn a_user_name_taken_otherwise_and_a_round_trip_made_outside_are_refused() {
    let f = federation().await;
    let sub = f.provider_user("ivy", "ivy@example.com").await;
    // Someone signs up under the name the identity's user would have.
    let squatter = format!("{PROVIDER}_{sub}");
    confirmed_user(&f.sdk, &f.pool_a, &squatter, PASSWORD).await;
    let mut browser = Browser::default();
    let refused = f.sign_in(&mut browser, "ivy").await;
    assert_eq!(refused.status, 302, "{}", refused.body);
    assert_eq!(
        refused.redirect_param("error").as_deref(),
        Some("invalid_request")
    );
    let description = refused.redirect_param("error_description").unwrap();
    assert!(
        description.contains("did not sign in through"),
        "{description}"
    );
    let (status, attributes) = f.attributes_in_a(&squatter).await;
    assert_eq!(status, "CONFIRMED");
    assert_eq!(attribute(&attributes, "identities"), None);

    // A round trip written outside the server (here: a copy of a real one with its
    // state changed, the seal kept) is not one of its own.
    let mut browser = Browser::default();
    let to_b = f.start(&mut browser).await;
    let idp_response = f.at_provider(&mut browser, &to_b, "ivy").await;
    let code = url_param(&idp_response, "code").unwrap();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let forged = json!({
        "state": "mine", "query": f.authorize().split_once('?').unwrap().1,
        "provider": PROVIDER, "nonce": "n", "verifier": null,
        "redirect_uri": format!("{}/{}/oauth2/idpresponse", f.url, f.pool_a),
        "expires": i64::MAX,
    });
    let cookie = format!(
        "{}.{}",
        engine.encode(forged.to_string()),
        engine.encode([0u8; 32])
    );
    let mut outsider = Browser::default();
    outsider.set_cookie(&format!("/{}", f.pool_a), "cognito-federation", &cookie);
    let answer = format!(
        "{}/{}/oauth2/idpresponse?code={code}&state=mine",
        f.url, f.pool_a
    );
    let refused = outsider.get(&answer).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(f.users_of_a().await, vec![squatter]);
}
