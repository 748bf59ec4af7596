//! `/login`: the sign-in page, and every step after it that the user's state asks for
//! (an MFA code, the choice of MFA, a new password), each a form posted back to
//! `/login` with the authorize parameters in its URL. The steps are the API's own sign-in
//! (password, challenges, lockout, triggers) run for the pages' client; the last one
//! opens the hosted session and sends the grant to the client.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::authorize::read_query;
use super::form::Params;
use super::look::Look;
use super::pages::{self, CodeKind, Form, Links, Step};
use super::{Addressed, answer, caller, checked, cookies, mfa_setup, no_such_pool, run};
use crate::domain::hosted_sessions::{self, SESSION_SECONDS};
use crate::domain::state::ChallengeName;
use crate::domain::users;
use crate::error::{CognitoError, ErrorKind};
use crate::listen::Peer;
use crate::ops::Service;
use crate::ops::auth;
use crate::ops::oauth::authorize::{self, Granted, Refusal};
use crate::store::StoreError;

/// `GET /login`: the sign-in page, for an authorize request that checks out.
pub(super) async fn show(
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
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    match checked(service, addressed.clone(), caller, request).await {
        Ok(Some((_, _, look))) => {
            let (csrf, cookie) = cookies::csrf_token(&headers, &addressed.cookie_path());
            let query = query.unwrap_or_default();
            let page = sign_in_page(&addressed, &query, &csrf, &look, None, None, None);
            answer::page(StatusCode::OK, page, &Vec::from_iter(cookie))
        }
        Ok(None) => no_such_pool(),
        Err(refusal) => answer::refusal(&refusal),
    }
}

/// Where the sign-in forms post: the login endpoint with the authorize parameters.
fn action(addressed: &Addressed, query: Option<&str>) -> String {
    format!("{}/login?{}", addressed.base(), query.unwrap_or_default())
}

/// The sign-in page of an authorize request: its form, the links to reset a password and
/// (where the pool lets users sign up) to sign up, a button for each of the client's
/// identity providers (the authorize request again, naming it), and a message.
pub(super) fn sign_in_page(
    addressed: &Addressed,
    query: &str,
    csrf: &str,
    look: &Look,
    username: Option<&str>,
    error: Option<&str>,
    note: Option<&str>,
) -> maud::Markup {
    let action = action(addressed, Some(query));
    let sign_up = format!("{}/signup?{query}", addressed.base());
    let forgot_password = format!("{}/forgotPassword?{query}", addressed.base());
    let providers: Vec<(&str, String)> = look
        .providers
        .iter()
        .map(|name| (name.as_str(), provider_url(addressed, query, name)))
        .collect();
    let links = Links {
        sign_up: look.sign_up.then_some(sign_up.as_str()),
        forgot_password: &forgot_password,
        providers: &providers,
    };
    let form = Form {
        action: &action,
        csrf,
    };
    pages::sign_in(&form, &links, username, error, note)
}

/// The authorize request of `query` naming `provider` (`identity_provider`).
fn provider_url(addressed: &Addressed, query: &str, provider: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "identity_provider" && k != "idp_identifier")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("identity_provider".into(), provider.into()));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{}/oauth2/authorize?{query}", addressed.base())
}

