//! `POST /oauth2/token`: the form read (client authentication by `client_secret_basic`
//! or `client_secret_post`, the grant and its parameters), then `ops::oauth::token`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawPathParams, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::form::Params;
use super::{Addressed, caller, no_store, no_such_pool, oauth_error, run};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::listen::Peer;
use crate::ops::Service;
use crate::ops::oauth::{self, ClientAuth, Grant};

fn invalid_request(description: impl Into<String>) -> OAuthError {
    OAuthError::described(OAuthErrorCode::InvalidRequest, description)
}

/// A POSTed form (`application/x-www-form-urlencoded`, each parameter once).
pub(super) fn read_form(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Params, OAuthError> {
    let form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(invalid_request(
            "Content-Type must be application/x-www-form-urlencoded.",
        ));
    }
    let body = body.map_err(|_| invalid_request("The request is too large."))?;
    Params::parse(&body).map_err(|e| invalid_request(e.to_string()))
}

/// The client's credentials: HTTP Basic (`client_id:client_secret`, each
/// form-urlencoded, RFC 6749 §2.3.1) or `client_id` and `client_secret` in the form;
/// using both is refused ("MUST NOT use more than one authentication method").
pub(super) fn client_auth(headers: &HeaderMap, params: &Params) -> Result<ClientAuth, OAuthError> {
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "));
    let Some(basic) = basic else {
        let client_id = params
            .owned("client_id")
            .ok_or_else(|| OAuthError::new(OAuthErrorCode::InvalidClient))?;
        return Ok(ClientAuth {
            client_id,
            secret: params.owned("client_secret"),
        });
    };
    if params.get("client_secret").is_some() {
        return Err(invalid_request(
            "Client authentication must use one method only.",
        ));
    }
    let invalid = || OAuthError::new(OAuthErrorCode::InvalidClient);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(basic.trim())
        .map_err(|_| invalid())?;
    let decoded = String::from_utf8(decoded).map_err(|_| invalid())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
    let unescape = |s: &str| -> String {
        form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let client_id = unescape(id);
    if params
        .get("client_id")
        .is_some_and(|given| given != client_id)
    {
        return Err(invalid());
    }
    Ok(ClientAuth {
        client_id,
        secret: Some(unescape(secret)),
    })
}

/// `aws_client_metadata`: a JSON object of strings for the triggers the grant runs.
fn client_metadata(params: &Params) -> Result<Option<HashMap<String, String>>, OAuthError> {
    params
        .get("aws_client_metadata")
        .map(|json| {
            serde_json::from_str(json).map_err(|_| {
                invalid_request("aws_client_metadata must be a JSON object of strings.")
            })
        })
        .transpose()
}

/// What a token request's form says: the client, the grant, the triggers' metadata.
type TokenForm = (ClientAuth, Grant, Option<HashMap<String, String>>);

/// The grant a form asks for.
fn grant(params: &Params) -> Result<Grant, OAuthError> {
    match params.get("grant_type") {
        None => Err(invalid_request("grant_type is required.")),
        Some("client_credentials") => Ok(Grant::ClientCredentials {
            scopes: params.words("scope"),
            resource: params.owned("resource"),
        }),
        Some("authorization_code") => Ok(Grant::AuthorizationCode {
            code: params
                .owned("code")
                .ok_or_else(|| invalid_request("code is required."))?,
            redirect_uri: params.owned("redirect_uri"),
            verifier: params.owned("code_verifier"),
            resource: params.owned("resource"),
        }),
        Some("refresh_token") => Ok(Grant::RefreshToken {
            token: params
                .owned("refresh_token")
                .ok_or_else(|| invalid_request("refresh_token is required."))?,
            resource: params.owned("resource"),
        }),
        Some(_) => Err(OAuthError::new(OAuthErrorCode::UnsupportedGrantType)),
    }
}

pub(super) async fn token(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let read = || -> Result<TokenForm, OAuthError> {
        let params = read_form(&headers, body)?;
        Ok((
            client_auth(&headers, &params)?,
            grant(&params)?,
            client_metadata(&params)?,
        ))
    };
    // A request to a pool without hosted endpoints is answered 404 before its form is
    // judged.
    let read = read();
    let mut caller = caller(peer.map(|Extension(p)| p), &headers);
    if let Ok((_, _, metadata)) = &read {
        caller.client_metadata = metadata.clone();
    }
    let answered = run(service, addressed, caller, move |ctx, pool| {
        let (auth, grant, _) = read?;
        oauth::token(ctx, pool, &auth, &grant)
    })
    .await;
    let signed = answered.and_then(|reply| {
        reply
            .map(|r| r.sign().map_err(OAuthError::from))
            .transpose()
    });
    match signed {
        Ok(Some(reply)) => (no_store(), axum::Json(reply)).into_response(),
        Ok(None) => no_such_pool(),
        Err(e) => oauth_error(&e),
    }
}
