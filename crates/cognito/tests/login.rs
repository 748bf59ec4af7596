//! Logins against a real cognito-local: SRP, password, admin, custom; client secrets,
//! aliases, new-password challenges, and every failure as its typed error.

mod common;

use cognito::{Attributes, Challenge, Cognito, Error, LoginOutcome, NewUser};
use common::{PASSWORD, PoolSpec, start};

#[tokio::test]
async fn srp_password_and_admin_logins_give_verified_tokens() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();

    for outcome in [
        cognito.login("ada", PASSWORD).await.unwrap(),
        cognito.login_with_password("ada", PASSWORD).await.unwrap(),
        cognito.admin_login("ada", PASSWORD).await.unwrap(),
    ] {
        let tokens = outcome.into_tokens().unwrap();
        assert_eq!(tokens.username(), "ada");
        assert!(tokens.refresh_token().is_some());
        let claims = tokens.claims().expect("verified at login");
        assert_eq!(claims.id.aud, local.client_id);
        assert_eq!(claims.access.client_id, local.client_id);
        assert_eq!(claims.id.email.as_deref(), Some("ada@example.com"));
        assert_eq!(claims.id.iss, format!("{}/{}", local.url, local.pool_id));
        assert!(tokens.expires_at() > std::time::SystemTime::now());
        assert!(!format!("{tokens:?}").contains(tokens.access_token()));
    }
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_are_typed_errors() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();

    let err = cognito.login("ada", "wrong-Password-1").await.unwrap_err();
    assert!(
        matches!(&err, Error::NotAuthorized(m) if m == "Incorrect username or password."),
        "{err}"
    );
    let err = cognito
        .login_with_password("ada", "wrong-Password-1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err}");
    // The client does not prevent user-existence errors (the API's default, LEGACY).
    let err = cognito.login("nobody", PASSWORD).await.unwrap_err();
    assert!(matches!(err, Error::UserNotFound(_)), "{err}");
    assert_eq!(err.code(), Some("UserNotFoundException"));

    let err = Cognito::builder()
        .pool_id("us-east-1")
        .client_id("x")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPoolId(_)));
    let err = Cognito::builder().client_id("x").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
}

#[tokio::test]
async fn client_secret_and_email_alias_logins() {
    let local = start(PoolSpec {
        secret: true,
        email_alias: true,
        ..Default::default()
    })
    .await;
    assert!(local.client_secret.is_some());
    local.user("grace", &[]).await;
    let cognito = local.cognito();

    // SRP with the alias: SECRET_HASH over the alias first, then over USER_ID_FOR_SRP.
    let mut tokens = cognito
        .login("grace@example.com", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert_eq!(tokens.username(), "grace");
    // Renewal hashes the pool's user name, not the alias.
    cognito.renew(&mut tokens).await.unwrap();
    let tokens = cognito
        .login_with_password("grace@example.com", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    cognito.revoke(&tokens).await.unwrap();

    // Without the secret, the same client is refused.
    let no_secret = Cognito::builder()
        .pool_id(&local.pool_id)
        .client_id(&local.client_id)
        .endpoint_url(&local.url)
        .build()
        .unwrap();
    let err = no_secret.login("grace", PASSWORD).await.unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err}");
}

#[tokio::test]
async fn unconfirmed_and_disabled_users() {
    let local = start(PoolSpec::default()).await;
    let cognito = local.cognito();
    let signed_up = cognito
        .register(
            "lin",
            PASSWORD,
            Attributes::new().set("email", "lin@example.com"),
        )
        .await
        .unwrap();
    assert!(!signed_up.confirmed);
    let err = cognito.login("lin", PASSWORD).await.unwrap_err();
    assert!(matches!(err, Error::UserNotConfirmed(_)), "{err}");

    cognito.admin_confirm_sign_up("lin").await.unwrap();
    cognito.admin_disable_user("lin").await.unwrap();
    let err = cognito.login("lin", PASSWORD).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotAuthorized(m) if m == "User is disabled."),
        "{err}"
    );
    cognito.admin_enable_user("lin").await.unwrap();
    cognito
        .login("lin", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
}

#[tokio::test]
async fn new_password_required_with_required_attributes() {
    let local = start(PoolSpec::default()).await;
    let cognito = local.cognito();
    let user = cognito
        .admin_create_user(
            "max",
            NewUser {
                attributes: Attributes::new().set("email", "max@example.com"),
                temporary_password: Some("Temp-Password-1!".into()),
                suppress_message: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(user.status.as_deref(), Some("FORCE_CHANGE_PASSWORD"));

    let pending = match cognito.login("max", "Temp-Password-1!").await.unwrap() {
        LoginOutcome::Challenge(pending) => pending,
        LoginOutcome::Tokens(_) => panic!("a new password is required"),
    };
    let Challenge::NewPasswordRequired {
        user_attributes, ..
    } = pending.challenge()
    else {
        panic!("{:?}", pending.challenge());
    };
    assert_eq!(
        user_attributes.get("email").map(String::as_str),
        Some("max@example.com")
    );

    // Answering with the wrong kind of answer is refused before anything is sent.
    let err = cognito
        .answer_mfa(pending.clone(), "123456")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WrongChallenge { .. }), "{err}");
    // A password the policy refuses is the service's error.
    let err = cognito
        .answer_new_password(pending.clone(), "short", Attributes::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPassword(_)), "{err}");

    // The session is single-use on failure too, so log in again.
    let pending = cognito
        .login("max", "Temp-Password-1!")
        .await
        .unwrap()
        .challenge()
        .cloned()
        .unwrap();
    let tokens = cognito
        .answer_new_password(
            pending,
            "Brand-New-Pass-1!",
            Attributes::new().set("name", "Max"),
        )
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert_eq!(tokens.claims().unwrap().id.username, "max");
    let user = cognito.get_user(&tokens).await.unwrap();
    assert_eq!(user.attribute("name"), Some("Max"));
    cognito
        .login("max", "Brand-New-Pass-1!")
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
}

#[tokio::test]
async fn custom_auth_without_triggers_is_the_services_error() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    for password in [None, Some(PASSWORD)] {
        let err = cognito.custom_login("ada", password).await.unwrap_err();
        assert!(err.code().is_some(), "a service error: {err}");
        assert!(!matches!(err, Error::Transport(_)));
    }
}

#[tokio::test]
async fn a_lost_endpoint_is_a_transport_error() {
    let local = start(PoolSpec::default()).await;
    let url = local.url.clone();
    let builder = local.builder();
    local.server.shutdown().await;
    let cognito = builder.endpoint_url(url).build().unwrap();
    let err = cognito.login("ada", PASSWORD).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
}