/// What a form posted.
enum Posted {
    /// The sign-in form.
    Password { username: String, password: String },
    /// An answer to a challenge.
    Answer {
        challenge: ChallengeName,
        session: String,
        username: String,
        detail: String,
        responses: Vec<(&'static str, String)>,
    },
}

/// The responses a challenge's form gives, by the API's names.
fn responses(challenge: ChallengeName, form: &Params) -> Option<Vec<(&'static str, String)>> {
    let code = || form.owned("code");
    Some(match challenge {
        ChallengeName::SoftwareTokenMfa => vec![("SOFTWARE_TOKEN_MFA_CODE", code()?)],
        ChallengeName::SmsMfa => vec![("SMS_MFA_CODE", code()?)],
        ChallengeName::SelectMfaType => vec![("ANSWER", form.owned("answer")?)],
        // Its code goes to VerifySoftwareToken first (`mfa_setup`); the answer is bare.
        ChallengeName::MfaSetup => {
            code()?;
            vec![]
        }
        ChallengeName::NewPasswordRequired => {
            let mut out = vec![("NEW_PASSWORD", form.owned("new_password")?)];
            for name in form.get("detail").unwrap_or_default().split(',') {
                if name.is_empty() {
                    continue;
                }
                let value = form.owned(&format!("attribute:{name}"))?;
                out.push((attribute_response(name)?, value));
            }
            out
        }
        _ => return None,
    })
}

/// `userAttributes.NAME`, for the names a pool may require (a fixed set: the standard
/// attributes; custom ones are never required).
fn attribute_response(name: &str) -> Option<&'static str> {
    const REQUIRED: &[&str] = &[
        "userAttributes.address",
        "userAttributes.birthdate",
        "userAttributes.email",
        "userAttributes.family_name",
        "userAttributes.gender",
        "userAttributes.given_name",
        "userAttributes.locale",
        "userAttributes.middle_name",
        "userAttributes.name",
        "userAttributes.nickname",
        "userAttributes.phone_number",
        "userAttributes.picture",
        "userAttributes.preferred_username",
        "userAttributes.profile",
        "userAttributes.updated_at",
        "userAttributes.website",
        "userAttributes.zoneinfo",
    ];
    REQUIRED
        .iter()
        .find(|full| full.strip_prefix("userAttributes.") == Some(name))
        .copied()
}

/// What a posted form led to.
enum Outcome {
    /// Signed in: the grant, and the hosted session's cookie value.
    Granted(Granted, String),
    /// A challenge to answer next.
    Challenge {
        name: ChallengeName,
        session: String,
        parameters: BTreeMap<String, String>,
    },
}

/// Why a posted form did not go on.
enum Stopped {
    /// The authorize request itself is refused.
    Refused(Refusal),
    /// The step failed (wrong password or code...): shown on its page.
    Failed(CognitoError),
}

impl From<CognitoError> for Stopped {
    fn from(e: CognitoError) -> Self {
        Stopped::Failed(e)
    }
}

impl From<StoreError> for Stopped {
    fn from(e: StoreError) -> Self {
        Stopped::Failed(e.into())
    }
}

