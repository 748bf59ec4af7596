//! How the hosted endpoints answer a browser: pages (never cached, never framed),
//! redirects carrying a grant or an error back to the client, and the error page.

use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;

use super::pages;
use crate::error::{CognitoError, OAuthError};
use crate::ops::oauth::TokenReply;
use crate::ops::oauth::authorize::{Granted, REDIRECT_MISMATCH, Refusal};

/// A page, with the cookies to set.
pub(super) fn page(status: StatusCode, markup: Markup, cookies: &[String]) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in fixed {
        headers.insert(name, value.parse().expect("a fixed header value"));
    }
    for cookie in cookies {
        if let Ok(value) = cookie.parse() {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A redirect (302), with the cookies to set.
pub(super) fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    match location.parse() {
        Ok(value) => {
            headers.insert(header::LOCATION, value);
        }
        Err(_) => return failure(&CognitoError::internal("an unsendable redirect")),
    }
    headers.insert(header::CACHE_CONTROL, "no-store".parse().expect("fixed"));
    for cookie in cookies {
        if let Ok(value) = cookie.parse() {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// `uri` with parameters added to its query (or, `fragment`, as its fragment).
pub(super) fn with_params(uri: &str, pairs: &[(&str, &str)], fragment: bool) -> String {
    let mut encoded = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        encoded.append_pair(name, value);
    }
    let encoded = encoded.finish();
    let separator = match (fragment, uri.contains('?')) {
        (true, _) => '#',
        (false, true) => '&',
        (false, false) => '?',
    };
    format!("{uri}{separator}{encoded}")
}

/// The answer to a refused authorization: the error page when the client or its redirect
/// URI is not to be trusted, else a redirect to the client with the error and its state.
pub(super) fn refusal(refusal: &Refusal) -> Response {
    match refusal {
        Refusal::Page(error) => {
            let code = match error.description.as_deref() {
                Some(REDIRECT_MISMATCH) => REDIRECT_MISMATCH,
                _ => error.code.name(),
            };
            let detail = error.description.as_deref().unwrap_or_default();
            page(StatusCode::BAD_REQUEST, pages::error(code, detail), &[])
        }
        Refusal::Redirect {
            redirect_uri,
            error,
            state,
            fragment,
        } => {
            let mut pairs = vec![("error", error.code.name())];
            if let Some(description) = &error.description {
                pairs.push(("error_description", description));
            }
            if let Some(state) = state {
                pairs.push(("state", state));
            }
            redirect(&with_params(redirect_uri, &pairs, *fragment), &[])
        }
    }
}

/// The redirect of a granted authorization: the code in the query, or the tokens
/// (signed now, after the commit) in the fragment, as Cognito orders them.
pub(super) async fn granted(granted: Granted, cookies: &[String]) -> Response {
    match granted {
        Granted::Code {
            redirect_uri,
            code,
            state,
        } => {
            let mut pairs = vec![("code", code.as_str())];
            if let Some(state) = &state {
                pairs.push(("state", state));
            }
            redirect(&with_params(&redirect_uri, &pairs, false), cookies)
        }
        Granted::Tokens {
            redirect_uri,
            reply,
            state,
        } => {
            let signed = tokio::task::spawn_blocking(move || reply.sign())
                .await
                .unwrap_or_else(|e| Err(CognitoError::internal(e)));
            let reply: TokenReply = match signed {
                Ok(reply) => reply,
                Err(e) => return failure(&e),
            };
            let text = |jwt: &crate::tokens::Jwt| serde_json::to_value(jwt).ok();
            let id = reply.id_token.as_ref().and_then(text);
            let access = text(&reply.access_token);
            let expires = reply.expires_in.to_string();
            let mut pairs: Vec<(&str, &str)> = Vec::new();
            if let Some(id) = id.as_ref().and_then(|v| v.as_str()) {
                pairs.push(("id_token", id));
            }
            if let Some(access) = access.as_ref().and_then(|v| v.as_str()) {
                pairs.push(("access_token", access));
            }
            // The implicit grant's fragment says `bearer`, in lower case, as Cognito's.
            pairs.push(("token_type", "bearer"));
            pairs.push(("expires_in", &expires));
            if let Some(state) = &state {
                pairs.push(("state", state));
            }
            redirect(&with_params(&redirect_uri, &pairs, true), cookies)
        }
    }
}

/// A fault of the server, on a page (the details are logged, not shown).
pub(super) fn failure(error: &CognitoError) -> Response {
    tracing::debug!(%error, "hosted request failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::error("server_error", "Something went wrong. Please try again."),
        &[],
    )
}

/// An OAuth error on a page (where no redirect URI can be trusted).
pub(super) fn oauth_page(status: StatusCode, error: &OAuthError) -> Response {
    let detail = error.description.as_deref().unwrap_or_default();
    page(status, pages::error(error.code.name(), detail), &[])
}

/// The error page's query.
#[derive(Debug, serde::Deserialize)]
pub(super) struct ErrorQuery {
    error: Option<String>,
}

/// `GET /error?error=...`: the page Cognito shows errors on.
pub(super) async fn error_page(Query(query): Query<ErrorQuery>) -> Response {
    let code = query.error.unwrap_or_else(|| "invalid_request".into());
    let code: String = code.chars().take(64).collect();
    page(StatusCode::BAD_REQUEST, pages::error(&code, ""), &[])
}
