//! Custom authentication through the `cognito` client, against real triggers on a
//! real cognito-local: the typed custom challenge with its public parameters, several
//! rounds, and the SRP-first variant (`custom_login` with a password), with and without
//! a client secret.

mod common;

use cognito::{Challenge, LoginOutcome};
use common::{PASSWORD, PoolSpec, start};

fn round(outcome: &LoginOutcome) -> String {
    let pending = outcome.challenge().expect("a custom challenge");
    match pending.challenge() {
        Challenge::Custom { parameters } => parameters["round"].clone(),
        other => panic!("expected a custom challenge, got {other:?}"),
    }
}

#[tokio::test]
async fn custom_challenges_round_after_round() {
    for secret in [false, true] {
        let local = start(PoolSpec {
            custom_auth: true,
            secret,
            ..PoolSpec::default()
        })
        .await;
        local.user("ada", &[]).await;
        let cognito = local.cognito();

        let first = cognito.custom_login("ada", None).await.unwrap();
        assert_eq!(round(&first), "0");
        let pending = first.challenge().unwrap().clone();
        let second = cognito.answer_custom(pending, "a guess").await.unwrap();
        assert_eq!(round(&second), "1", "a wrong answer asks again");
        let pending = second.challenge().unwrap().clone();
        let tokens = cognito
            .answer_custom(pending, "code-1")
            .await
            .unwrap()
            .into_tokens()
            .unwrap();
        let user = cognito.get_user(&tokens).await.unwrap();
        assert_eq!(user.username, "ada", "secret: {secret}");
    }
}

#[tokio::test]
async fn a_password_first_then_a_custom_challenge() {
    let local = start(PoolSpec {
        custom_auth: true,
        secret: true,
        ..PoolSpec::default()
    })
    .await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    // The client proves the password with SRP (SRP_A, PASSWORD_VERIFIER) by itself;
    // what is left is the custom challenge.
    let outcome = cognito.custom_login("ada", Some(PASSWORD)).await.unwrap();
    assert_eq!(round(&outcome), "2");
    let pending = outcome.challenge().unwrap().clone();
    cognito
        .answer_custom(pending, "code-2")
        .await
        .unwrap()
        .into_tokens()
        .unwrap();

    // A wrong password ends it before any custom challenge.
    let refused = cognito.custom_login("ada", Some("Wrong-Horse-1!")).await;
    assert!(refused.is_err(), "{refused:?}");
}
