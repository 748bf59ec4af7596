//! The account pages: sign-up and its confirmation code (`/signup`, `/confirmUser`),
//! and the forgotten password (`/forgotPassword`, `/confirmForgotPassword`). Each step
//! is one of the API's own operations (SignUp, ConfirmSignUp, ForgotPassword,
//! ConfirmForgotPassword), validated as any client's request is, with the pages'
//! client's SECRET_HASH; codes reach the outbox (or a custom sender) as everywhere else.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::authorize::read_query;
use super::form::Params;
use super::login::sign_in_page;
use super::pages::{self, Field, Form};
use super::{Addressed, answer, api, caller, checked, cookies, no_such_pool};
use crate::domain::records::PoolRecord;
use crate::listen::Peer;
use crate::ops::{Operation, Service};

/// Which account page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
    /// `/signup`.
    SignUp,
    /// `/confirmUser`.
    ConfirmUser,
    /// `/forgotPassword`.
    ForgotPassword,
    /// `/confirmForgotPassword`.
    ConfirmForgotPassword,
}

impl Page {
    fn path(self) -> &'static str {
        match self {
            Page::SignUp => "signup",
            Page::ConfirmUser => "confirmUser",
            Page::ForgotPassword => "forgotPassword",
            Page::ConfirmForgotPassword => "confirmForgotPassword",
        }
    }
}

/// What a sign-up form asks for besides the password: the label of the user name and
/// the attributes the pool requires (the one that is the user name is given as it).
fn sign_up_fields(pool: &PoolRecord) -> (&'static str, Vec<String>) {
    let label = if pool.username_attributes.iter().any(|a| a == "email") {
        "Email"
    } else if pool.username_attributes.iter().any(|a| a == "phone_number") {
        "Phone number"
    } else {
        "Username"
    };
    let required = pool
        .schema
        .iter()
        .filter(|a| a.required && a.name != "sub" && !pool.username_attributes.contains(&a.name))
        .map(|a| a.name.clone())
        .collect();
    (label, required)
}

/// Where a code was sent, as the operation's CodeDeliveryDetails say.
fn destination_of(answer: &Value) -> &str {
    answer["CodeDeliveryDetails"]["Destination"]
        .as_str()
        .unwrap_or("you")
}

/// The URL of an account page (or the login page) with the authorize parameters.
fn url_of(addressed: &Addressed, path: &str, query: &str) -> String {
    format!("{}/{path}?{query}", addressed.base())
}

macro_rules! page_handlers {
    ($show:ident, $submit:ident, $page:expr) => {
        pub(super) async fn $show(
            State(service): State<Arc<Service>>,
            params: RawPathParams,
            RawQuery(query): RawQuery,
            peer: Option<Extension<Peer>>,
            headers: HeaderMap,
        ) -> Response {
            show(service, $page, params, query, peer, headers).await
        }

        pub(super) async fn $submit(
            State(service): State<Arc<Service>>,
            params: RawPathParams,
            RawQuery(query): RawQuery,
            peer: Option<Extension<Peer>>,
            headers: HeaderMap,
            body: Result<Bytes, BytesRejection>,
        ) -> Response {
            submit(service, $page, params, query, peer, headers, body).await
        }
    };
}

page_handlers!(show_sign_up, submit_sign_up, Page::SignUp);
page_handlers!(show_forgot, submit_forgot, Page::ForgotPassword);

/// `POST /confirmUser` and `/confirmForgotPassword` (their pages are answers to the
/// first step's form).
pub(super) async fn submit_confirm_user(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    RawQuery(query): RawQuery,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    submit(
        service,
        Page::ConfirmUser,
        params,
        query,
        peer,
        headers,
        body,
    )
    .await
}

pub(super) async fn submit_confirm_forgot(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    RawQuery(query): RawQuery,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    submit(
        service,
        Page::ConfirmForgotPassword,
        params,
        query,
        peer,
        headers,
        body,
    )
    .await
}

async fn show(
    service: Arc<Service>,
    page: Page,
    params: RawPathParams,
    query: Option<String>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let request = match read_query(query.as_deref()) {
        Ok(request) => request,
        Err(page) => return *page,
    };
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let (pool, _, look) = match checked(service, addressed.clone(), caller, request).await {
        Ok(Some(found)) => found,
        Ok(None) => return no_such_pool(),
        Err(refusal) => return answer::refusal(&refusal),
    };
    let query = query.unwrap_or_default();
    let (csrf, cookie) = cookies::csrf_token(&headers, &addressed.cookie_path());
    let action = url_of(&addressed, page.path(), &query);
    let form = Form {
        action: &action,
        csrf: &csrf,
    };
    let sign_in = url_of(&addressed, "login", &query);
    let markup = match page {
        Page::SignUp if pool.admin_create_user_only => {
            return answer::page(
                StatusCode::BAD_REQUEST,
                pages::error(
                    "invalid_request",
                    "Sign-up is not allowed in this user pool.",
                ),
                &[],
            );
        }
        Page::SignUp => {
            let (label, required) = sign_up_fields(&pool);
            let fields: Vec<Field<'_>> = required
                .iter()
                .map(|name| Field { name, value: "" })
                .collect();
            pages::sign_up(
                &form,
                label,
                "",
                &fields,
                &sign_in,
                look.terms.as_ref(),
                None,
            )
        }
        _ => pages::forgot_password(&form, &sign_in, None),
    };
    answer::page(StatusCode::OK, markup, &Vec::from_iter(cookie))
}

