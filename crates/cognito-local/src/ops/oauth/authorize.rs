//! The authorize request (`/oauth2/authorize`, and the login pages that carry its
//! parameters): checked as the developer guide's authorize endpoint describes, then
//! granted to a signed-in user as a code or, for the implicit grant, tokens.

use super::TokenReply;
use crate::domain::client_documents::Unusable;
use crate::domain::client_oauth::{OAuthSettings, STANDARD_SCOPES};
use crate::domain::identity_providers::{self, IdentityProviderRecord};
use crate::domain::oauth_codes::{self, CODE_SECONDS, CodeRecord};
use crate::domain::records::{ClientRecord, PoolRecord, UserRecord};
use crate::domain::state::OAuthFlow;
use crate::domain::state::ProviderType;
use crate::domain::{Ctx, resource_servers};
use crate::error::{OAuthError, OAuthErrorCode, OpResult};
use crate::ops::auth::HostedGrant;

/// An authorize request's parameters, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeParams {
    /// `response_type`.
    pub response_type: Option<String>,
    /// `client_id`.
    pub client_id: Option<String>,
    /// `redirect_uri`.
    pub redirect_uri: Option<String>,
    /// `state`, returned as it came.
    pub state: Option<String>,
    /// `scope`, split.
    pub scope: Option<Vec<String>>,
    /// `code_challenge`.
    pub code_challenge: Option<String>,
    /// `code_challenge_method`.
    pub code_challenge_method: Option<String>,
    /// `nonce`, for the ID token.
    pub nonce: Option<String>,
    /// `identity_provider`.
    pub identity_provider: Option<String>,
    /// `idp_identifier`.
    pub idp_identifier: Option<String>,
    /// `lang`: the managed login pages' language (`en`, `es`, `pt-BR`...).
    pub lang: Option<String>,
    /// `prompt`.
    pub prompt: Option<String>,
    /// `resource` (RFC 8707): the resource server the access token is for.
    pub resource: Option<String>,
}

/// What the grant is returned as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// `code`: an authorization code in the redirect's query.
    Code,
    /// `token`: the tokens in the redirect's fragment (the implicit grant).
    Token,
}

/// `prompt`: what to do with an existing hosted session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Use the session if there is one, else sign in.
    Default,
    /// Never show a page: use the session or answer `login_required`.
    None,
    /// Sign in again whatever the session.
    Login,
}

/// A checked authorize request.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// The app client.
    pub client: ClientRecord,
    /// Where the answer goes (one of the client's callback URLs).
    pub redirect_uri: String,
    /// Code or tokens.
    pub response_type: ResponseType,
    /// The scopes to grant.
    pub scopes: Vec<String>,
    /// `state`.
    pub state: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// The PKCE challenge (S256).
    pub challenge: Option<String>,
    /// `prompt`.
    pub prompt: Prompt,
    /// The resource server the access tokens are bound to.
    pub resource: Option<String>,
    /// The identity provider to sign in through, when the request names one.
    pub(crate) provider: Option<IdentityProviderRecord>,
}

impl Authorization {
    /// A refusal of this authorization after its checks: sent back to the client.
    pub fn refuse(&self, error: OAuthError) -> Refusal {
        Refusal::Redirect {
            redirect_uri: self.redirect_uri.clone(),
            error,
            state: self.state.clone(),
            fragment: self.response_type == ResponseType::Token,
        }
    }
}

/// Why an authorize request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The client or its redirect URI cannot be trusted: the error is shown on the
    /// server's own page, never sent to the URI (the service's `/error` page, with
    /// `redirect_mismatch` for a URI the client does not list).
    Page(OAuthError),
    /// The error is sent back to the client's redirect URI, with its state.
    Redirect {
        /// The redirect URI.
        redirect_uri: String,
        /// The error.
        error: OAuthError,
        /// `state`.
        state: Option<String>,
        /// In the fragment (implicit grant) rather than the query.
        fragment: bool,
    },
}

impl From<crate::error::CognitoError> for Refusal {
    fn from(e: crate::error::CognitoError) -> Self {
        Refusal::Page(e.into())
    }
}

impl From<crate::store::StoreError> for Refusal {
    fn from(e: crate::store::StoreError) -> Self {
        Refusal::Page(e.into())
    }
}

/// The error page's code for a redirect URI the client does not list.
pub const REDIRECT_MISMATCH: &str = "redirect_mismatch";

