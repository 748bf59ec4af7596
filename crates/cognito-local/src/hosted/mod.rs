//! The hosted endpoints: OAuth 2.0 and OpenID Connect (`/oauth2/token`, ...) served for
//! each pool that has a domain. They are reached two ways on the one listener:
//! - by path, `{endpoint}/{pool_id}/oauth2/...`, which is what the pool's discovery
//!   document lists (loopback, no DNS needed);
//! - by `Host`, `PREFIX.auth.localhost:PORT/oauth2/...` (browsers resolve `*.localhost`
//!   to loopback) or a custom domain's name, as on AWS.
//!
//! This layer speaks HTTP (forms, headers, cookies, redirects) and OAuth's error codes;
//! what the endpoints do is in `ops::oauth`, over the same domain layer as the API.

mod account;
mod answer;
mod authorize;
mod cookies;
mod federation;
mod form;
mod login;
mod logout;
mod look;
mod mfa_setup;
mod pages;
mod revoke;
mod token;
mod userinfo;

use std::sync::Arc;

use axum::Router;
use axum::extract::RawPathParams;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::domain::pool_domains::DomainRecord;
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::{Caller, Ctx, pool_domains, pools};
use crate::error::{CognitoError, OAuthError, OAuthErrorCode, OpResult};
use crate::listen::caller_of as caller;
use crate::ops::oauth::authorize::{Authorization, AuthorizeParams, Refusal};
use crate::ops::{Operation, Service};
use crate::store::StoreError;
use look::Look;

/// The hosted routes, by path and by `Host`: each handler serves both.
pub(crate) fn routes() -> Router<Arc<Service>> {
    let mut router = Router::new();
    for prefix in ["/{pool_id}", ""] {
        router = router
            .route(&format!("{prefix}/oauth2/token"), post(token::token))
            .route(
                &format!("{prefix}/oauth2/authorize"),
                get(authorize::authorize),
            )
            .route(
                &format!("{prefix}/login"),
                get(login::show).post(login::submit),
            )
            .route(
                &format!("{prefix}/signup"),
                get(account::show_sign_up).post(account::submit_sign_up),
            )
            .route(
                &format!("{prefix}/confirmUser"),
                post(account::submit_confirm_user),
            )
            .route(
                &format!("{prefix}/forgotPassword"),
                get(account::show_forgot).post(account::submit_forgot),
            )
            .route(
                &format!("{prefix}/confirmForgotPassword"),
                post(account::submit_confirm_forgot),
            )
            .route(&format!("{prefix}/logout"), get(logout::logout))
            .route(&format!("{prefix}/error"), get(answer::error_page))
            .route(
                &format!("{prefix}/oauth2/userInfo"),
                get(userinfo::userinfo).post(userinfo::userinfo),
            )
            .route(&format!("{prefix}/oauth2/revoke"), post(revoke::revoke))
            .route(
                &format!("{prefix}/oauth2/idpresponse"),
                get(federation::idp_response).post(federation::idp_response),
            );
    }
    router
}

/// Which pool a hosted request is for.
#[derive(Debug, Clone)]
pub(crate) enum Addressed {
    /// Named in the path.
    Pool(String),
    /// Named by the `Host` header, through one of its domains.
    Host(String),
}

impl Addressed {
    /// The pool a request addresses: the path's `pool_id`, else its `Host`.
    fn of(params: &RawPathParams, headers: &HeaderMap) -> Self {
        if let Some((_, pool_id)) = params.iter().find(|(name, _)| *name == "pool_id") {
            return Addressed::Pool(pool_id.to_owned());
        }
        Addressed::Host(
            headers
                .get("host")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
        )
    }

    /// The path the pool's hosted endpoints are under: `/{pool_id}` or nothing.
    fn base(&self) -> String {
        match self {
            Addressed::Pool(id) => format!("/{id}"),
            Addressed::Host(_) => String::new(),
        }
    }

    /// The path its cookies are scoped to.
    fn cookie_path(&self) -> String {
        match self {
            Addressed::Pool(id) => format!("/{id}"),
            Addressed::Host(_) => "/".to_owned(),
        }
    }

    /// The pool's id as far as the request says (a host is resolved in the store).
    fn region_hint(&self) -> &str {
        match self {
            Addressed::Pool(id) => id,
            Addressed::Host(_) => "",
        }
    }
}

