//! `GET /logout`: the hosted session ended and its cookie removed, then, as the
//! developer guide's logout endpoint describes, either `client_id` + `logout_uri` (one
//! of the client's LogoutURLs: the browser goes there) or `client_id` + `redirect_uri` +
//! `response_type` (a new sign-in: the browser goes to the login page with those
//! parameters). Anything else is the error page Cognito shows: "Required String
//! parameter 'redirect_uri' is not present".

use std::sync::Arc;

use axum::Extension;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::form::Params;
use super::{Addressed, answer, caller, cookies, no_such_pool, pages, run};
use crate::domain::client_oauth::OAuthSettings;
use crate::domain::hosted_sessions;
use crate::error::OAuthError;
use crate::listen::Peer;
use crate::ops::Service;

/// Where the browser goes after logging out.
enum After {
    /// A sign-out URL.
    Uri(String),
    /// The login page, with these parameters.
    SignIn,
    /// Nowhere the request may name: the error page.
    Nowhere,
}

pub(super) async fn logout(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    RawQuery(query): RawQuery,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let query = query.unwrap_or_default();
    let Ok(given) = Params::parse(query.as_bytes()) else {
        return nowhere();
    };
    let session = cookies::get(&headers, cookies::SESSION).map(str::to_owned);
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let after = run(service, addressed.clone(), caller, move |ctx, pool| {
        let client = match given.get("client_id") {
            // An app client, or a metadata document's (its post_logout_redirect_uris).
            Some(id) => crate::ops::oauth::oauth_client(ctx, pool, id)?.and_then(Result::ok),
            None => None,
        };
        let Some(client) = client else {
            return Ok::<_, OAuthError>(After::Nowhere);
        };
        if let Some(cookie) = &session {
            hosted_sessions::close(ctx, pool, cookie)?;
        }
        let oauth = OAuthSettings::of(&client);
        if let Some(uri) = given.get("logout_uri")
            && oauth.logout_urls.iter().any(|u| u == uri)
        {
            return Ok(After::Uri(uri.to_owned()));
        }
        if let (Some(uri), Some(_)) = (given.get("redirect_uri"), given.get("response_type"))
            && oauth.callback_urls.iter().any(|u| u == uri)
        {
            return Ok(After::SignIn);
        }
        Ok(After::Nowhere)
    })
    .await;
    let cleared = [cookies::clear(cookies::SESSION, &addressed.cookie_path())];
    match after {
        Ok(Some(After::Uri(uri))) => answer::redirect(&uri, &cleared),
        Ok(Some(After::SignIn)) => {
            answer::redirect(&format!("{}/login?{query}", addressed.base()), &cleared)
        }
        Ok(Some(After::Nowhere)) => nowhere(),
        Ok(None) => no_such_pool(),
        Err(e) => answer::oauth_page(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

fn nowhere() -> Response {
    answer::page(
        StatusCode::BAD_REQUEST,
        pages::error(
            "invalid_request",
            "Required String parameter 'redirect_uri' is not present",
        ),
        &[],
    )
}