/// `POST /login`: one step of the sign-in.
pub(super) async fn submit(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    RawQuery(query): RawQuery,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let request = match read_query(query.as_deref()) {
        Ok(request) => request,
        Err(page) => return *page,
    };
    let form = body.ok().and_then(|body| Params::parse(&body).ok());
    let Some(form) = form else {
        return bad_form();
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
    let posted = match form.owned("challenge") {
        None => match (form.owned("username"), form.owned("password")) {
            (Some(username), Some(password)) => Posted::Password { username, password },
            _ => return bad_form(),
        },
        Some(challenge) => {
            let challenge = ChallengeName::parse(&challenge);
            let (Some(challenge), Some(session), Some(username)) =
                (challenge, form.owned("session"), form.owned("username"))
            else {
                return bad_form();
            };
            let Some(responses) = responses(challenge, &form) else {
                return bad_form();
            };
            Posted::Answer {
                challenge,
                session,
                username,
                detail: form.owned("detail").unwrap_or_default(),
                responses,
            }
        }
    };
    let shown = Shown {
        username: match &posted {
            Posted::Password { username, .. } | Posted::Answer { username, .. } => username.clone(),
        },
        step: match &posted {
            Posted::Answer {
                challenge,
                session,
                detail,
                ..
            } => Some((*challenge, session.clone(), detail.clone())),
            Posted::Password { .. } => None,
        },
    };
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let (_, _, look) = match checked(
        service.clone(),
        addressed.clone(),
        caller.clone(),
        request.clone(),
    )
    .await
    {
        Ok(Some(found)) => found,
        Ok(None) => return no_such_pool(),
        Err(refusal) => return answer::refusal(&refusal),
    };
    let (csrf, csrf_cookie) = cookies::csrf_token(&headers, &addressed.cookie_path());
    let action = action(&addressed, query.as_deref());
    let form_out = Form {
        action: &action,
        csrf: &csrf,
    };
    let cookies: Vec<String> = csrf_cookie.into_iter().collect();
    if let Posted::Answer {
        challenge: ChallengeName::MfaSetup,
        session,
        ..
    } = &posted
    {
        let code = form.get("code").unwrap_or_default();
        if let Err(error) = mfa_setup::verify(service.clone(), caller.clone(), session, code).await
        {
            let query = query.unwrap_or_default();
            return failed(
                &addressed, &query, &look, &form_out, &shown, &error, &cookies,
            );
        }
    }
    let setup_caller = caller.clone();
    let caller = crate::domain::Caller {
        hosted: true,
        ..caller
    };
    let outcome = run(
        service.clone(),
        addressed.clone(),
        caller,
        move |ctx, pool| {
            let authorization = authorize::check(ctx, pool, &request).map_err(Stopped::Refused)?;
            let client = &authorization.client;
            let reply = match &posted {
                Posted::Password { username, password } => {
                    auth::hosted_password(ctx, pool, client, username, password)?
                }
                Posted::Answer {
                    challenge,
                    session,
                    username,
                    responses,
                    ..
                } => {
                    let mut pairs: Vec<(&str, &str)> = vec![("USERNAME", username)];
                    pairs.extend(responses.iter().map(|(k, v)| (*k, v.as_str())));
                    auth::hosted_respond(ctx, pool, client, *challenge, session, &pairs)?
                }
            };
            if let Some(username) = reply.signed_in_user() {
                let mut user = users::by_username(ctx, pool, username)?
                    .ok_or_else(|| CognitoError::internal("a signed-in user is gone"))?;
                let cookie = hosted_sessions::open(ctx, pool, &user)?;
                let granted = authorize::grant(ctx, pool, &authorization, &mut user, ctx.now)
                    .map_err(|e| Stopped::Refused(authorization.refuse(e)))?;
                return Ok(Outcome::Granted(granted, cookie));
            }
            match reply.challenge_asked() {
                Some((name, session, parameters)) => Ok(Outcome::Challenge {
                    name,
                    session: session.to_owned(),
                    parameters: parameters.clone(),
                }),
                None => Err(CognitoError::internal("a sign-in step without an answer").into()),
            }
        },
    )
    .await;
    let form = form_out;
    match outcome {
        Ok(Some(Outcome::Granted(granted, session))) => {
            let mut cookies = cookies;
            cookies.push(cookies::set(
                cookies::SESSION,
                &session,
                &addressed.cookie_path(),
                Some(SESSION_SECONDS),
            ));
            answer::granted(granted, &cookies).await
        }
        Ok(Some(Outcome::Challenge {
            name: ChallengeName::MfaSetup,
            session,
            parameters,
        })) => {
            let username = parameters.get("USER_ID_FOR_SRP").unwrap_or(&shown.username);
            match mfa_setup::associate(service, setup_caller, &session).await {
                Ok(secret) => {
                    let page =
                        mfa_setup::page(&form, &session, username, &look.issuer, &secret, None);
                    answer::page(StatusCode::OK, page, &cookies)
                }
                Err(error) => answer::failure(&error),
            }
        }
        Ok(Some(Outcome::Challenge {
            name,
            session,
            parameters,
        })) => challenge_page(
            &form,
            &shown.username,
            name,
            &session,
            &parameters,
            None,
            &cookies,
        ),
        Ok(None) => no_such_pool(),
        Err(Stopped::Refused(refusal)) => answer::refusal(&refusal),
        Err(Stopped::Failed(error)) => {
            let query = query.unwrap_or_default();
            failed(&addressed, &query, &look, &form, &shown, &error, &cookies)
        }
    }
}

/// What the posted page showed, to show again after a failure.
struct Shown {
    username: String,
    step: Option<(ChallengeName, String, String)>,
}

fn bad_form() -> Response {
    answer::page(
        StatusCode::BAD_REQUEST,
        pages::error("invalid_request", "The form was not complete."),
        &[],
    )
}

/// The page after a failed step: the same page with the service's message while its
/// session lasts (a wrong code, a password the policy refuses), else the sign-in page.
fn failed(
    addressed: &Addressed,
    query: &str,
    look: &Look,
    form: &Form<'_>,
    shown: &Shown,
    error: &CognitoError,
    cookies: &[String],
) -> Response {
    if error.kind == ErrorKind::InternalErrorException {
        return answer::failure(error);
    }
    let message = error.message.as_str();
    let again = matches!(
        error.kind,
        ErrorKind::CodeMismatchException
            | ErrorKind::InvalidPasswordException
            | ErrorKind::EnableSoftwareTokenMFAException
    ) || (error.kind == ErrorKind::InvalidParameterException && shown.step.is_some());
    if let (true, Some((challenge, session, detail))) = (again, &shown.step) {
        let step = Step {
            challenge: challenge.as_str(),
            session,
            username: &shown.username,
            detail,
        };
        let page = match challenge {
            ChallengeName::SmsMfa => {
                pages::mfa_code(form, &step, &CodeKind::Sms(detail), Some(message))
            }
            ChallengeName::NewPasswordRequired => {
                let names: Vec<&str> = detail.split(',').filter(|n| !n.is_empty()).collect();
                pages::new_password(form, &step, &names, Some(message))
            }
            ChallengeName::MfaSetup => mfa_setup::page(
                form,
                session,
                &shown.username,
                &look.issuer,
                detail,
                Some(message),
            ),
            _ => pages::mfa_code(form, &step, &CodeKind::Totp, Some(message)),
        };
        return answer::page(StatusCode::OK, page, cookies);
    }
    let page = sign_in_page(
        addressed,
        query,
        form.csrf,
        look,
        Some(&shown.username),
        Some(message),
        None,
    );
    answer::page(StatusCode::OK, page, cookies)
}

/// The page of the challenge the sign-in asks next.
fn challenge_page(
    form: &Form<'_>,
    username: &str,
    name: ChallengeName,
    session: &str,
    parameters: &BTreeMap<String, String>,
    error: Option<&str>,
    cookies: &[String],
) -> Response {
    let parameter = |key: &str| parameters.get(key).map(String::as_str).unwrap_or_default();
    let username = match parameter("USER_ID_FOR_SRP") {
        "" => username,
        named => named,
    };
    let page = match name {
        ChallengeName::SoftwareTokenMfa => {
            let step = Step {
                challenge: name.as_str(),
                session,
                username,
                detail: "",
            };
            pages::mfa_code(form, &step, &CodeKind::Totp, error)
        }
        ChallengeName::SmsMfa => {
            let to = parameter("CODE_DELIVERY_DESTINATION");
            let step = Step {
                challenge: name.as_str(),
                session,
                username,
                detail: to,
            };
            pages::mfa_code(form, &step, &CodeKind::Sms(to), error)
        }
        ChallengeName::SelectMfaType => {
            let step = Step {
                challenge: name.as_str(),
                session,
                username,
                detail: "",
            };
            let offered: Vec<String> =
                serde_json::from_str(parameter("MFAS_CAN_CHOOSE")).unwrap_or_default();
            let choices: Vec<(&str, &str)> = offered
                .iter()
                .map(|m| match m.as_str() {
                    "SMS_MFA" => ("SMS_MFA", "A code by SMS"),
                    _ => ("SOFTWARE_TOKEN_MFA", "A code from my authenticator app"),
                })
                .collect();
            pages::select_mfa(form, &step, &choices, error)
        }
        ChallengeName::NewPasswordRequired => {
            let required: Vec<String> =
                serde_json::from_str(parameter("requiredAttributes")).unwrap_or_default();
            let names: Vec<&str> = required
                .iter()
                .filter_map(|a| a.strip_prefix("userAttributes."))
                .collect();
            let detail = names.join(",");
            let step = Step {
                challenge: name.as_str(),
                session,
                username,
                detail: &detail,
            };
            pages::new_password(form, &step, &names, error)
        }
        _ => {
            return answer::page(
                StatusCode::OK,
                pages::error(
                    "unsupported_challenge",
                    &format!("The sign-in needs {name}, which these pages do not offer."),
                ),
                cookies,
            );
        }
    };
    answer::page(StatusCode::OK, page, cookies)
}
