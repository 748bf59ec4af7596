//! The login pages' HTML: server-rendered, no JavaScript, one form a page, every input
//! labelled. maud escapes every value put in, so no user input reaches the page raw.

use maud::{DOCTYPE, Markup, html};

/// What every form of the sign-in carries: where it posts and its CSRF token.
pub struct Form<'a> {
    /// The URL the form posts to (the login endpoint, with the authorize parameters).
    pub action: &'a str,
    /// The `_csrf` value, the same as the `XSRF-TOKEN` cookie's.
    pub csrf: &'a str,
}

/// A page around `body`.
fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (STYLE) }
            }
            body {
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0}\
main{max-width:24rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.5rem;\
box-shadow:0 1px 4px #0002}h1{font-size:1.4rem;margin-top:0}label{display:block;\
margin:.8rem 0 .2rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;\
font-size:1rem}button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;\
background:#1f5fbf;color:#fff;border:0;border-radius:.3rem}.error{color:#a40000;\
background:#fde8e8;padding:.5rem;border-radius:.3rem}.note{color:#333}nav{margin-top:1rem}\
nav a{display:block;margin:.3rem 0}";

/// A form's message, if any: an error (role alert) or a note.
fn message(error: Option<&str>, note: Option<&str>) -> Markup {
    html! {
        @if let Some(error) = error { p.error role="alert" { (error) } }
        @if let Some(note) = note { p.note { (note) } }
    }
}

/// A challenge being answered, as its form posts it back: the challenge, its session,
/// the user, and what the page showed (a destination, attribute names), to show again
/// after a wrong answer. Only the session is trusted, by the server's own checks.
pub struct Step<'a> {
    /// The challenge's name.
    pub challenge: &'a str,
    /// Its session.
    pub session: &'a str,
    /// The user signing in.
    pub username: &'a str,
    /// What the page showed.
    pub detail: &'a str,
}

/// The hidden fields every step posts back: its CSRF token and, after the first step,
/// the challenge being answered.
fn hidden(form: &Form<'_>, step: Option<&Step<'_>>) -> Markup {
    html! {
        input type="hidden" name="_csrf" value=(form.csrf);
        @if let Some(step) = step {
            input type="hidden" name="challenge" value=(step.challenge);
            input type="hidden" name="session" value=(step.session);
            input type="hidden" name="username" value=(step.username);
            input type="hidden" name="detail" value=(step.detail);
        }
    }
}

/// Links shown under the sign-in form.
pub struct Links<'a> {
    /// The sign-up page, where the pool lets users sign up.
    pub sign_up: Option<&'a str>,
    /// The forgot-password page.
    pub forgot_password: &'a str,
    /// The client's identity providers, each with the URL that signs in through it.
    pub providers: &'a [(&'a str, String)],
}

/// The sign-in page.
pub fn sign_in(
    form: &Form<'_>,
    links: &Links<'_>,
    username: Option<&str>,
    error: Option<&str>,
    note: Option<&str>,
) -> Markup {
    page(
        "Sign in",
        html! {
            (message(error, note))
            form method="post" action=(form.action) {
                (hidden(form, None))
                label for="username" { "Username" }
                input id="username" name="username" type="text" autocomplete="username"
                    required value=(username.unwrap_or_default());
                label for="password" { "Password" }
                input id="password" name="password" type="password"
                    autocomplete="current-password" required;
                button type="submit" name="signInSubmitButton" value="Sign in" { "Sign in" }
            }
            @if !links.providers.is_empty() {
                p.note { "Or sign in with your corporate or social account:" }
                @for (name, url) in links.providers {
                    a.provider href=(url) { "Sign in with " (name) }
                }
            }
            nav {
                a href=(links.forgot_password) { "Forgot your password?" }
                @if let Some(sign_up) = links.sign_up {
                    a href=(sign_up) { "Need an account? Sign up" }
                }
            }
        },
    )
}