/// The pool a hosted request addresses, if it exists and has a domain (a pool without
/// one has no hosted endpoints, as on AWS), with the domain the request came through:
/// its `Host`'s, or for a path the pool's prefix domain (else its custom one).
pub(crate) fn reached(
    ctx: &Ctx<'_>,
    addressed: &Addressed,
) -> OpResult<Option<(PoolRecord, DomainRecord)>> {
    let (id, through) = match addressed {
        Addressed::Pool(id) => (id.clone(), None),
        Addressed::Host(host) => match pool_domains::of_host(ctx, host)? {
            Some(domain) => (domain.pool_id.clone(), Some(domain)),
            None => return Ok(None),
        },
    };
    let Some(pool) = pools::find(ctx, &id)? else {
        return Ok(None);
    };
    let domain = match through {
        Some(domain) => domain,
        None => match pool_domains::all_of_pool(ctx, &pool)?.into_iter().next() {
            Some(domain) => domain,
            None => return Ok(None),
        },
    };
    Ok(Some((pool, domain)))
}

/// Runs hosted work in one transaction off the reactor, for the pool the request
/// addresses (`None` when it addresses none).
async fn run<T, E>(
    service: Arc<Service>,
    addressed: Addressed,
    caller: Caller,
    work: impl FnOnce(&Ctx<'_>, &PoolRecord) -> Result<T, E> + Send + 'static,
) -> Result<Option<T>, E>
where
    T: Send + 'static,
    E: From<StoreError> + From<CognitoError> + Send + 'static,
{
    run_reached(service, addressed, caller, |ctx, pool, _| work(ctx, pool)).await
}

/// [`run`], with the domain the request came through too.
async fn run_reached<T, E>(
    service: Arc<Service>,
    addressed: Addressed,
    caller: Caller,
    work: impl FnOnce(&Ctx<'_>, &PoolRecord, &DomainRecord) -> Result<T, E> + Send + 'static,
) -> Result<Option<T>, E>
where
    T: Send + 'static,
    E: From<StoreError> + From<CognitoError> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let hint = addressed.region_hint().to_owned();
        service.hosted(&hint, caller, |ctx| match reached(ctx, &addressed)? {
            Some((pool, domain)) => work(ctx, &pool, &domain).map(Some),
            None => Ok(None),
        })
    })
    .await
    .unwrap_or_else(|e| Err(CognitoError::internal(e).into()))
}

/// The authorization a page's query asks for, checked in its own transaction, with its
/// pool and what its pages show (`None` when the request addresses no pool with a
/// domain).
async fn checked(
    service: Arc<Service>,
    addressed: Addressed,
    caller: Caller,
    request: AuthorizeParams,
) -> Result<Option<(PoolRecord, Authorization, Look)>, Refusal> {
    run_reached(service, addressed, caller, move |ctx, pool, domain| {
        let authorization = crate::ops::oauth::authorize::check(ctx, pool, &request)?;
        let look = look::of(
            ctx,
            pool,
            domain,
            &authorization.client,
            request.lang.as_deref(),
        )?;
        Ok((pool.clone(), authorization, look))
    })
    .await
}

/// Runs one of the API's unsigned operations for a page: as the pages' client, with its
/// SECRET_HASH for the user when the client has a secret (`as_client`), or as given
/// (the operations a challenge's session authorizes, which name no client).
async fn api(
    service: Arc<Service>,
    caller: Caller,
    op: Operation,
    as_client: Option<(&ClientRecord, &str)>,
    mut body: serde_json::Value,
) -> OpResult<serde_json::Value> {
    if let Some((client, username)) = as_client {
        body["ClientId"] = client.id.clone().into();
        if let Some(secret) = &client.secret {
            body["SecretHash"] = cognito_srp::secret_hash(secret, username, &client.id).into();
        }
    }
    tokio::task::spawn_blocking(move || crate::protocol::call(&service, op, body, caller))
        .await
        .unwrap_or_else(|e| Err(CognitoError::internal(e)))
}

/// The answer for a request that addresses no pool with a domain.
fn no_such_pool() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// An OAuth error as the token and revocation endpoints answer it: HTTP 400 (AWS's
/// documentation shows 400 for each, `invalid_client` included) and
/// `{"error": ..., "error_description": ...}`.
fn oauth_error(error: &OAuthError) -> Response {
    let mut body = serde_json::Map::new();
    body.insert("error".into(), error.code.name().into());
    if let Some(description) = &error.description {
        body.insert("error_description".into(), description.as_str().into());
    }
    let status = match error.code {
        OAuthErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, no_store(), axum::Json(body)).into_response()
}

/// The headers of every token response (RFC 6749 §5.1).
fn no_store() -> [(&'static str, &'static str); 2] {
    [("cache-control", "no-store"), ("pragma", "no-cache")]
}
