//! CUSTOM_AUTH through the AWS SDK for Rust, run by three in-process triggers that
//! make a one-time-code challenge: several rounds, wrong answers (counted toward
//! lockout), failAuthentication, tokens, and the SRP-first variant with cognito-srp's
//! client role.

mod common;

use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType as Flow, LambdaConfigType,
};
use cognito_local::{RunningServer, Server, TriggerError};
use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
use serde_json::{Value, json};

use common::{confirmed_user, error_of, params, sdk};

const DEFINE: &str = "arn:aws:lambda:us-east-1:123456789012:function:define";
const CREATE: &str = "arn:aws:lambda:us-east-1:123456789012:function:create";
const VERIFY: &str = "arn:aws:lambda:us-east-1:123456789012:function:verify";
const PASSWORD: &str = "Passw0rd-Custom1";

/// Define: SRP_A first asks for PASSWORD_VERIFIER; a passed custom challenge signs in;
/// three wrong answers fail; otherwise another custom challenge. Create: the code of
/// round N is `code-N`. Verify: the answer must equal the private code.
async fn server(events: Arc<Mutex<Vec<Value>>>) -> RunningServer {
    let keep = move |events: Arc<Mutex<Vec<Value>>>| {
        move |event: &Value| events.lock().unwrap().push(event.clone())
    };
    let (on_define, on_create, on_verify) =
        (keep(events.clone()), keep(events.clone()), keep(events));
    Server::builder()
        .trigger(DEFINE, move |mut event| {
            on_define(&event);
            let rounds = event["request"]["session"].as_array().cloned().unwrap_or_default();
            let last = rounds.last().cloned().unwrap_or(Value::Null);
            let wrong = rounds.iter().filter(|r| r["challengeResult"] == false).count();
            let response = &mut event["response"];
            match (last["challengeName"].as_str(), last["challengeResult"].as_bool()) {
                (Some("SRP_A"), _) => response["challengeName"] = json!("PASSWORD_VERIFIER"),
                (Some("CUSTOM_CHALLENGE"), Some(true)) => response["issueTokens"] = json!(true),
                _ if wrong >= 3 => response["failAuthentication"] = json!(true),
                _ => response["challengeName"] = json!("CUSTOM_CHALLENGE"),
            }
            async move { Ok(event) }
        })
        .trigger(CREATE, move |mut event| {
            on_create(&event);
            let round = event["request"]["session"].as_array().map_or(0, Vec::len);
            event["response"] = json!({
                "publicChallengeParameters": {"hint": "the code we sent", "round": round.to_string()},
                "privateChallengeParameters": {"code": format!("code-{round}")},
                "challengeMetadata": format!("CODE-{round}"),
            });
            async move { Ok(event) }
        })
        .trigger(VERIFY, move |mut event| {
            on_verify(&event);
            if event["request"]["challengeAnswer"] == "explode" {
                return std::future::ready(Err(TriggerError::function("verifier is down")));
            }
            let right = event["request"]["challengeAnswer"]
                == event["request"]["privateChallengeParameters"]["code"];
            event["response"]["answerCorrect"] = json!(right);
            std::future::ready(Ok(event))
        })
        .start()
        .await
        .unwrap()
}

/// A pool with the three triggers and a client allowing CUSTOM_AUTH; `(pool, client)`.
async fn pool(sdk: &cip::Client) -> (String, String) {
    let pool_id = common::pool_with(sdk, |b| {
        b.lambda_config(
            LambdaConfigType::builder()
                .define_auth_challenge(DEFINE)
                .create_auth_challenge(CREATE)
                .verify_auth_challenge_response(VERIFY)
                .build(),
        )
    })
    .await;
    let client_id = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("custom")
        .explicit_auth_flows(Flow::AllowCustomAuth)
        .explicit_auth_flows(Flow::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    confirmed_user(sdk, &pool_id, "ann", PASSWORD).await;
    (pool_id, client_id)
}

fn answer(
    sdk: &cip::Client,
    client_id: &str,
    session: &str,
    code: &str,
) -> cip::operation::respond_to_auth_challenge::builders::RespondToAuthChallengeFluentBuilder {
    sdk.respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::CustomChallenge)
        .session(session)
        .set_challenge_responses(Some(params(&[("USERNAME", "ann"), ("ANSWER", code)])))
}