/// Which code an MFA step asks for.
pub enum CodeKind<'a> {
    /// From the authenticator app.
    Totp,
    /// Sent by SMS to a masked number.
    Sms(&'a str),
}

/// The page asking for an MFA code.
pub fn mfa_code(
    form: &Form<'_>,
    step: &Step<'_>,
    kind: &CodeKind<'_>,
    error: Option<&str>,
) -> Markup {
    let hint = match kind {
        CodeKind::Totp => "Enter the code from your authenticator app.".to_owned(),
        CodeKind::Sms(to) => format!("We sent a code by SMS to {to}."),
    };
    page(
        "Verify your identity",
        html! {
            (message(error, Some(&hint)))
            form method="post" action=(form.action) {
                (hidden(form, Some(step)))
                label for="code" { "Code" }
                input id="code" name="code" type="text" inputmode="numeric"
                    autocomplete="one-time-code" required;
                button type="submit" { "Sign in" }
            }
        },
    )
}

/// What the TOTP set-up page shows: the secret as a QR code (an `otpauth://` URI, as a
/// `data:` image) and as text, for typing into an authenticator app.
pub struct TotpSetup<'a> {
    /// The QR code image's `data:` URI.
    pub qr: &'a str,
    /// The secret, base32.
    pub secret: &'a str,
}

/// The page setting up an authenticator app (MFA_SETUP): scan, then enter a code.
pub fn totp_setup(
    form: &Form<'_>,
    step: &Step<'_>,
    setup: &TotpSetup<'_>,
    error: Option<&str>,
) -> Markup {
    page(
        "Set up an authenticator app",
        html! {
            (message(error, Some("Scan the QR code with your authenticator app, or enter the key by hand, then enter the code it shows.")))
            img id="totp-qr" src=(setup.qr) width="200" height="200"
                alt="QR code of the key for your authenticator app";
            p { "Key: " code id="totp-secret" { (setup.secret) } }
            form method="post" action=(form.action) {
                (hidden(form, Some(step)))
                label for="code" { "Code" }
                input id="code" name="code" type="text" inputmode="numeric"
                    autocomplete="one-time-code" required;
                button type="submit" { "Verify and sign in" }
            }
        },
    )
}

/// The page choosing an MFA method.
pub fn select_mfa(
    form: &Form<'_>,
    step: &Step<'_>,
    choices: &[(&str, &str)],
    error: Option<&str>,
) -> Markup {
    page(
        "Choose how to verify",
        html! {
            (message(error, None))
            form method="post" action=(form.action) {
                (hidden(form, Some(step)))
                fieldset {
                    legend { "Verification method" }
                    @for (i, (value, label)) in choices.iter().enumerate() {
                        div {
                            input id=(format!("mfa{i}")) type="radio" name="answer"
                                value=(value) required checked[i == 0];
                            label for=(format!("mfa{i}")) style="display:inline" { (label) }
                        }
                    }
                }
                button type="submit" { "Continue" }
            }
        },
    )
}

/// The page setting a new password (NEW_PASSWORD_REQUIRED), with the attributes the
/// pool requires that the user lacks.
pub fn new_password(
    form: &Form<'_>,
    step: &Step<'_>,
    attributes: &[&str],
    error: Option<&str>,
) -> Markup {
    page(
        "Change your password",
        html! {
            (message(error, Some("Please enter a new password.")))
            form method="post" action=(form.action) {
                (hidden(form, Some(step)))
                label for="new_password" { "New password" }
                input id="new_password" name="new_password" type="password"
                    autocomplete="new-password" required;
                @for name in attributes {
                    label for=(format!("attr-{name}")) { (name) }
                    input id=(format!("attr-{name}")) name=(format!("attribute:{name}"))
                        type="text" required;
                }
                button type="submit" { "Send" }
            }
        },
    )
}

