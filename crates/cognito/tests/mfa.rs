//! MFA: TOTP set up and answered (from a serialised challenge, as another process
//! would), SMS codes, choosing a factor, and set-up during login.

mod common;

use aws_sdk_cognitoidentityprovider::types::UserPoolMfaType;
use cognito::{Challenge, Error, LoginOutcome, MfaPreference, MfaType, PendingChallenge};
use common::{PASSWORD, PoolSpec, start, totp};

fn pending(outcome: LoginOutcome) -> PendingChallenge {
    match outcome {
        LoginOutcome::Challenge(pending) => pending,
        LoginOutcome::Tokens(_) => panic!("expected a challenge"),
    }
}

#[tokio::test]
async fn totp_set_up_then_answered_from_a_serialised_challenge() {
    let local = start(PoolSpec {
        mfa: Some(UserPoolMfaType::Optional),
        ..Default::default()
    })
    .await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();

    let secret = cognito.associate_software_token(&tokens).await.unwrap();
    let err = cognito
        .verify_software_token(&tokens, "000000", Some("phone"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::EnableSoftwareTokenMfa(_) | Error::CodeMismatch(_)
        ),
        "{err}"
    );
    cognito
        .verify_software_token(&tokens, &totp(&secret, 0), Some("phone"))
        .await
        .unwrap();
    cognito
        .set_mfa_preference(
            &tokens,
            MfaPreference {
                software_token: true,
                preferred: Some(MfaType::SoftwareToken),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let user = cognito.get_user(&tokens).await.unwrap();
    assert_eq!(user.preferred_mfa.as_deref(), Some("SOFTWARE_TOKEN_MFA"));

    // A web app: the login's challenge goes out as JSON in one request...
    let challenge = pending(cognito.login("ada", PASSWORD).await.unwrap());
    assert_eq!(challenge.challenge(), Challenge::SoftwareTokenMfa);
    let saved = serde_json::to_string(&challenge).unwrap();

    // ...and is answered in another, by another client of the same app.
    let other = local.cognito();
    let restored: PendingChallenge = serde_json::from_str(&saved).unwrap();
    let err = other
        .answer_mfa(restored.clone(), "000000")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CodeMismatch(_)), "{err}");
    let restored = pending(other.login("ada", PASSWORD).await.unwrap());
    let restored: PendingChallenge =
        serde_json::from_str(&serde_json::to_string(&restored).unwrap()).unwrap();
    // The code of the step before was used already: use the next step's.
    let tokens = other
        .answer_mfa(restored, &totp(&secret, 1))
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert_eq!(tokens.username(), "ada");
}

#[tokio::test]
async fn sms_codes_and_choosing_a_factor() {
    let local = start(PoolSpec {
        mfa: Some(UserPoolMfaType::Optional),
        ..Default::default()
    })
    .await;
    local
        .user(
            "sam",
            &[
                ("phone_number", "+15555550123"),
                ("phone_number_verified", "true"),
            ],
        )
        .await;
    let cognito = local.cognito();
    // No factor on yet: tokens straight away.
    let tokens = cognito
        .admin_login("sam", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let secret = cognito.associate_software_token(&tokens).await.unwrap();
    cognito
        .verify_software_token(&tokens, &totp(&secret, 0), None)
        .await
        .unwrap();

    // Both factors on, none preferred: Cognito asks which.
    let both = MfaPreference {
        sms: true,
        software_token: true,
        preferred: None,
    };
    cognito.admin_set_mfa_preference("sam", both).await.unwrap();
    let challenge = pending(cognito.login("sam", PASSWORD).await.unwrap());
    let Challenge::SelectMfaType { options } = challenge.challenge() else {
        panic!("{:?}", challenge.challenge());
    };
    assert!(options.contains(&MfaType::Sms) && options.contains(&MfaType::SoftwareToken));
    let challenge = pending(
        cognito
            .select_mfa_type(challenge, MfaType::Sms)
            .await
            .unwrap(),
    );
    assert!(matches!(challenge.challenge(), Challenge::SmsMfa { .. }));
    let code = local.last_code("sam").await;
    cognito
        .answer_mfa(challenge, &code)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();

    // SMS preferred: the code comes without asking.
    let sms = MfaPreference {
        preferred: Some(MfaType::Sms),
        ..both
    };
    cognito.admin_set_mfa_preference("sam", sms).await.unwrap();
    let challenge = pending(cognito.admin_login("sam", PASSWORD).await.unwrap());
    let Challenge::SmsMfa { destination } = challenge.challenge() else {
        panic!("{:?}", challenge.challenge());
    };
    assert_eq!(destination.as_deref(), Some("+*******0123"));
    let err = cognito
        .answer_mfa(challenge.clone(), "000000")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CodeMismatch(_)), "{err}");
    let challenge = pending(cognito.admin_login("sam", PASSWORD).await.unwrap());
    let code = local.last_code("sam").await;
    let tokens = cognito
        .answer_mfa(challenge, &code)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let user = cognito.get_user(&tokens).await.unwrap();
    assert_eq!(user.preferred_mfa.as_deref(), Some("SMS_MFA"));
}

#[tokio::test]
async fn required_mfa_is_set_up_during_login() {
    let local = start(PoolSpec {
        mfa: Some(UserPoolMfaType::On),
        ..Default::default()
    })
    .await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();

    let mut challenge = pending(cognito.login("ada", PASSWORD).await.unwrap());
    let Challenge::MfaSetup { options } = challenge.challenge() else {
        panic!("{:?}", challenge.challenge());
    };
    assert!(options.contains(&MfaType::SoftwareToken));
    let secret = cognito.begin_mfa_setup(&mut challenge).await.unwrap();
    let uri = cognito::totp_uri(&secret, "ada", "Test");
    assert!(uri.starts_with("otpauth://totp/Test:ada?secret="));
    let tokens = cognito
        .finish_mfa_setup(challenge, &totp(&secret, 0), Some("phone"))
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert_eq!(tokens.username(), "ada");

    // From now on, the login asks for the code.
    let challenge = pending(cognito.login("ada", PASSWORD).await.unwrap());
    assert_eq!(challenge.challenge(), Challenge::SoftwareTokenMfa);
    cognito
        .answer_mfa(challenge, &totp(&secret, 1))
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
}
