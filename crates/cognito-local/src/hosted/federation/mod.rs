//! Sign-in through an OIDC identity provider, from the hosted endpoints:
//! - `/oauth2/authorize` naming a provider (`identity_provider`, `idp_identifier`, or
//!   the login page's button) sends the browser to the provider's authorization
//!   endpoint ([`start`]);
//! - the provider sends it back to `/oauth2/idpresponse` with a code ([`idp_response`]),
//!   which is redeemed and verified ([`oidc`]), the user signed in through the domain
//!   layer (`domain::federation`), and the app's authorization granted as after a
//!   sign-in on the login page.
//!
//! What the round trip needs is kept by the browser, not the store (so that requests
//! nobody authenticated cannot grow it): an HttpOnly cookie holding the authorize
//! request, the provider, the nonce and PKCE verifier sent, and the `state` the
//! provider must send back, sealed with a key of this server process (HMAC-SHA256),
//! so that none of it can be made or changed outside. An answer whose `state` is not
//! the cookie's (another browser's, a forged one) is refused; so is one later than
//! five minutes ("Amazon Cognito cancels authentication requests that do not complete
//! within 5 minutes"). A restarted server forgets the round trips under way.

pub(super) mod oidc;

use std::sync::{Arc, LazyLock};

use aws_lc_rs::hmac;

use axum::Extension;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::authorize::read_query;
use super::form::Params;
use super::{Addressed, answer, caller, cookies, no_such_pool, run};
use crate::clock::UnixTime;
use crate::domain::hosted_sessions::{self, SESSION_SECONDS};
use crate::domain::identity_providers::IdentityProviderRecord;
use crate::domain::{client_documents, federation};
use crate::error::{CognitoError, OAuthError, OAuthErrorCode};
use crate::listen::Peer;
use crate::ops::Service;
use crate::ops::oauth::authorize::{self, Authorization, Granted, Refusal};
use crate::ops::oauth::code;
use oidc::{Failed, Provider, Redeem};

/// The round trip's cookie.
const COOKIE: &str = "cognito-federation";
/// How long a round trip may take.
const ROUND_TRIP_SECONDS: i64 = 300;
/// The longest cookie value sent (browsers keep 4096 bytes a cookie).
const MOST_COOKIE_BYTES: usize = 3800;

/// The key round trips are sealed with: this process's own.
static SEAL: LazyLock<hmac::Key> = LazyLock::new(|| {
    let mut key = [0u8; 32];
    aws_lc_rs::rand::fill(&mut key).expect("the system RNG works");
    hmac::Key::new(hmac::HMAC_SHA256, &key)
});

/// What the browser keeps during the round trip (no `Debug`: it holds the verifier).
#[derive(Serialize, Deserialize)]
struct RoundTrip {
    /// The `state` sent to the provider.
    state: String,
    /// The app's authorize request, as its query string.
    query: String,
    /// The provider's name.
    provider: String,
    /// The nonce sent to the provider.
    nonce: String,
    /// The PKCE verifier, when a challenge was sent.
    verifier: Option<String>,
    /// The `redirect_uri` sent to the provider.
    redirect_uri: String,
    /// When the round trip ends.
    expires: i64,
}

impl RoundTrip {
    /// `payload.tag`, both base64url.
    fn encode(&self) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default());
        let tag = hmac::sign(&SEAL, payload.as_bytes());
        format!("{payload}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// A round trip this process sealed.
    fn decode(text: &str) -> Option<Self> {
        let (payload, tag) = text.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        hmac::verify(&SEAL, payload.as_bytes(), &tag).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }
}