/// A field of the sign-up form: an attribute the pool requires.
pub struct Field<'a> {
    /// The attribute's name (`email`, `given_name`...).
    pub name: &'a str,
    /// The value the user typed, shown again after a refusal.
    pub value: &'a str,
}

fn input_type(name: &str) -> (&'static str, &'static str) {
    match name {
        "email" => ("email", "email"),
        "phone_number" => ("tel", "tel"),
        "given_name" => ("text", "given-name"),
        "family_name" => ("text", "family-name"),
        "name" => ("text", "name"),
        "birthdate" => ("date", "bday"),
        _ => ("text", "off"),
    }
}

/// The sign-up page: the user name (or the attribute that is the user name), the
/// password, every attribute the pool requires, and the client's terms documents.
pub fn sign_up(
    form: &Form<'_>,
    username_label: &str,
    username: &str,
    fields: &[Field<'_>],
    sign_in: &str,
    terms: Option<&(String, String)>,
    error: Option<&str>,
) -> Markup {
    page(
        "Sign up",
        html! {
            (message(error, None))
            form method="post" action=(form.action) {
                (hidden(form, None))
                label for="username" { (username_label) }
                input id="username" name="username" type="text" autocomplete="username"
                    required value=(username);
                label for="password" { "Password" }
                input id="password" name="password" type="password"
                    autocomplete="new-password" required;
                @for field in fields {
                    @let (kind, complete) = input_type(field.name);
                    label for=(format!("attr-{}", field.name)) { (field.name) }
                    input id=(format!("attr-{}", field.name))
                        name=(format!("attribute:{}", field.name)) type=(kind)
                        autocomplete=(complete) required value=(field.value);
                }
                @if let Some((terms_of_use, privacy_policy)) = terms {
                    p.note {
                        "By signing up, you agree to the "
                        a id="terms-of-use" href=(terms_of_use) { "Terms of use" }
                        " and the "
                        a id="privacy-policy" href=(privacy_policy) { "Privacy policy" }
                        "."
                    }
                }
                button type="submit" { "Sign up" }
            }
            nav { a href=(sign_in) { "Already have an account? Sign in" } }
        },
    )
}

/// The page asking for a code the user was sent (sign-up confirmation, password reset),
/// with a new password when it resets one.
pub fn code_sent(
    form: &Form<'_>,
    title: &str,
    username: &str,
    destination: &str,
    new_password: bool,
    error: Option<&str>,
) -> Markup {
    let hint = format!("We sent a code to {destination}.");
    page(
        title,
        html! {
            (message(error, Some(&hint)))
            form method="post" action=(form.action) {
                (hidden(form, None))
                input type="hidden" name="username" value=(username);
                input type="hidden" name="destination" value=(destination);
                label for="code" { "Code" }
                input id="code" name="code" type="text" inputmode="numeric"
                    autocomplete="one-time-code" required;
                @if new_password {
                    label for="new_password" { "New password" }
                    input id="new_password" name="new_password" type="password"
                        autocomplete="new-password" required;
                }
                button type="submit" { "Confirm" }
            }
        },
    )
}

/// The page asking whose password to reset.
pub fn forgot_password(form: &Form<'_>, sign_in: &str, error: Option<&str>) -> Markup {
    page(
        "Forgot your password?",
        html! {
            (message(error, Some("Enter your user name and we will send you a code to reset your password.")))
            form method="post" action=(form.action) {
                (hidden(form, None))
                label for="username" { "Username" }
                input id="username" name="username" type="text" autocomplete="username" required;
                button type="submit" { "Reset my password" }
            }
            nav { a href=(sign_in) { "Back to sign in" } }
        },
    )
}

/// The error page: what went wrong, shown on the server's own page (never sent to an
/// unverified redirect URI).
pub fn error(title: &str, detail: &str) -> Markup {
    page(
        "An error was encountered with the requested page",
        html! {
            p.error role="alert" { (title) }
            p { (detail) }
        },
    )
}
