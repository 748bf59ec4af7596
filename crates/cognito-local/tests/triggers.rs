//! Lambda triggers on a real server, through the AWS SDK for Rust: each target kind (an
//! in-process closure, a webhook served by axum in the test, a script run through
//! `exec:`), the events read back with `aws_lambda_events`' types, the answers applied,
//! and every error kind mapped as AWS maps it.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_lambda_events::event::cognito::{
    CognitoEventUserPoolsPostConfirmation, CognitoEventUserPoolsPreSignup,
};
use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AttributeType, LambdaConfigType, MessageActionType, UserStatusType};
use cognito_local::{Server, Target, TriggerError};
use serde_json::{Value, json};

use common::{attr, error_of, sdk, sign_up};

const PRE_SIGN_UP: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";
const POST_CONFIRMATION: &str = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";

/// The events a closure saw.
type Seen = Arc<Mutex<Vec<Value>>>;

/// A closure that records each event and answers with `answer(event)`.
fn recording(
    seen: &Seen,
    answer: impl Fn(Value) -> Result<Value, TriggerError> + Send + Sync + 'static,
) -> impl Fn(Value) -> std::future::Ready<Result<Value, TriggerError>> + Send + Sync + 'static {
    let seen = seen.clone();
    move |event| {
        seen.lock().unwrap().push(event.clone());
        std::future::ready(answer(event))
    }
}

/// A pool whose PreSignUp and PostConfirmation are the given ARNs, with an app client
/// allowing passwords; `(pool, client)`.
async fn pool_with_triggers(sdk: &cip::Client, pre: &str, post: &str) -> (String, String) {
    let pool_id = common::pool_with(sdk, |b| {
        b.lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up(pre)
                .post_confirmation(post)
                .build(),
        )
    })
    .await;
    let client_id = common::app_client(sdk, &pool_id).await;
    (pool_id, client_id)
}

#[tokio::test]
async fn pre_sign_up_and_post_confirmation_run_in_process_with_the_documented_events() {
    let seen = Seen::default();
    let server = Server::builder()
        .trigger(
            PRE_SIGN_UP,
            recording(&seen, |mut event| {
                // Names starting with "auto" are confirmed and verified at once.
                if event["userName"].as_str().unwrap().starts_with("auto") {
                    event["response"]["autoConfirmUser"] = json!(true);
                    event["response"]["autoVerifyEmail"] = json!(true);
                }
                if event["userName"] == "blocked" {
                    return Err(TriggerError::function("Sign-ups from blocked are closed"));
                }
                Ok(event)
            }),
        )
        .trigger(POST_CONFIRMATION, recording(&seen, Ok))
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, client_id) = pool_with_triggers(&sdk, PRE_SIGN_UP, POST_CONFIRMATION).await;

    // An ordinary sign-up: the event as documented, the code sent, unconfirmed.
    let out = sign_up(&sdk, &client_id, "ann")
        .validation_data(attr("invite", "1234"))
        .client_metadata("source", "test")
        .send()
        .await
        .unwrap();
    assert!(!out.user_confirmed());
    let event = seen.lock().unwrap().pop().unwrap();
    let typed: CognitoEventUserPoolsPreSignup = serde_json::from_value(event.clone()).unwrap();
    let header = &typed.cognito_event_user_pools_header;
    assert_eq!(header.version.as_deref(), Some("1"));
    assert_eq!(header.region.as_deref(), Some("us-east-1"));
    assert_eq!(header.user_pool_id.as_deref(), Some(pool_id.as_str()));
    assert_eq!(header.user_name.as_deref(), Some("ann"));
    assert_eq!(
        header.caller_context.client_id.as_deref(),
        Some(client_id.as_str())
    );
    assert!(
        header
            .caller_context
            .awssdk_version
            .as_deref()
            .unwrap()
            .starts_with("aws-sdk-rust-")
    );
    assert_eq!(event["triggerSource"], "PreSignUp_SignUp");
    assert_eq!(typed.request.user_attributes["email"], "ann@example.com");
    assert_eq!(typed.request.validation_data["invite"], "1234");
    assert_eq!(typed.request.client_metadata["source"], "test");
    let keys = |v: &Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&event),
        [
            "callerContext",
            "region",
            "request",
            "response",
            "triggerSource",
            "userName",
            "userPoolId",
            "version"
        ]
    );
    assert_eq!(
        keys(&event["request"]),
        ["clientMetadata", "userAttributes", "validationData"]
    );
    assert_eq!(
        common::outbox(&server.url(), &pool_id, "ann").await.len(),
        1
    );

    // Confirming it runs PostConfirmation with the confirmed user's attributes.
    let code = common::last_code(&server.url(), &pool_id, "ann").await;
    sdk.confirm_sign_up()
        .client_id(&client_id)
        .username("ann")
        .confirmation_code(code)
        .client_metadata("step", "confirm")
        .send()
        .await
        .unwrap();
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "PostConfirmation_ConfirmSignUp");
    let typed: CognitoEventUserPoolsPostConfirmation =
        serde_json::from_value(event.clone()).unwrap();
    let attributes = &typed.request.user_attributes;
    assert_eq!(attributes["cognito:user_status"], "CONFIRMED");
    assert_eq!(attributes["email_verified"], "true");
    assert!(!attributes["sub"].is_empty());
    assert_eq!(typed.request.client_metadata["step"], "confirm");

    // autoConfirmUser and autoVerifyEmail: confirmed, verified, no code sent, and no
    // PostConfirmation (it follows a confirmation, which this sign-up skipped).
    let before = seen.lock().unwrap().len();
    let out = sign_up(&sdk, &client_id, "auto-bob").send().await.unwrap();
    assert!(out.user_confirmed());
    assert_eq!(seen.lock().unwrap().len(), before + 1);
    let user = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("auto-bob")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    let verified = user
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email_verified")
        .and_then(AttributeType::value);
    assert_eq!(verified, Some("true"));
    assert!(
        common::outbox(&server.url(), &pool_id, "auto-bob")
            .await
            .is_empty()
    );

    // The function throws: AWS's message, and no user.
    let (code, message) = error_of(
        sign_up(&sdk, &client_id, "blocked")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "PreSignUp failed with error Sign-ups from blocked are closed."
    );
    let (code, _) = error_of(
        sdk.admin_get_user()
            .user_pool_id(&pool_id)
            .username("blocked")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserNotFoundException");

    // AdminCreateUser: its own trigger source, no app client.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("carl")
        .message_action(MessageActionType::Suppress)
        .client_metadata("by", "admin")
        .send()
        .await
        .unwrap();
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "PreSignUp_AdminCreateUser");
    assert_eq!(
        event["callerContext"]["clientId"],
        "CLIENT_ID_NOT_APPLICABLE"
    );
    assert_eq!(event["request"]["clientMetadata"]["by"], "admin");
}

