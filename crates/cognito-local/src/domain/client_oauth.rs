//! An app client's OAuth 2.0 settings, typed: which grants it may use, its scopes, where
//! it may be redirected, and the checks CreateUserPoolClient and UpdateUserPoolClient
//! make of them (the messages are the service's own, from real answers).

use serde_json::{Map, Value};

use super::records::{ClientRecord, PoolRecord};
use super::state::{ExplicitAuthFlow, OAuthFlow};
use super::{Ctx, identity_providers, resource_servers};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// The scopes Cognito defines itself; custom ones are `RESOURCE_SERVER/SCOPE`.
pub const STANDARD_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// What an app client may do through the OAuth endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OAuthSettings {
    /// `AllowedOAuthFlowsUserPoolClient`: the client may use the OAuth endpoints at all.
    pub enabled: bool,
    /// `AllowedOAuthFlows`.
    pub flows: Vec<OAuthFlow>,
    /// `AllowedOAuthScopes`.
    pub scopes: Vec<String>,
    /// `CallbackURLs`: where authorize may send codes and tokens (exact match).
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`: where logout may send the browser.
    pub logout_urls: Vec<String>,
    /// `DefaultRedirectURI`.
    pub default_redirect: Option<String>,
    /// `SupportedIdentityProviders`: `COGNITO` and the pool's providers' names.
    pub identity_providers: Vec<String>,
}

fn strings(settings: &Map<String, Value>, key: &str) -> Vec<String> {
    settings
        .get(key)
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl OAuthSettings {
    /// The settings of a client (kept in its stored settings as given).
    pub fn of(client: &ClientRecord) -> Self {
        let settings = &client.settings;
        Self {
            enabled: settings
                .get("AllowedOAuthFlowsUserPoolClient")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            flows: strings(settings, "AllowedOAuthFlows")
                .iter()
                .filter_map(|f| OAuthFlow::parse(f))
                .collect(),
            scopes: strings(settings, "AllowedOAuthScopes"),
            callback_urls: strings(settings, "CallbackURLs"),
            logout_urls: strings(settings, "LogoutURLs"),
            default_redirect: settings
                .get("DefaultRedirectURI")
                .and_then(Value::as_str)
                .map(str::to_owned),
            identity_providers: strings(settings, "SupportedIdentityProviders"),
        }
    }

    /// Whether the client may use a grant through the OAuth endpoints.
    pub fn allows(&self, flow: OAuthFlow) -> bool {
        self.enabled && self.flows.contains(&flow)
    }
}

fn oauth_flow_error(message: impl Into<String>) -> CognitoError {
    CognitoError::new(ErrorKind::InvalidOAuthFlowException, message)
}

/// Whether a callback or sign-out URL may be registered (as [`check_url`] decides).
pub fn registrable_url(url: &str) -> bool {
    check_url(url).is_ok()
}

/// Whether a callback or sign-out URL may be registered: absolute, without a fragment,
/// and HTTPS unless it is loopback (`http://localhost`, and since 2025 `127.0.0.1` and
/// `[::1]`) or a custom scheme (`myapp://`), as the API reference describes CallbackURLs.
fn check_url(url: &str) -> OpResult<()> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| CognitoError::invalid_parameter(format!("{url} is not a valid URL.")))?;
    if parsed.fragment().is_some() {
        return Err(CognitoError::invalid_parameter(format!(
            "{url} must not include a fragment component."
        )));
    }
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if parsed.scheme() == "http" && !loopback {
        return Err(CognitoError::invalid_parameter(format!(
            "{url} cannot use the HTTP protocol."
        )));
    }
    Ok(())
}

/// The checks of CreateUserPoolClient and UpdateUserPoolClient on a client's OAuth
/// settings and its auth flows that depend on them.
pub fn check(ctx: &Ctx<'_>, pool: &PoolRecord, client: &ClientRecord) -> OpResult<()> {
    let oauth = OAuthSettings::of(client);
    let has = |flow| oauth.flows.contains(&flow);
    if oauth.enabled && (oauth.flows.is_empty() || oauth.scopes.is_empty()) {
        return Err(CognitoError::invalid_parameter(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
        ));
    }
    if has(OAuthFlow::ClientCredentials) {
        if client.secret.is_none() {
            return Err(oauth_flow_error(
                "client_credentials flow can not be selected if client does not have a client secret.",
            ));
        }
        if has(OAuthFlow::Code) || has(OAuthFlow::Implicit) {
            return Err(oauth_flow_error(
                "client_credentials flow can not be selected along with code flow or implicit flow.",
            ));
        }
        if let Some(standard) = oauth
            .scopes
            .iter()
            .find(|s| STANDARD_SCOPES.contains(&s.as_str()))
        {
            return Err(oauth_flow_error(format!(
                "{standard} is not supported with client_credentials flow"
            )));
        }
    }
    for scope in &oauth.scopes {
        if !STANDARD_SCOPES.contains(&scope.as_str())
            && !resource_servers::defines(ctx, pool, scope)?
        {
            return Err(CognitoError::new(
                ErrorKind::ScopeDoesNotExistException,
                format!("Invalid scope requested: {scope}"),
            ));
        }
    }
    if (has(OAuthFlow::Code) || has(OAuthFlow::Implicit)) && oauth.callback_urls.is_empty() {
        return Err(oauth_flow_error(
            "CallbackUrls can not be empty when code flow or implicit flow is selected",
        ));
    }
    for url in oauth.callback_urls.iter().chain(&oauth.logout_urls) {
        check_url(url)?;
    }
    if let Some(default) = &oauth.default_redirect
        && !oauth.callback_urls.contains(default)
    {
        return Err(CognitoError::invalid_parameter(
            "DefaultRedirectURI must be one of the CallbackURLs.",
        ));
    }
    for name in &oauth.identity_providers {
        if name != "COGNITO" && identity_providers::find(ctx, pool, name)?.is_none() {
            return Err(CognitoError::invalid_parameter(format!(
                "The provider {name} does not exist for User Pool {}",
                pool.id
            )));
        }
    }
    // GetClientToken: "The ALLOW_CLIENT_TOKEN_AUTH flow is mutually exclusive with user
    // authentication flows. It must be the only authentication flow that you configure
    // for the app client." (API reference)
    let flows = &client.explicit_auth_flows;
    if flows.contains(&ExplicitAuthFlow::AllowClientTokenAuth) && flows.len() > 1 {
        return Err(CognitoError::invalid_parameter(
            "ALLOW_CLIENT_TOKEN_AUTH must be the only authentication flow of the app client.",
        ));
    }
    Ok(())
}
