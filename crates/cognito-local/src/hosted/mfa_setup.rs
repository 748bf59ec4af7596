//! The MFA_SETUP step of the hosted sign-in: a user of a pool that requires MFA, with
//! none set up, adds an authenticator app. The page runs the API's own operations with
//! the challenge's session, as an app would: AssociateSoftwareToken for a secret (shown
//! as a QR code), VerifySoftwareToken with the app's first code, and then the answer to
//! MFA_SETUP, which turns TOTP on and signs in.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use maud::Markup;
use serde_json::json;

use super::api;
use super::pages::{self, Form, Step, TotpSetup};
use crate::domain::Caller;
use crate::domain::state::ChallengeName;
use crate::error::{CognitoError, OpResult};
use crate::ops::{Operation, Service};

/// A new authenticator secret for the user of an MFA_SETUP `session`
/// (AssociateSoftwareToken).
pub(super) async fn associate(
    service: Arc<Service>,
    caller: Caller,
    session: &str,
) -> OpResult<String> {
    let body = json!({ "Session": session });
    let answer = api(
        service,
        caller,
        Operation::AssociateSoftwareToken,
        None,
        body,
    )
    .await?;
    answer["SecretCode"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| CognitoError::internal("AssociateSoftwareToken gave no secret"))
}

/// Checks the app's first `code` (VerifySoftwareToken): the secret is the user's from
/// now on, and MFA_SETUP can be answered.
pub(super) async fn verify(
    service: Arc<Service>,
    caller: Caller,
    session: &str,
    code: &str,
) -> OpResult<()> {
    let body = json!({ "Session": session, "UserCode": code });
    api(service, caller, Operation::VerifySoftwareToken, None, body)
        .await
        .map(drop)
}

/// The set-up page for `secret`, labelled in the app as `issuer:username` (the pool's
/// name as issuer, the key-URI format's recommendation).
pub(super) fn page(
    form: &Form<'_>,
    session: &str,
    username: &str,
    issuer: &str,
    secret: &str,
    error: Option<&str>,
) -> Markup {
    let step = Step {
        challenge: ChallengeName::MfaSetup.as_str(),
        session,
        username,
        // Shown again after a wrong code: the secret is already on the user's screen.
        detail: secret,
    };
    let qr = qr_data_uri(&otpauth_uri(issuer, username, secret));
    let setup = TotpSetup { qr: &qr, secret };
    pages::totp_setup(form, &step, &setup, error)
}

/// The key URI authenticator apps read: `otpauth://totp/ISSUER:USER?secret=...&issuer=...`
/// (spaces as `%20`: the format's readers do not all take `+`).
fn otpauth_uri(issuer: &str, username: &str, secret: &str) -> String {
    let encode = |text: &str| {
        form_urlencoded::byte_serialize(text.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    format!(
        "otpauth://totp/{}?secret={}&issuer={}",
        encode(&format!("{issuer}:{username}")),
        encode(secret),
        encode(issuer)
    )
}

/// `text` as a QR code, an SVG image in a `data:` URI (empty if too long to encode,
/// which a key URI never is).
fn qr_data_uri(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_uri_names_issuer_and_user() {
        let uri = otpauth_uri("My Pool", "jo@example.com", "ABCDEF");
        assert_eq!(
            uri,
            "otpauth://totp/My%20Pool%3Ajo%40example.com?secret=ABCDEF&issuer=My%20Pool"
        );
        let qr = qr_data_uri(&uri);
        let svg = STANDARD
            .decode(qr.strip_prefix("data:image/svg+xml;base64,").unwrap())
            .unwrap();
        assert!(String::from_utf8(svg).unwrap().contains("<svg"));
    }
}