#[tokio::test]
async fn a_failing_post_confirmation_fails_the_request_and_the_user_stays_confirmed() {
    let server = Server::builder()
        .trigger(PRE_SIGN_UP, |event| async move { Ok(event) })
        .trigger(POST_CONFIRMATION, |_| async move {
            Err(TriggerError::function("welcome mail failed"))
        })
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, client_id) = pool_with_triggers(&sdk, PRE_SIGN_UP, POST_CONFIRMATION).await;
    sign_up(&sdk, &client_id, "ann").send().await.unwrap();
    let (code, message) = error_of(
        sdk.admin_confirm_sign_up()
            .user_pool_id(&pool_id)
            .username("ann")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "PostConfirmation failed with error welcome mail failed."
    );
    let user = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
}

/// Serves `app` on a free loopback port; its URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// A webhook in the test: POST /ok answers the event with autoConfirmUser, /fail a
/// Lambda error JSON with status 500, /flagged a 200 with X-Amz-Function-Error, /junk
/// something that is no event; each event received is kept.
async fn webhook(seen: Seen) -> String {
    use axum::Json;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use axum::routing::post;
    let keep = move |seen: Seen| {
        move |Json(mut event): Json<Value>| async move {
            seen.lock().unwrap().push(event.clone());
            event["response"]["autoConfirmUser"] = json!(true);
            Json(event)
        }
    };
    let app = axum::Router::new()
        .route("/ok", post(keep(seen)))
        .route(
            "/fail",
            post(|| async {
                let error = json!({"errorMessage": "no such invite", "errorType": "Error"});
                (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response()
            }),
        )
        .route(
            "/flagged",
            post(|| async {
                let error =
                    json!({"errorMessage": "flagged by the function", "errorType": "Error"});
                ([("x-amz-function-error", "Unhandled")], Json(error)).into_response()
            }),
        )
        .route("/junk", post(|| async { "<html>not an event</html>" }));
    serve(app).await
}

#[tokio::test]
async fn webhook_and_exec_targets_and_their_failures() {
    let seen = Seen::default();
    let hook = webhook(seen.clone()).await;
    let dir = std::env::temp_dir().join(format!("cognito-triggers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The script confirms users and verifies their email; "fail" users get an error.
    let script = dir.join("pre_sign_up.py");
    std::fs::write(
        &script,
        r#"import json, sys
event = json.load(sys.stdin)
if event["userName"].startswith("fail"):
    print("Traceback (most recent call last): ...", file=sys.stderr)
    print("ValueError: invitation expired", file=sys.stderr)
    sys.exit(1)
event["response"].update(autoConfirmUser=True, autoVerifyEmail=True)
print(json.dumps(event))
"#,
    )
    .unwrap();
    let arn = |name: &str| format!("arn:aws:lambda:us-east-1:123456789012:function:{name}");
    let mut builder = Server::builder();
    for (name, target) in [
        ("ok", format!("{hook}/ok")),
        ("fail", format!("{hook}/fail")),
        ("flagged", format!("{hook}/flagged")),
        ("junk", format!("{hook}/junk")),
        ("closed", "http://127.0.0.1:9/".to_owned()),
        ("script", format!("exec:python3 {}", script.display())),
        ("missing", "exec:/no/such/program".to_owned()),
    ] {
        builder = builder.lambda(arn(name), Target::parse(&target).unwrap());
    }
    let server = builder.start().await.unwrap();
    let sdk = sdk(&server.url(), "us-east-1");

    let outcomes = [
        ("ok", "ann", Ok(true)),
        (
            "fail",
            "ann",
            Err((
                "UserLambdaValidationException",
                "PreSignUp failed with error no such invite.",
            )),
        ),
        (
            "flagged",
            "ann",
            Err((
                "UserLambdaValidationException",
                "PreSignUp failed with error flagged by the function.",
            )),
        ),
        (
            "junk",
            "ann",
            Err((
                "InvalidLambdaResponseException",
                "Unrecognizable lambda output for PreSignUp.",
            )),
        ),
        (
            "closed",
            "ann",
            Err((
                "UnexpectedLambdaException",
                "PreSignUp invocation failed due to error ServiceException.",
            )),
        ),
        (
            "unmapped",
            "ann",
            Err((
                "UnexpectedLambdaException",
                "PreSignUp invocation failed due to error ResourceNotFoundException.",
            )),
        ),
        ("script", "ann", Ok(true)),
        (
            "script",
            "fail-bob",
            Err((
                "UserLambdaValidationException",
                "PreSignUp failed with error ValueError: invitation expired.",
            )),
        ),
        (
            "missing",
            "ann",
            Err((
                "UnexpectedLambdaException",
                "PreSignUp invocation failed due to error ServiceException.",
            )),
        ),
    ];
    for (function, name, expected) in outcomes {
        let (_, client_id) = pool_with_triggers(&sdk, &arn(function), &arn("unused")).await;
        let got = sign_up(&sdk, &client_id, name)
            .send()
            .await
            .map(|out| out.user_confirmed())
            .map_err(error_of);
        match expected {
            Ok(confirmed) => assert_eq!(got.unwrap(), confirmed, "{function}"),
            Err((code, message)) => {
                let (got_code, got_message) = got.unwrap_err();
                assert_eq!(
                    (got_code.as_str(), got_message.as_str()),
                    (code, message),
                    "{function}"
                );
            }
        }
    }
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["triggerSource"], "PreSignUp_SignUp");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_slow_trigger_times_out_without_holding_up_other_requests() {
    let server = Server::builder()
        .trigger(PRE_SIGN_UP, |event| async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            Ok(event)
        })
        .trigger_timeout(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let (pool_id, client_id) = pool_with_triggers(&sdk, PRE_SIGN_UP, POST_CONFIRMATION).await;
    let started = Instant::now();
    let slow = tokio::spawn({
        let sdk = sdk.clone();
        async move { sign_up(&sdk, &client_id, "ann").send().await }
    });
    // While the trigger runs, the store serves others: writes included.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let quick = Instant::now();
    sdk.create_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .send()
        .await
        .unwrap();
    assert!(
        quick.elapsed() < Duration::from_millis(1000),
        "{:?}",
        quick.elapsed()
    );
    let (code, message) = error_of(slow.await.unwrap().unwrap_err());
    assert_eq!(code, "UnexpectedLambdaException");
    assert_eq!(
        message,
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_millis(2900),
        "{waited:?}"
    );
}

#[tokio::test]
async fn pre_and_post_authentication_may_refuse_a_sign_in() {
    const PRE: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-authentication";
    const POST: &str = "arn:aws:lambda:us-east-1:123456789012:function:post-authentication";
    let seen = Seen::default();
    let server = Server::builder()
        .trigger(
            PRE,
            recording(&seen, |event| {
                if event["userName"] == "mallory" {
                    return Err(TriggerError::function("Mallory may not sign in"));
                }
                Ok(event)
            }),
        )
        .trigger(
            POST,
            recording(&seen, |event| {
                if event["request"]["clientMetadata"]["fail"] == "yes" {
                    return Err(TriggerError::function("audit log unavailable"));
                }
                Ok(event)
            }),
        )
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let pool_id = common::pool_with(&sdk, |b| {
        b.lambda_config(
            LambdaConfigType::builder()
                .pre_authentication(PRE)
                .post_authentication(POST)
                .build(),
        )
    })
    .await;
    let client_id = common::app_client(&sdk, &pool_id).await;
    for name in ["ann", "mallory"] {
        common::confirmed_user(&sdk, &pool_id, name, "Passw0rd-Sign1").await;
    }
    let sign_in = |name: &'static str| {
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(cip::types::AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(common::params(&[
                ("USERNAME", name),
                ("PASSWORD", "Passw0rd-Sign1"),
            ])))
    };

    let out = sign_in("ann")
        .client_metadata("app", "web")
        .send()
        .await
        .unwrap();
    assert!(out.authentication_result().is_some());
    let events: Vec<Value> = seen.lock().unwrap().drain(..).collect();
    let sources: Vec<&str> = events
        .iter()
        .map(|e| e["triggerSource"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "PreAuthentication_Authentication",
            "PostAuthentication_Authentication"
        ]
    );
    assert_eq!(events[0]["request"]["validationData"]["app"], "web");
    assert_eq!(
        events[0]["request"]["userAttributes"]["email"],
        "ann@example.com"
    );
    assert_eq!(events[1]["request"]["newDeviceUsed"], false);
    assert_eq!(
        events[1]["request"]["userAttributes"]["cognito:user_status"],
        "CONFIRMED"
    );

    let (code, message) = error_of(sign_in("mallory").send().await.unwrap_err());
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "PreAuthentication failed with error Mallory may not sign in."
    );
    // Only PreAuthentication ran.
    assert_eq!(seen.lock().unwrap().drain(..).count(), 1);

    let (code, message) = error_of(
        sign_in("ann")
            .client_metadata("fail", "yes")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "PostAuthentication failed with error audit log unavailable."
    );

    // An unknown name, where the client hides users: PreAuthentication runs with
    // userNotFound, and the answer is a wrong password's.
    let hiding = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("hiding")
        .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .prevent_user_existence_errors(cip::types::PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    let hiding = hiding.user_pool_client().unwrap().client_id().unwrap();
    seen.lock().unwrap().clear();
    let (code, _) = error_of(
        sdk.initiate_auth()
            .client_id(hiding)
            .auth_flow(cip::types::AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(common::params(&[
                ("USERNAME", "nobody"),
                ("PASSWORD", "Passw0rd-Sign1"),
            ])))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "NotAuthorizedException");
    let event = seen.lock().unwrap().pop().unwrap();
    assert_eq!(event["request"]["userNotFound"], true);
    assert_eq!(event["userName"], "nobody");
    assert_eq!(event["request"]["userAttributes"], json!({}));
}

/// A minimal Lambda Invoke API (the network peer `lambda:` targets talk to): functions
/// named "fails" throw, others confirm the user; every invocation's function name and
/// payload is kept.
async fn invoke_api(calls: Arc<Mutex<Vec<(String, Value)>>>) -> String {
    use axum::extract::Path;
    use axum::response::IntoResponse;
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/2015-03-31/functions/{name}/invocations",
        post(move |Path(name): Path<String>, body: axum::body::Bytes| {
            let calls = calls.clone();
            async move {
                let mut event: Value = serde_json::from_slice(&body).unwrap();
                calls.lock().unwrap().push((name.clone(), event.clone()));
                if name == "fails" {
                    let error = json!({"errorMessage": "thrown in Lambda", "errorType": "Error"});
                    return ([("x-amz-function-error", "Unhandled")], error.to_string())
                        .into_response();
                }
                event["response"]["autoConfirmUser"] = json!(true);
                event.to_string().into_response()
            }
        }),
    );
    serve(app).await
}

#[tokio::test]
async fn the_lambda_invoke_api_serves_mapped_arns_and_the_default_endpoint() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let api = invoke_api(calls.clone()).await;
    let mapped = "arn:aws:lambda:eu-west-1:123456789012:function:confirm";
    let server = Server::builder()
        .lambda(mapped, Target::parse(&format!("lambda:{api}")).unwrap())
        .lambda_endpoint(&api)
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    for (arn, name, expected) in [
        (mapped, "ann", Ok(true)),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:other",
            "bob",
            Ok(true),
        ),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:fails",
            "carl",
            Err("PreSignUp failed with error thrown in Lambda.".to_owned()),
        ),
    ] {
        let (_, client_id) = pool_with_triggers(&sdk, arn, POST_CONFIRMATION).await;
        let got = sign_up(&sdk, &client_id, name)
            .send()
            .await
            .map(|out| out.user_confirmed())
            .map_err(|e| error_of(e).1);
        assert_eq!(got, expected, "{arn}");
    }
    let calls = calls.lock().unwrap();
    let names: Vec<&str> = calls.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["confirm", "other", "fails"]);
    assert_eq!(calls[0].1["triggerSource"], "PreSignUp_SignUp");
}
