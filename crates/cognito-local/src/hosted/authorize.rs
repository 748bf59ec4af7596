//! `GET /oauth2/authorize`: the request checked; a browser with a live hosted session
//! gets its grant at once (unless `prompt=login`), one without is sent to the login
//! page with the same parameters ("redirects to /login with the same URL parameters"),
//! or, with `prompt=none`, back to the client with `login_required`.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::form::Params;
use super::{Addressed, answer, caller, cookies, federation, no_such_pool, run};
use crate::domain::hosted_sessions;
use crate::error::{OAuthError, OAuthErrorCode};
use crate::listen::Peer;
use crate::ops::Service;
use crate::ops::oauth::authorize::{self, Authorization, AuthorizeParams, Granted, Prompt};

/// The authorize parameters of a query string (the login pages carry them too).
pub(super) fn authorize_params(params: &Params) -> AuthorizeParams {
    AuthorizeParams {
        response_type: params.owned("response_type"),
        client_id: params.owned("client_id"),
        redirect_uri: params.owned("redirect_uri"),
        state: params.owned("state"),
        scope: params.words("scope"),
        code_challenge: params.owned("code_challenge"),
        code_challenge_method: params.owned("code_challenge_method"),
        nonce: params.owned("nonce"),
        identity_provider: params.owned("identity_provider"),
        idp_identifier: params.owned("idp_identifier"),
        lang: params.owned("lang"),
        prompt: params.owned("prompt"),
        resource: params.owned("resource"),
    }
}

/// A query string's authorize parameters, or the page refusing it (a parameter given
/// twice or too long).
pub(super) fn read_query(query: Option<&str>) -> Result<AuthorizeParams, Box<Response>> {
    Params::parse(query.unwrap_or_default().as_bytes())
        .map(|params| authorize_params(&params))
        .map_err(|e| {
            let error = OAuthError::described(OAuthErrorCode::InvalidRequest, e.to_string());
            Box::new(answer::oauth_page(StatusCode::BAD_REQUEST, &error))
        })
}

/// What the authorize endpoint does with a request it accepts.
enum Next {
    /// Grant it now: the browser has a live session.
    Grant(Granted),
    /// Send the browser to sign in.
    SignIn,
    /// Send the browser to its identity provider.
    Federate(Box<Authorization>),
}

pub(super) async fn authorize(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    RawQuery(query): RawQuery,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let request = match read_query(query.as_deref()) {
        Ok(request) => request,
        Err(page) => return *page,
    };
    let session = cookies::get(&headers, cookies::SESSION).map(str::to_owned);
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let now = service.now();
    let outbound = service.outbound().clone();
    let next = run(service, addressed.clone(), caller, move |ctx, pool| {
        let authorization = authorize::check(ctx, pool, &request)?;
        if authorization.provider.is_some() {
            return Ok(Next::Federate(Box::new(authorization)));
        }
        let live = match (&session, authorization.prompt) {
            (Some(cookie), Prompt::Default | Prompt::None) => {
                hosted_sessions::user(ctx, pool, cookie)?
            }
            _ => None,
        };
        match live {
            Some((record, mut user)) => {
                authorize::grant(ctx, pool, &authorization, &mut user, record.auth_time)
                    .map(Next::Grant)
                    .map_err(|e| authorization.refuse(e))
            }
            None if authorization.prompt == Prompt::None => {
                Err(authorization.refuse(OAuthError::new(OAuthErrorCode::LoginRequired)))
            }
            None => Ok(Next::SignIn),
        }
    })
    .await;
    match next {
        Ok(Some(Next::Grant(granted))) => answer::granted(granted, &[]).await,
        Ok(Some(Next::SignIn)) => {
            let query = query.unwrap_or_default();
            answer::redirect(&format!("{}/login?{query}", addressed.base()), &[])
        }
        Ok(Some(Next::Federate(mut authorization))) => {
            let Some(provider) = authorization.provider.take() else {
                return no_such_pool();
            };
            let query = query.unwrap_or_default();
            let http = outbound.providers();
            federation::start(
                &addressed,
                &headers,
                query,
                *authorization,
                provider,
                now,
                http,
            )
            .await
        }
        Ok(None) => no_such_pool(),
        Err(refusal) => answer::refusal(&refusal),
    }
}