/// Checks an authorize request: the client and its redirect URI first (refusals shown
/// on the server's page), then the rest (refusals sent to the redirect URI).
pub fn check(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    params: &AuthorizeParams,
) -> Result<Authorization, Refusal> {
    let page = |code, description: &str| Refusal::Page(OAuthError::described(code, description));
    let client_id = params
        .client_id
        .as_deref()
        .ok_or_else(|| page(OAuthErrorCode::InvalidRequest, "client_id is required."))?;
    let client = match super::oauth_client(ctx, pool, client_id)? {
        Some(Ok(client)) => client,
        Some(Err(Unusable(why))) => return Err(page(OAuthErrorCode::InvalidRequest, &why)),
        None => {
            return Err(page(
                OAuthErrorCode::InvalidRequest,
                "The client does not exist.",
            ));
        }
    };
    let oauth = OAuthSettings::of(&client);
    let redirect_uri = params
        .redirect_uri
        .clone()
        .ok_or_else(|| page(OAuthErrorCode::InvalidRequest, "redirect_uri is required."))?;
    // "Must be an exact match of a CallbackURL" (a missing trailing slash is a mismatch).
    if !oauth.callback_urls.contains(&redirect_uri) {
        return Err(Refusal::Page(OAuthError::described(
            OAuthErrorCode::InvalidRequest,
            REDIRECT_MISMATCH,
        )));
    }
    let response_type = match params.response_type.as_deref() {
        Some("code") => Some(ResponseType::Code),
        Some("token") => Some(ResponseType::Token),
        _ => None,
    };
    let refuse = |code, description: &str| Refusal::Redirect {
        redirect_uri: redirect_uri.clone(),
        error: OAuthError::described(code, description),
        state: params.state.clone(),
        fragment: response_type == Some(ResponseType::Token),
    };
    let response_type = match (params.response_type.as_deref(), response_type) {
        (None, _) => {
            return Err(refuse(
                OAuthErrorCode::InvalidRequest,
                "response_type is required.",
            ));
        }
        (Some(_), None) => {
            return Err(refuse(
                OAuthErrorCode::UnsupportedResponseType,
                "response_type must be code or token.",
            ));
        }
        (_, Some(t)) => t,
    };
    let flow = match response_type {
        ResponseType::Code => OAuthFlow::Code,
        ResponseType::Token => OAuthFlow::Implicit,
    };
    if !oauth.allows(flow) {
        return Err(refuse(
            OAuthErrorCode::UnauthorizedClient,
            "The client is not allowed this response type.",
        ));
    }
    // PKCE: S256 only ("supports only S256"); a challenge needs its method.
    let challenge = match (
        params.code_challenge.as_deref(),
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) => None,
        (Some(challenge), Some("S256")) if super::code::valid_pkce(challenge) => {
            Some(challenge.to_owned())
        }
        (Some(_), Some("S256")) => {
            return Err(refuse(
                OAuthErrorCode::InvalidRequest,
                "The code_challenge is malformed.",
            ));
        }
        (Some(_), None) => {
            return Err(refuse(
                OAuthErrorCode::InvalidRequest,
                "code_challenge_method is required with a code_challenge.",
            ));
        }
        (_, Some(_)) => {
            return Err(refuse(
                OAuthErrorCode::InvalidRequest,
                "code_challenge_method must be S256.",
            ));
        }
    };
    let scopes = scopes(ctx, pool, &oauth, params.scope.as_deref())?
        .map_err(|description| refuse(OAuthErrorCode::InvalidScope, &description))?;
    let scopes = match params.resource.as_deref() {
        None => scopes,
        Some(resource) => super::resource::bind(ctx, pool, resource, &scopes)?
            .map_err(|e| refuse(e.code, e.description.as_deref().unwrap_or_default()))?,
    };
    // `identity_provider` names a provider (COGNITO: the pool's own users);
    // `idp_identifier` picks one by an identifier of its.
    let named = match (
        params.identity_provider.as_deref(),
        params.idp_identifier.as_deref(),
    ) {
        (Some("COGNITO"), _) | (None, None) => None,
        (Some(name), _) => Some(identity_providers::find(ctx, pool, name)?),
        (None, Some(identifier)) => Some(identity_providers::by_identifier(ctx, pool, identifier)?),
    };
    let provider = match named {
        None => None,
        Some(Some(provider)) if oauth.identity_providers.contains(&provider.name) => {
            match provider.kind {
                ProviderType::Oidc => Some(provider),
                // Refused, never faked: SAML is not served yet, and the social
                // providers are services on the internet.
                ProviderType::Saml => {
                    return Err(refuse(
                        OAuthErrorCode::InvalidRequest,
                        "Sign-in through a SAML provider is not served by cognito-local yet.",
                    ));
                }
                kind => {
                    return Err(refuse(
                        OAuthErrorCode::InvalidRequest,
                        &format!(
                            "Sign-in through {kind} needs {kind} itself, which cognito-local does not reach."
                        ),
                    ));
                }
            }
        }
        Some(_) => {
            return Err(refuse(
                OAuthErrorCode::InvalidRequest,
                "The identity provider is not configured for this client.",
            ));
        }
    };
    if provider.is_none() && !oauth.identity_providers.iter().any(|p| p == "COGNITO") {
        return Err(refuse(
            OAuthErrorCode::UnauthorizedClient,
            "The client does not support sign-in with the user pool.",
        ));
    }
    let words: Vec<&str> = params.prompt.as_deref().unwrap_or("").split(' ').collect();
    let prompt = if words.contains(&"none") {
        Prompt::None
    } else if words.contains(&"login") {
        Prompt::Login
    } else {
        Prompt::Default
    };
    Ok(Authorization {
        client,
        redirect_uri,
        response_type,
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone(),
        challenge,
        prompt,
        resource: params.resource.clone(),
        provider,
    })
}

