//! `GET` and `POST /oauth2/userInfo` with `Authorization: Bearer`: the user's claims
//! (`ops::oauth::userinfo`). Errors as the developer guide shows them, with an empty
//! body and the error in `WWW-Authenticate`: 400 `invalid_request` without a bearer
//! token, 401 `invalid_token` for one it does not accept.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{RawPathParams, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Addressed, caller, no_such_pool, run};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::listen::Peer;
use crate::ops::Service;
use crate::ops::oauth::userinfo;

fn refused(status: StatusCode, challenge: &'static str) -> Response {
    (
        status,
        [
            (header::WWW_AUTHENTICATE, challenge),
            (header::CACHE_CONTROL, "no-store"),
        ],
    )
        .into_response()
}

pub(super) async fn userinfo(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return refused(
            StatusCode::BAD_REQUEST,
            r#"error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint""#,
        );
    };
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let found = run(service, addressed, caller, move |ctx, pool| {
        userinfo::userinfo(ctx, pool, &token)
    })
    .await;
    match found {
        Ok(Some(claims)) => (
            [(
                header::CACHE_CONTROL,
                "no-cache, no-store, max-age=0, must-revalidate",
            )],
            axum::Json(claims),
        )
            .into_response(),
        Ok(None) => no_such_pool(),
        Err(OAuthError {
            code: OAuthErrorCode::InvalidToken,
            ..
        }) => refused(
            StatusCode::UNAUTHORIZED,
            r#"error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out.""#,
        ),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
