//! The hosted account pages on a real server, driven as a browser drives them: sign-up
//! with the pool's required attributes and its confirmation code (from the outbox),
//! then a sign-in; a forgotten password reset by code; and what they refuse.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AttributeDataType, SchemaAttributeType};
use cognito_local::Server;

use common::hosted::{Answer, Browser, authorize_url, hosted_pool};
use common::{confirmed_user, last_code, sdk};

const CALLBACK: &str = "http://localhost:9/cb";

/// Posts a page's form with its CSRF token and `fields`.
async fn submit(
    browser: &mut Browser,
    url: &str,
    page: &Answer,
    fields: &[(&str, &str)],
) -> Answer {
    let csrf = page.input("_csrf").unwrap();
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let hidden = ["username", "destination"].map(|name| (name, page.input(name)));
    let hidden: Vec<(&str, String)> = hidden
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .filter(|(name, _)| !fields.iter().any(|(f, _)| f == name))
        .collect();
    all.extend(hidden.iter().map(|(k, v)| (*k, v.as_str())));
    browser.post(&format!("{url}{}", page.action()), &all).await
}

/// The link of a page that says `text`, HTML-unescaped.
fn link(page: &Answer, text: &str) -> String {
    let pattern = format!(r#"<a href="([^"]*)">{}</a>"#, regex::escape(text));
    let found = regex::Regex::new(&pattern)
        .unwrap()
        .captures(&page.body)
        .unwrap_or_else(|| panic!("no link {text:?} in {}", page.body));
    found[1].replace("&amp;", "&")
}

#[tokio::test]
async fn sign_up_with_a_code_then_sign_in_and_reset_a_forgotten_password() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let email = SchemaAttributeType::builder()
        .name("email")
        .attribute_data_type(AttributeDataType::String)
        .required(true)
        .build();
    let (pool_id, client_id) = hosted_pool(&sdk, |b| b.schema(email), &["openid"], CALLBACK).await;
    let mut browser = Browser::default();
    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", CALLBACK),
        ("state", "s"),
    ];
    let to_login = browser.get(&authorize_url(&url, &pool_id, &request)).await;
    let login = browser
        .get(&format!("{url}{}", to_login.location.unwrap()))
        .await;

    // Sign up: the pool requires an email; a password the policy refuses comes back.
    let sign_up = browser
        .get(&format!(
            "{url}{}",
            link(&login, "Need an account? Sign up")
        ))
        .await;
    assert_eq!(sign_up.status, 200);
    assert!(
        sign_up
            .body
            .contains(r#"<label for="attr-email">email</label>"#),
        "{}",
        sign_up.body
    );
    let weak = submit(
        &mut browser,
        &url,
        &sign_up,
        &[
            ("username", "nia"),
            ("password", "short"),
            ("attribute:email", "nia@example.com"),
        ],
    )
    .await;
    assert!(weak.body.contains("role=\"alert\""), "{}", weak.body);
    assert_eq!(
        weak.input("attribute:email").as_deref(),
        Some("nia@example.com")
    );
    let confirm = submit(
        &mut browser,
        &url,
        &sign_up,
        &[
            ("username", "nia"),
            ("password", "Passw0rd-SignUp1"),
            ("attribute:email", "nia@example.com"),
        ],
    )
    .await;
    assert!(
        confirm.body.contains("We sent a code to n***@e***"),
        "{}",
        confirm.body
    );
    let wrong = submit(&mut browser, &url, &confirm, &[("code", "000000")]).await;
    assert!(wrong.body.contains("role=\"alert\""), "{}", wrong.body);
    let code = last_code(&url, &pool_id, "nia").await;
    let confirmed = submit(&mut browser, &url, &confirm, &[("code", &code)]).await;
    assert!(
        confirmed
            .body
            .contains("Your account is confirmed. Sign in."),
        "{}",
        confirmed.body
    );
    let user = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("nia")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status.unwrap().as_str(), "CONFIRMED");
    let signed_in = submit(
        &mut browser,
        &url,
        &confirmed,
        &[("username", "nia"), ("password", "Passw0rd-SignUp1")],
    )
    .await;
    assert_eq!(signed_in.status, 302, "{}", signed_in.body);
    assert!(signed_in.redirect_param("code").is_some());

    // A forgotten password: a code by email, then the new password signs in.
    confirmed_user(&sdk, &pool_id, "ola", "Passw0rd-Before1").await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("ola")
        .user_attributes(common::attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let forgot = browser
        .get(&format!("{url}{}", link(&login, "Forgot your password?")))
        .await;
    let sent = submit(&mut browser, &url, &forgot, &[("username", "ola")]).await;
    assert!(sent.body.contains("new_password"), "{}", sent.body);
    let code = last_code(&url, &pool_id, "ola").await;
    let reset = submit(
        &mut browser,
        &url,
        &sent,
        &[("code", &code), ("new_password", "Passw0rd-After1")],
    )
    .await;
    assert!(
        reset
            .body
            .contains("Your password has been reset. Sign in."),
        "{}",
        reset.body
    );
    let back = submit(
        &mut browser,
        &url,
        &reset,
        &[("username", "ola"), ("password", "Passw0rd-After1")],
    )
    .await;
    assert_eq!(back.status, 302, "{}", back.body);

    // A form without its CSRF token does nothing.
    let forged = browser
        .post(
            &format!("{url}{}", sign_up.action()),
            &[
                ("username", "eve"),
                ("password", "Passw0rd-Eve1"),
                ("attribute:email", "e@x.com"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    let eve = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("eve")
        .send()
        .await;
    assert!(eve.is_err());
}

#[tokio::test]
async fn pools_where_only_admins_create_users_have_no_sign_up() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = hosted_pool(
        &sdk,
        |b| {
            b.admin_create_user_config(
                cip::types::AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(true)
                    .build(),
            )
        },
        &["openid"],
        CALLBACK,
    )
    .await;
    let mut browser = Browser::default();
    let request = [
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", CALLBACK),
    ];
    let to_login = browser.get(&authorize_url(&url, &pool_id, &request)).await;
    let login_url = format!("{url}{}", to_login.location.unwrap());
    let login = browser.get(&login_url).await;
    assert!(!login.body.contains("Sign up"), "{}", login.body);
    let sign_up = browser.get(&login_url.replace("/login?", "/signup?")).await;
    assert_eq!(sign_up.status, 400);
}

/// The client's terms documents on its sign-up page: only once both exist, in the
/// language `lang` asks for, else the default; managed login (version 2) needs a
/// branding style before it shows any page.
#[tokio::test]
async fn the_sign_up_page_links_to_the_clients_terms_and_managed_login_needs_a_style() {
    use cip::types::{TermsEnforcementType, TermsSourceType};
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = hosted_pool(&sdk, |b| b, &["openid"], CALLBACK).await;
    let sign_up_url = |lang: Option<&str>| {
        let mut request = vec![
            ("response_type", "code"),
            ("client_id", client_id.as_str()),
            ("redirect_uri", CALLBACK),
        ];
        if let Some(lang) = lang {
            request.push(("lang", lang));
        }
        authorize_url(&url, &pool_id, &request).replace("/oauth2/authorize?", "/signup?")
    };
    let terms = |name: &str| {
        sdk.create_terms()
            .user_pool_id(&pool_id)
            .client_id(&client_id)
            .terms_name(name)
            .terms_source(TermsSourceType::Link)
            .enforcement(TermsEnforcementType::None)
            .links("cognito:default", format!("https://example.com/{name}"))
            .links("cognito:spanish", format!("https://example.com/es/{name}"))
    };
    let mut browser = Browser::default();
    terms("terms-of-use").send().await.unwrap();
    let one = browser.get(&sign_up_url(None)).await;
    assert_eq!(one.status, 200);
    assert!(
        !one.body.contains("terms-of-use"),
        "one document is not enough"
    );
    terms("privacy-policy").send().await.unwrap();
    let both = browser.get(&sign_up_url(None)).await;
    assert!(
        both.body
            .contains(r#"<a id="terms-of-use" href="https://example.com/terms-of-use">"#),
        "{}",
        both.body
    );
    assert!(
        both.body
            .contains(r#"href="https://example.com/privacy-policy""#)
    );
    let spanish = browser.get(&sign_up_url(Some("es"))).await;
    assert!(
        spanish
            .body
            .contains(r#"href="https://example.com/es/terms-of-use""#)
    );
    let japanese = browser.get(&sign_up_url(Some("ja"))).await;
    assert!(
        japanese
            .body
            .contains(r#"href="https://example.com/terms-of-use""#)
    );

    // Managed login: no style, no pages; Cognito's style, the pages again.
    let domain = sdk
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .domain
        .unwrap();
    sdk.update_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain(&domain)
        .managed_login_version(2)
        .send()
        .await
        .unwrap();
    let unavailable = browser.get(&sign_up_url(None)).await;
    assert_eq!(unavailable.status, 400);
    assert!(
        unavailable.body.contains("Login pages unavailable"),
        "{}",
        unavailable.body
    );
    sdk.create_managed_login_branding()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .use_cognito_provided_values(true)
        .send()
        .await
        .unwrap();
    let styled = browser.get(&sign_up_url(None)).await;
    assert_eq!(styled.status, 200, "{}", styled.body);
}