/// The scopes of an authorize request: all of the client's when none are asked for
/// ("If the client doesn't request any scopes, the authentication server uses all
/// scopes that are associated with the client"); each asked for must be the client's
/// and still exist; `phone`, `email` and `profile` need `openid`.
fn scopes(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    oauth: &OAuthSettings,
    asked: Option<&[String]>,
) -> OpResult<Result<Vec<String>, String>> {
    let asked: Vec<String> = match asked {
        Some(asked) if !asked.is_empty() => asked.to_vec(),
        _ => oauth.scopes.clone(),
    };
    let mut granted: Vec<String> = Vec::new();
    for scope in asked {
        let exists = STANDARD_SCOPES.contains(&scope.as_str())
            || resource_servers::defines(ctx, pool, &scope)?;
        if !exists || !oauth.scopes.contains(&scope) {
            return Ok(Err(format!(
                "The scope {scope} is not allowed for this client."
            )));
        }
        if !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    let has = |s: &str| granted.iter().any(|g| g == s);
    if !has("openid") && ["phone", "email", "profile"].iter().any(|s| has(s)) {
        return Ok(Err("phone, email and profile need the openid scope.".into()));
    }
    Ok(Ok(granted))
}

/// What a granted authorization sends back.
#[derive(Debug)]
pub enum Granted {
    /// A code, to put in the redirect's query.
    Code {
        /// The redirect URI.
        redirect_uri: String,
        /// The code.
        code: String,
        /// `state`.
        state: Option<String>,
    },
    /// Tokens, to put in the redirect's fragment once signed.
    Tokens {
        /// The redirect URI.
        redirect_uri: String,
        /// The tokens (no refresh token: "Amazon Cognito doesn't return a refresh
        /// token in this flow").
        reply: Box<TokenReply>,
        /// `state`.
        state: Option<String>,
    },
}

/// Grants a checked authorization to a user who signed in at `auth_time`.
pub fn grant(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    authorization: &Authorization,
    user: &mut UserRecord,
    auth_time: crate::clock::UnixTime,
) -> Result<Granted, OAuthError> {
    let Authorization {
        client,
        redirect_uri,
        scopes,
        state,
        nonce,
        ..
    } = authorization;
    match authorization.response_type {
        ResponseType::Code => {
            let record = CodeRecord {
                client_id: client.id.clone(),
                redirect_uri: redirect_uri.clone(),
                scopes: scopes.clone(),
                nonce: nonce.clone(),
                challenge: authorization.challenge.clone(),
                resource: authorization.resource.clone(),
                username: user.username.clone(),
                sub: user.sub.clone(),
                auth_time,
                expires: ctx.now.plus_secs(CODE_SECONDS),
                exchanged_for: None,
            };
            let code = oauth_codes::issue(ctx, pool, &record)?;
            Ok(Granted::Code {
                redirect_uri: redirect_uri.clone(),
                code,
                state: state.clone(),
            })
        }
        ResponseType::Token => {
            let grant = HostedGrant {
                scopes,
                nonce: nonce.as_deref(),
                auth_time,
                resource: authorization.resource.as_deref(),
            };
            let mut reply = super::user_tokens(ctx, pool, client, user, &grant)?;
            reply.refresh_token = None;
            Ok(Granted::Tokens {
                redirect_uri: redirect_uri.clone(),
                reply: Box::new(reply),
                state: state.clone(),
            })
        }
    }
}