/// A new random value for `state`, the nonce or the PKCE verifier.
fn random() -> String {
    let mut bytes = [0u8; 32];
    aws_lc_rs::rand::fill(&mut bytes).expect("the system RNG works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// This server's `/oauth2/idpresponse`, as the browser reaches it.
fn idp_response_url(addressed: &Addressed, headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}{}/oauth2/idpresponse", addressed.base())
}

/// Sends the browser of a checked authorization to its provider's sign-in.
pub(super) async fn start(
    addressed: &Addressed,
    headers: &HeaderMap,
    query: String,
    authorization: Authorization,
    provider: IdentityProviderRecord,
    now: UnixTime,
    http: &reqwest::Client,
) -> Response {
    let refuse = |description: String| {
        answer::refusal(&authorization.refuse(OAuthError::described(
            OAuthErrorCode::InvalidRequest,
            description,
        )))
    };
    let rp = Provider {
        name: &provider.name,
        details: &provider.details,
        http,
    };
    let endpoints = match rp.endpoints().await {
        Ok(endpoints) => endpoints,
        Err(Failed(description)) => return refuse(description),
    };
    let trip = RoundTrip {
        state: random(),
        query,
        provider: provider.name.clone(),
        nonce: random(),
        verifier: endpoints.pkce.then(random),
        redirect_uri: idp_response_url(addressed, headers),
        expires: now.plus_secs(ROUND_TRIP_SECONDS).secs(),
    };
    let cookie = trip.encode();
    if cookie.len() > MOST_COOKIE_BYTES {
        return refuse(
            "The authorize request is too long for a sign-in through an identity provider."
                .to_owned(),
        );
    }
    let scope = provider
        .details
        .get("authorize_scopes")
        .cloned()
        .unwrap_or_else(|| "openid".to_owned());
    let client_id = provider
        .details
        .get("client_id")
        .cloned()
        .unwrap_or_default();
    let mut pairs = vec![
        ("response_type", "code".to_owned()),
        ("client_id", client_id),
        ("redirect_uri", trip.redirect_uri.clone()),
        ("scope", scope),
        ("state", trip.state.clone()),
        ("nonce", trip.nonce.clone()),
    ];
    // "Amazon Cognito forwards all values of prompt except none to your IdPs", and
    // adds a login_hint "when your authorization request invokes a redirect to OIDC
    // IdPs".
    let asked = Params::parse(trip.query.as_bytes()).unwrap_or_default();
    if let Some(prompt) = asked.get("prompt") {
        let kept: Vec<&str> = prompt
            .split(' ')
            .filter(|w| !w.is_empty() && *w != "none")
            .collect();
        if !kept.is_empty() {
            pairs.push(("prompt", kept.join(" ")));
        }
    }
    if let Some(hint) = asked.get("login_hint") {
        pairs.push(("login_hint", hint.to_owned()));
    }
    if let Some(verifier) = &trip.verifier {
        pairs.push(("code_challenge", code::s256(verifier)));
        pairs.push(("code_challenge_method", "S256".to_owned()));
    }
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let location = answer::with_params(&endpoints.authorization, &pairs, false);
    let set = cookies::set(
        COOKIE,
        &cookie,
        &addressed.cookie_path(),
        Some(ROUND_TRIP_SECONDS),
    );
    answer::redirect(&location, &[set])
}

/// An answer of this browser's round trip, or the page that refuses it.
fn own_trip(
    headers: &HeaderMap,
    params: &Params,
    now: UnixTime,
) -> Result<RoundTrip, Box<Response>> {
    let refused = |description: &str| {
        let error = OAuthError::described(OAuthErrorCode::InvalidRequest, description);
        Box::new(answer::oauth_page(StatusCode::BAD_REQUEST, &error))
    };
    let trip = cookies::get(headers, COOKIE)
        .and_then(RoundTrip::decode)
        .ok_or_else(|| {
            refused("No sign-in through an identity provider was started in this browser.")
        })?;
    let given = params.get("state").unwrap_or_default();
    if aws_lc_rs::constant_time::verify_slices_are_equal(given.as_bytes(), trip.state.as_bytes())
        .is_err()
    {
        return Err(refused(
            "The identity provider's answer is not for this browser's sign-in.",
        ));
    }
    if now.secs() > trip.expires {
        return Err(refused(
            "The sign-in through the identity provider took longer than 5 minutes.",
        ));
    }
    Ok(trip)
}

/// `GET` or `POST /oauth2/idpresponse`: the provider's answer (its query, or a form
/// for providers that post it).
pub(super) async fn idp_response(
    State(service): State<Arc<Service>>,
    params: RawPathParams,
    RawQuery(query): RawQuery,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let addressed = Addressed::of(&params, &headers);
    let source = if body.is_empty() {
        query.unwrap_or_default().into_bytes()
    } else {
        body.to_vec()
    };
    let Ok(answer_params) = Params::parse(&source) else {
        let error = OAuthError::described(OAuthErrorCode::InvalidRequest, "Unreadable answer.");
        return answer::oauth_page(StatusCode::BAD_REQUEST, &error);
    };
    let trip = match own_trip(&headers, &answer_params, service.now()) {
        Ok(trip) => trip,
        Err(page) => return *page,
    };
    let request = match read_query(Some(&trip.query)) {
        Ok(request) => request,
        Err(page) => return *page,
    };
    let caller = caller(peer.map(|Extension(p)| p), &headers);
    let provider_name = trip.provider.clone();
    // The authorize request is checked again: the client or the provider may have
    // changed meanwhile.
    let checked = run(
        service.clone(),
        addressed.clone(),
        caller.clone(),
        move |ctx, pool| {
            let authorization = authorize::check(ctx, pool, &request)?;
            match &authorization.provider {
                Some(provider) if provider.name == provider_name => {
                    let provider = provider.clone();
                    Ok((authorization, provider))
                }
                _ => Err(authorization.refuse(OAuthError::described(
                    OAuthErrorCode::InvalidRequest,
                    "The identity provider is not configured for this client.",
                ))),
            }
        },
    )
    .await;
    let (authorization, provider) = match checked {
        Ok(Some(checked)) => checked,
        Ok(None) => return no_such_pool(),
        Err(refusal) => return answer::refusal(&refusal),
    };
    let refuse = |code: OAuthErrorCode, description: String| {
        answer::refusal(&authorization.refuse(OAuthError::described(code, description)))
    };
    if let Some(error) = answer_params.get("error") {
        // The provider's refusal (the user declined, say) goes on to the app.
        let code = match error {
            "access_denied" => OAuthErrorCode::AccessDenied,
            _ => OAuthErrorCode::InvalidRequest,
        };
        let description = answer_params
            .get("error_description")
            .unwrap_or(error)
            .to_owned();
        return refuse(code, description);
    }
    let Some(code) = answer_params.get("code") else {
        return refuse(
            OAuthErrorCode::InvalidRequest,
            "The identity provider sent no code.".to_owned(),
        );
    };
    let rp = Provider {
        name: &provider.name,
        details: &provider.details,
        http: service.outbound().providers(),
    };
    let vouched = match rp.endpoints().await {
        Ok(endpoints) => {
            let redeem = Redeem {
                redirect_uri: &trip.redirect_uri,
                nonce: &trip.nonce,
                verifier: trip.verifier.as_deref(),
                now: service.now(),
            };
            rp.redeem(&endpoints, code, redeem).await
        }
        Err(failed) => Err(failed),
    };
    let vouched = match vouched {
        Ok(vouched) => vouched,
        Err(Failed(description)) => return refuse(OAuthErrorCode::InvalidRequest, description),
    };
    let signed_in = run(service, addressed.clone(), caller, move |ctx, pool| {
        let client = client_documents::app_client_of(ctx, pool, &authorization.client.id)?
            .ok_or_else(|| CognitoError::internal("the client went away"))
            .map_err(Refusal::from)?;
        let mut user = federation::sign_in(ctx, pool, &client, &provider, vouched)
            .map_err(|e| authorization.refuse(refused_sign_in(&e)))?;
        let session = hosted_sessions::open(ctx, pool, &user)?;
        let granted: Granted = authorize::grant(ctx, pool, &authorization, &mut user, ctx.now)
            .map_err(|e| authorization.refuse(e))?;
        Ok((granted, session))
    })
    .await;
    match signed_in {
        Ok(Some((granted, session))) => {
            let path = addressed.cookie_path();
            let cookies = [
                cookies::set(cookies::SESSION, &session, &path, Some(SESSION_SECONDS)),
                cookies::clear(COOKIE, &path),
            ];
            answer::granted(granted, &cookies).await
        }
        Ok(None) => no_such_pool(),
        Err(refusal) => answer::refusal(&refusal),
    }
}

/// How a refused federated sign-in reaches the app: `invalid_request` with the
/// service's message (`PreSignUp failed with error ...`, `attributes required: [...]`,
/// as AWS redirects them), or `server_error` for a fault of this server.
fn refused_sign_in(error: &CognitoError) -> OAuthError {
    match error.kind {
        crate::error::ErrorKind::InternalErrorException => {
            OAuthError::new(OAuthErrorCode::ServerError)
        }
        _ => OAuthError::described(OAuthErrorCode::InvalidRequest, error.message.clone()),
    }
}
