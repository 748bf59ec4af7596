//! A minimal browser for the hosted pages, over reqwest: cookies kept by name, redirects
//! not followed (each one is looked at), forms read from the HTML.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider as cip;

/// A browser's state: its cookies, by path and name (two pools addressed by path each
/// have their own).
pub struct Browser {
    pub http: reqwest::Client,
    cookies: HashMap<(String, String), String>,
}

/// An answer: status, `Location`, body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Answer {
    /// A hidden or text input's value (HTML-unescaped).
    pub fn input(&self, name: &str) -> Option<String> {
        let pattern = format!(r#"name="{}"[^>]*value="([^"]*)""#, regex::escape(name));
        regex::Regex::new(&pattern)
            .unwrap()
            .captures(&self.body)
            .map(|c| unescape(&c[1]))
    }

    /// The first form's action (HTML-unescaped).
    pub fn action(&self) -> String {
        let found = regex::Regex::new(r#"<form method="post" action="([^"]*)""#)
            .unwrap()
            .captures(&self.body)
            .unwrap_or_else(|| panic!("no form in {}", self.body));
        unescape(&found[1])
    }

    /// A parameter of the redirect's query or fragment.
    pub fn redirect_param(&self, name: &str) -> Option<String> {
        url_param(self.location.as_deref()?, name)
    }
}

/// A parameter of a URL's query or fragment.
pub fn url_param(url: &str, name: &str) -> Option<String> {
    let (_, params) = url.split_once(['?', '#'])?;
    form_urlencoded::parse(params.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl Default for Browser {
    fn default() -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }
}

impl Browser {
    /// Sets a cookie, as a page of the server would have.
    pub fn set_cookie(&mut self, path: &str, name: &str, value: &str) {
        self.cookies
            .insert((path.to_owned(), name.to_owned()), value.to_owned());
    }

    /// Whether a cookie of that name is kept (for any path).
    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.keys().any(|(_, n)| n == name)
    }

    /// The `Cookie` header for `url`: the cookies whose path it is under.
    fn cookie_header(&self, url: &str) -> String {
        let path = reqwest::Url::parse(url)
            .map(|u| u.path().to_owned())
            .unwrap_or_default();
        self.cookies
            .iter()
            .filter(|((scope, _), _)| {
                scope == "/" || path == *scope || path.starts_with(&format!("{scope}/"))
            })
            .map(|((_, k), v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn keep(&mut self, response: reqwest::Response) -> Answer {
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let path = text
                .split(';')
                .filter_map(|part| part.trim().strip_prefix("Path="))
                .next()
                .unwrap_or("/")
                .to_owned();
            let key = (path, name.to_owned());
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(&key);
            } else {
                self.cookies.insert(key, value.to_owned());
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let body = response.text().await.unwrap();
        Answer {
            status,
            location,
            body,
        }
    }

    /// GET `url` (absolute, or a path of `base`).
    pub async fn get(&mut self, url: &str) -> Answer {
        let response = self
            .http
            .get(url)
            .header("cookie", self.cookie_header(url))
            .send()
            .await
            .unwrap();
        self.keep(response).await
    }

    /// POSTs a form to `url`.
    pub async fn post(&mut self, url: &str, fields: &[(&str, &str)]) -> Answer {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        let response = self
            .http
            .post(url)
            .header("cookie", self.cookie_header(url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish())
            .send()
            .await
            .unwrap();
        self.keep(response).await
    }
}

/// Gives a pool a prefix domain made from its id.
pub async fn add_domain(sdk: &cip::Client, pool_id: &str) {
    sdk.create_user_pool_domain()
        .user_pool_id(pool_id)
        .domain(format!("d{}", pool_id.to_lowercase().replace('_', "-")))
        .send()
        .await
        .unwrap();
}

/// A pool with a prefix domain and a public app client for the code and implicit grants
/// with `scopes`, calling back to `callback`; `(pool, client)`.
pub async fn hosted_pool(
    sdk: &cip::Client,
    build: impl FnOnce(
        cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    ) -> cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    scopes: &[&str],
    callback: &str,
) -> (String, String) {
    let pool_id = super::pool_with(sdk, build).await;
    add_domain(sdk, &pool_id).await;
    let mut client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
        .allowed_o_auth_flows(cip::types::OAuthFlowType::Implicit)
        .callback_urls(callback)
        .logout_urls(format!("{callback}/bye"))
        .supported_identity_providers("COGNITO");
    for scope in scopes {
        client = client.allowed_o_auth_scopes(*scope);
    }
    let client_id = client
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    (pool_id, client_id)
}

/// An authorize URL of the pool's path-addressed endpoints.
pub fn authorize_url(url: &str, pool_id: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    format!("{url}/{pool_id}/oauth2/authorize?{}", query.finish())
}

/// Turns on optional TOTP MFA in the pool and makes `name` a confirmed user with a
/// verified, preferred authenticator app, set up through the API as an app would; the
/// app's secret. Its current code is spent: the next sign-in needs the next one.
pub async fn totp_user(sdk: &cip::Client, pool_id: &str, name: &str, password: &str) -> String {
    use cip::types::{AuthFlowType, SoftwareTokenMfaSettingsType, UserPoolMfaType};
    sdk.set_user_pool_mfa_config()
        .user_pool_id(pool_id)
        .software_token_mfa_configuration(
            cip::types::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build(),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    super::confirmed_user(sdk, pool_id, name, password).await;
    let api = super::app_client(sdk, pool_id).await;
    let signed = sdk
        .initiate_auth()
        .client_id(&api)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(super::params(&[
            ("USERNAME", name),
            ("PASSWORD", password),
        ])))
        .send()
        .await
        .unwrap();
    let token = signed.authentication_result.unwrap().access_token.unwrap();
    let secret = super::verified_totp(sdk, &token, None).await;
    sdk.set_user_mfa_preference()
        .access_token(&token)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    secret
}

/// Opens the sign-in page (through authorize) and posts the credentials: the answer.
pub async fn sign_in(
    browser: &mut Browser,
    url: &str,
    authorize: &str,
    username: &str,
    password: &str,
) -> Answer {
    let sent = browser.get(authorize).await;
    assert_eq!(sent.status, 302, "{}", sent.body);
    let login = sent.location.unwrap();
    assert!(login.contains("/login?"), "{login}");
    let page = browser.get(&format!("{url}{login}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<label for=\"username\">"));
    let csrf = page.input("_csrf").unwrap();
    browser
        .post(
            &format!("{url}{}", page.action()),
            &[
                ("_csrf", &csrf),
                ("username", username),
                ("password", password),
            ],
        )
        .await
}

/// Exchanges a code at the token endpoint: `(status, body)`.
pub async fn exchange(url: &str, pool_id: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form {
        body.append_pair(k, v);
    }
    let response = reqwest::Client::new()
        .post(format!("{url}/{pool_id}/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.finish())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}