#[allow(clippy::too_many_arguments)]
async fn submit(
    service: Arc<Service>,
    page: Page,
    params: RawPathParams,
    query: Option<String>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let request = match read_query(query.as_deref()) {
        Ok(request) => request,
        Err(page) => return *page,
    };
    let Some(form) = body.ok().and_then(|body| Params::parse(&body).ok()) else {
        return answer::page(
            StatusCode::BAD_REQUEST,
            pages::error("invalid_request", "The form was not complete."),
            &[],
        );
    };
    if !cookies::csrf_matches(&headers, form.get("_csrf")) {
        return answer::page(
            StatusCode::FORBIDDEN,
            pages::error(
                "invalid_request",
                "The form has expired. Please start again.",
            ),
            &[],
        );
    }
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let (pool, authorization, look) =
        match checked(service.clone(), addressed.clone(), caller.clone(), request).await {
            Ok(Some(found)) => found,
            Ok(None) => return no_such_pool(),
            Err(refusal) => return answer::refusal(&refusal),
        };
    let client = authorization.client;
    let query = query.unwrap_or_default();
    let (csrf, cookie) = cookies::csrf_token(&headers, &addressed.cookie_path());
    let cookies: Vec<String> = cookie.into_iter().collect();
    let actions = [
        Page::SignUp,
        Page::ConfirmUser,
        Page::ForgotPassword,
        Page::ConfirmForgotPassword,
    ]
    .map(|page| url_of(&addressed, page.path(), &query));
    let form_for = |page: Page| Form {
        action: &actions[page as usize],
        csrf: &csrf,
    };
    let sign_in = url_of(&addressed, "login", &query);
    let username = form.owned("username").unwrap_or_default();
    let destination = form.owned("destination").unwrap_or_default();
    let code = form.owned("code").unwrap_or_default();
    let shown = |markup| answer::page(StatusCode::OK, markup, &cookies);
    let signed_in_page = |note: &str| {
        shown(sign_in_page(
            &addressed,
            &query,
            &csrf,
            &look,
            Some(&username),
            None,
            Some(note),
        ))
    };
    // A code page again after a wrong code, with the service's message.
    let code_again = |page: Page, title: &str, error: &str| {
        let new_password = page == Page::ConfirmForgotPassword;
        shown(pages::code_sent(
            &form_for(page),
            title,
            &username,
            &destination,
            new_password,
            Some(error),
        ))
    };
    match page {
        Page::SignUp => {
            if pool.admin_create_user_only {
                return answer::page(
                    StatusCode::BAD_REQUEST,
                    pages::error(
                        "invalid_request",
                        "Sign-up is not allowed in this user pool.",
                    ),
                    &[],
                );
            }
            let (label, required) = sign_up_fields(&pool);
            let values: Vec<(String, String)> = required
                .iter()
                .map(|name| {
                    let value = form.owned(&format!("attribute:{name}")).unwrap_or_default();
                    (name.clone(), value)
                })
                .collect();
            let attributes: Vec<Value> = values
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(name, value)| json!({"Name": name, "Value": value}))
                .collect();
            let body = json!({
                "Username": username,
                "Password": form.owned("password").unwrap_or_default(),
                "UserAttributes": attributes,
            });
            match api(
                service,
                caller,
                Operation::SignUp,
                Some((&client, &username)),
                body,
            )
            .await
            {
                Ok(answer) if answer["UserConfirmed"] == true => {
                    signed_in_page("Your account has been created. Sign in.")
                }
                Ok(answer) => {
                    let to = destination_of(&answer);
                    let form = form_for(Page::ConfirmUser);
                    let title = "Confirm your account";
                    shown(pages::code_sent(&form, title, &username, to, false, None))
                }
                Err(e) => {
                    let fields: Vec<Field<'_>> = values
                        .iter()
                        .map(|(name, value)| Field { name, value })
                        .collect();
                    let form = form_for(Page::SignUp);
                    let error = Some(e.message.as_str());
                    shown(pages::sign_up(
                        &form,
                        label,
                        &username,
                        &fields,
                        &sign_in,
                        look.terms.as_ref(),
                        error,
                    ))
                }
            }
        }
        Page::ConfirmUser => {
            let body = json!({"Username": username, "ConfirmationCode": code});
            match api(
                service,
                caller,
                Operation::ConfirmSignUp,
                Some((&client, &username)),
                body,
            )
            .await
            {
                Ok(_) => signed_in_page("Your account is confirmed. Sign in."),
                Err(e) => code_again(page, "Confirm your account", &e.message),
            }
        }
        Page::ForgotPassword => {
            let body = json!({"Username": username});
            match api(
                service,
                caller,
                Operation::ForgotPassword,
                Some((&client, &username)),
                body,
            )
            .await
            {
                Ok(answer) => {
                    let to = destination_of(&answer);
                    let form = form_for(Page::ConfirmForgotPassword);
                    let title = "Reset your password";
                    shown(pages::code_sent(&form, title, &username, to, true, None))
                }
                Err(e) => {
                    let form = form_for(Page::ForgotPassword);
                    shown(pages::forgot_password(&form, &sign_in, Some(&e.message)))
                }
            }
        }
        Page::ConfirmForgotPassword => {
            let body = json!({
                "Username": username,
                "ConfirmationCode": code,
                "Password": form.owned("new_password").unwrap_or_default(),
            });
            let op = Operation::ConfirmForgotPassword;
            match api(service, caller, op, Some((&client, &username)), body).await {
                Ok(_) => signed_in_page("Your password has been reset. Sign in."),
                Err(e) => code_again(page, "Reset your password", &e.message),
            }
        }
    }
}