#[tokio::test]
async fn custom_challenges_run_round_after_round_until_tokens_or_failure() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let server = server(events.clone()).await;
    let sdk = sdk(&server.url(), "us-east-1");
    let (_, client_id) = pool(&sdk).await;
    let start = || {
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::CustomAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "ann")])))
            .client_metadata("channel", "email")
    };

    let started = start().send().await.unwrap();
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::CustomChallenge)
    );
    let parameters = started.challenge_parameters().unwrap();
    assert_eq!(parameters["USERNAME"], "ann");
    assert_eq!(parameters["hint"], "the code we sent");
    assert_eq!(parameters["round"], "0");
    assert!(
        !parameters.contains_key("code"),
        "private parameters stay private"
    );
    {
        let seen = events.lock().unwrap();
        let sources: Vec<&str> = seen
            .iter()
            .map(|e| e["triggerSource"].as_str().unwrap())
            .collect();
        assert_eq!(
            sources,
            [
                "DefineAuthChallenge_Authentication",
                "CreateAuthChallenge_Authentication"
            ]
        );
        assert_eq!(seen[0]["request"]["session"], json!([]));
        assert_eq!(seen[0]["request"]["userNotFound"], false);
        assert_eq!(seen[0]["request"]["clientMetadata"]["channel"], "email");
        assert_eq!(seen[1]["request"]["challengeName"], "CUSTOM_CHALLENGE");
        assert_eq!(
            seen[1]["request"]["userAttributes"]["email"],
            "ann@example.com"
        );
    }
    events.lock().unwrap().clear();

    // A wrong answer: another round, with the first one in the session as failed.
    let second = answer(&sdk, &client_id, started.session().unwrap(), "guess")
        .send()
        .await
        .unwrap();
    assert_eq!(second.challenge_parameters().unwrap()["round"], "1");
    {
        let seen = events.lock().unwrap();
        assert_eq!(
            seen[0]["triggerSource"],
            "VerifyAuthChallengeResponse_Authentication"
        );
        assert_eq!(
            seen[0]["request"]["privateChallengeParameters"]["code"],
            "code-0"
        );
        assert_eq!(seen[0]["request"]["challengeAnswer"], "guess");
        assert_eq!(
            seen[1]["request"]["session"],
            json!([{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false, "challengeMetadata": "CODE-0"}])
        );
    }
    // The session was used up by its answer.
    let (code, _) = error_of(
        answer(&sdk, &client_id, started.session().unwrap(), "code-0")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "NotAuthorizedException");

    // The right answer: tokens for ann.
    let done = answer(&sdk, &client_id, second.session().unwrap(), "code-1")
        .send()
        .await
        .unwrap();
    let tokens = done.authentication_result().unwrap();
    let user = sdk
        .get_user()
        .access_token(tokens.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), "ann");

    // Three wrong answers: failAuthentication, NotAuthorizedException.
    let mut session = start().send().await.unwrap().session().unwrap().to_owned();
    for round in 0..2 {
        let next = answer(&sdk, &client_id, &session, "wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(
            next.challenge_parameters().unwrap()["round"],
            (round + 1).to_string()
        );
        session = next.session().unwrap().to_owned();
    }
    let (code, message) = error_of(
        answer(&sdk, &client_id, &session, "wrong")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    // A verifier that throws: AWS's message.
    let session = start().send().await.unwrap().session().unwrap().to_owned();
    let (code, message) = error_of(
        answer(&sdk, &client_id, &session, "explode")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "VerifyAuthChallengeResponse failed with error verifier is down."
    );
}

#[tokio::test]
async fn wrong_answers_count_toward_lockout() {
    let server = server(Arc::default()).await;
    let sdk = sdk(&server.url(), "us-east-1");
    let (_, client_id) = pool(&sdk).await;
    let mut refused = None;
    // Sign-ins of one wrong answer each (the third round would fail anyway): after the
    // pool's five failures the user is locked out.
    for _ in 0..6 {
        let started = sdk
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::CustomAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "ann")])))
            .send()
            .await;
        let Ok(started) = started else {
            refused = Some(error_of(started.unwrap_err()));
            break;
        };
        if let Err(e) = answer(&sdk, &client_id, started.session().unwrap(), "wrong")
            .send()
            .await
        {
            refused = Some(error_of(e));
            break;
        }
    }
    let (code, message) = refused.expect("the user is locked out");
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(message, "Password attempts exceeded");
}

