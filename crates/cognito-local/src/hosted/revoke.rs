//! `POST /oauth2/revoke`: the form read (the client authenticated as at the token
//! endpoint), then `ops::oauth::revoke`. 200 with an empty body when revoked or unknown;
//! `invalid_client` is 401 here, as the developer guide's revocation endpoint shows it.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawPathParams, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::token::{client_auth, read_form};
use super::{Addressed, caller, no_such_pool, oauth_error, run};
use crate::error::OAuthErrorCode;
use crate::listen::Peer;
use crate::ops::Service;
use crate::ops::oauth::revoke;

pub(super) async fn revoke(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let read = read_form(&headers, body)
        .and_then(|form| Ok((client_auth(&headers, &form)?, form.owned("token"))));
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let revoked = run(service, addressed, caller, move |ctx, pool| {
        let (auth, token) = read?;
        revoke::revoke(ctx, pool, &auth, token.as_deref())
    })
    .await;
    match revoked {
        Ok(Some(())) => StatusCode::OK.into_response(),
        Ok(None) => no_such_pool(),
        Err(e) if e.code == OAuthErrorCode::InvalidClient => {
            let mut response = oauth_error(&e);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(e) => oauth_error(&e),
    }
}
