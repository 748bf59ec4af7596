//! Auth events through the AWS SDK for Rust: recorded from real sign-ins while threat
//! protection is on, with time, address and user agent; paged newest first; feedback.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeName, ChallengeResponse, EventResponseType, EventType, FeedbackValueType,
};
use common::{app_client, confirmed_user, error_of, params, pool_with, start};

#[tokio::test]
async fn sign_ins_are_recorded_as_auth_events_while_threat_protection_is_on() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = app_client(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "ann", "Passw0rd-Ann1").await;
    let sign_in = |password: &str| {
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "ann"), ("PASSWORD", password)])))
            .send()
    };
    let list = |max: i32, token: Option<String>| {
        sdk.admin_list_user_auth_events()
            .user_pool_id(&pool_id)
            .username("ann")
            .max_results(max)
            .set_next_token(token)
            .send()
    };

    // Off: nothing recorded, and the operation is refused.
    sign_in("Passw0rd-Ann1").await.unwrap();
    let (code, _) = error_of(list(10, None).await.unwrap_err());
    assert_eq!(code, "UserPoolAddOnNotEnabledException");

    common::threat_protection(sdk, &pool_id).await;
    assert!(list(10, None).await.unwrap().auth_events().is_empty());
    sign_in("wrong-Passw0rd1").await.unwrap_err();
    sign_in("Passw0rd-Ann1").await.unwrap();

    let events = list(10, None).await.unwrap();
    let events = events.auth_events();
    assert_eq!(events.len(), 2);
    let (pass, fail) = (&events[0], &events[1]);
    assert_eq!(pass.event_type(), Some(&EventType::SignIn));
    assert_eq!(pass.event_response(), Some(&EventResponseType::Pass));
    assert_eq!(fail.event_response(), Some(&EventResponseType::Fail));
    let challenge = &fail.challenge_responses()[0];
    assert_eq!(challenge.challenge_name(), Some(&ChallengeName::Password));
    assert_eq!(
        challenge.challenge_response(),
        Some(&ChallengeResponse::Failure)
    );
    assert!(pass.creation_date().unwrap() >= fail.creation_date().unwrap());
    let context = pass.event_context_data().unwrap();
    assert_eq!(context.ip_address(), Some("127.0.0.1"));
    assert!(context.device_name().unwrap().contains("aws-sdk-rust"));

    // Pages of one, newest first.
    let first = list(1, None).await.unwrap();
    assert_eq!(first.auth_events()[0].event_id(), pass.event_id());
    let second = list(1, first.next_token().map(str::to_owned))
        .await
        .unwrap();
    assert_eq!(second.auth_events()[0].event_id(), fail.event_id());
    assert!(second.next_token().is_none());

    // An administrator's feedback on the failed attempt.
    sdk.admin_update_auth_event_feedback()
        .user_pool_id(&pool_id)
        .username("ann")
        .event_id(fail.event_id().unwrap())
        .feedback_value(FeedbackValueType::Invalid)
        .send()
        .await
        .unwrap();
    let events = list(10, None).await.unwrap();
    let feedback = events.auth_events()[1].event_feedback().unwrap();
    assert_eq!(feedback.feedback_value(), &FeedbackValueType::Invalid);
    assert_eq!(feedback.provider(), "Admin");
    let (code, _) = error_of(
        sdk.admin_update_auth_event_feedback()
            .user_pool_id(&pool_id)
            .username("ann")
            .event_id("no-such-event")
            .feedback_value(FeedbackValueType::Valid)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");

    // The events go with the user: a new user of the same name has none.
    sdk.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    confirmed_user(sdk, &pool_id, "ann", "Passw0rd-Ann1").await;
    assert!(list(10, None).await.unwrap().auth_events().is_empty());
}