/// Starts an SRP-first custom sign-in of ann and answers PASSWORD_VERIFIER with
/// `password`.
async fn srp_first(
    sdk: &cip::Client,
    pool_id: &str,
    client_id: &str,
    password: &str,
) -> Result<cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput, (String, String)>
{
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let started = sdk
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "ann"),
            ("CHALLENGE_NAME", "SRP_A"),
            ("SRP_A", &ephemeral.srp_a()),
        ])))
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let challenge =
        VerifierChallenge::from_parameters(started.challenge_parameters().unwrap()).unwrap();
    let pool = PoolId::parse(pool_id).unwrap();
    let claim = ephemeral
        .password_claim(&pool, password, &challenge, Timestamp::now())
        .unwrap();
    sdk.respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(started.session().unwrap())
        .set_challenge_responses(Some(claim.into_map()))
        .send()
        .await
        .map_err(error_of)
}

#[tokio::test]
async fn srp_first_then_a_custom_challenge() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let server = server(events.clone()).await;
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, client_id) = pool(&sdk).await;
    let custom = srp_first(&sdk, &pool_id, &client_id, PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        custom.challenge_name(),
        Some(&ChallengeNameType::CustomChallenge)
    );
    let rounds = events.lock().unwrap().last().unwrap()["request"]["session"].clone();
    assert_eq!(
        rounds,
        json!([
            {"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null},
            {"challengeName": "PASSWORD_VERIFIER", "challengeResult": true, "challengeMetadata": null},
        ])
    );
    let done = answer(&sdk, &client_id, custom.session().unwrap(), "code-2")
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());

    // A wrong password ends the SRP-first sign-in at PASSWORD_VERIFIER.
    let (code, message) = srp_first(&sdk, &pool_id, &client_id, "not-the-password")
        .await
        .unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
}

/// A client of the pool allowing CUSTOM_AUTH that prevents user existence errors.
async fn hiding_client(sdk: &cip::Client, pool_id: &str) -> String {
    sdk.create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("hiding")
        .explicit_auth_flows(Flow::AllowCustomAuth)
        .prevent_user_existence_errors(cip::types::PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_unknown_user_gets_a_challenge_no_answer_passes_where_users_are_hidden() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let server = server(events.clone()).await;
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, _) = pool(&sdk).await;
    let client_id = hiding_client(&sdk, &pool_id).await;
    let started = sdk
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", "ghost")])))
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::CustomChallenge)
    );
    assert_eq!(started.challenge_parameters().unwrap()["USERNAME"], "ghost");
    {
        let seen = events.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|e| e["request"]["userNotFound"] == true));
        assert_eq!(seen[0]["userName"], "ghost");
    }
    let session = started.session().unwrap().to_owned();
    // A user of that name created since cannot answer it either.
    common::confirmed_user(&sdk, &pool_id, "ghost", PASSWORD).await;
    let mut answer = sdk
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::CustomChallenge)
        .session(session)
        .set_challenge_responses(Some(params(&[("USERNAME", "ghost"), ("ANSWER", "code-0")])));
    answer = answer.client_metadata("try", "1");
    let (code, message) = error_of(answer.send().await.unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );
}

#[tokio::test]
async fn made_up_names_cannot_grow_the_store() {
    let server = server(Arc::default()).await;
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, _) = pool(&sdk).await;
    let client_id = hiding_client(&sdk, &pool_id).await;
    let start = |name: String| {
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::CustomAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", &name)])))
            .send()
    };
    // Unknown names share one owner's limit of open sessions: the oldest make way.
    let first = start("made-up-0".to_owned()).await.unwrap();
    for n in 1..70 {
        start(format!("made-up-{n}")).await.unwrap();
    }
    let (code, message) = error_of(
        sdk.respond_to_auth_challenge()
            .client_id(&client_id)
            .challenge_name(ChallengeNameType::CustomChallenge)
            .session(first.session().unwrap())
            .set_challenge_responses(Some(params(&[("USERNAME", "made-up-0"), ("ANSWER", "x")])))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(message, "Invalid session for the user, session is expired.");
}
