//! MFA, verified for real: TOTP (RFC 6238, no replay), SMS codes through the outbox,
//! SELECT_MFA_TYPE, and MFA_SETUP when the pool requires MFA.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType, SmsMfaSettingsType,
    SoftwareTokenMfaSettingsType, UserPoolMfaType,
};
use common::{attr, error_of, last_code, pool_with, start, totp_code};

const PASSWORD: &str = "Correct-Horse-1";

struct App {
    pool_id: String,
    client_id: String,
}

async fn app(sdk: &Client, mfa: UserPoolMfaType, user: &str, phone: bool) -> App {
    let pool_id = pool_with(sdk, |b| b.mfa_configuration(mfa)).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let client_id = client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    let mut create = sdk
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username(user)
        .message_action(MessageActionType::Suppress);
    if phone {
        create = create.user_attributes(attr("phone_number", "+15555550123"));
    }
    create.send().await.unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(&pool_id)
        .username(user)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    App { pool_id, client_id }
}

async fn login(
    sdk: &Client,
    app: &App,
    user: &str,
) -> aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput {
    let params: HashMap<String, String> = [("USERNAME", user), ("PASSWORD", PASSWORD)]
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    sdk.initiate_auth()
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params))
        .send()
        .await
        .unwrap()
}

async fn answer(sdk: &Client, app: &App, challenge: ChallengeNameType, session: Option<&str>, pairs: &[(&str, &str)]) -> Result<aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput, (String, String)>{
    let responses: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    sdk.respond_to_auth_challenge()
        .client_id(&app.client_id)
        .challenge_name(challenge)
        .set_session(session.map(str::to_owned))
        .set_challenge_responses(Some(responses))
        .send()
        .await
        .map_err(error_of)
}

#[tokio::test]
async fn software_token_mfa_set_up_and_answered() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, UserPoolMfaType::Optional, "kai", false).await;
    let first = login(sdk, &app, "kai").await;
    let token = first
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();

    let (code, message) = error_of(
        sdk.set_user_mfa_preference()
            .access_token(&token)
            .software_token_mfa_settings(
                SoftwareTokenMfaSettingsType::builder()
                    .enabled(true)
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "InvalidParameterException",
            "User has not verified software token mfa"
        )
    );

    let secret = sdk
        .associate_software_token()
        .access_token(&token)
        .send()
        .await
        .unwrap()
        .secret_code()
        .unwrap()
        .to_owned();
    let (code, _) = error_of(
        sdk.verify_software_token()
            .access_token(&token)
            .user_code("000000")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "EnableSoftwareTokenMFAException");
    let verified = sdk
        .verify_software_token()
        .access_token(&token)
        .user_code(totp_code(&secret, 0))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().map(|s| s.as_str()), Some("SUCCESS"));
    sdk.set_user_mfa_preference()
        .access_token(&token)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let me = sdk.get_user().access_token(&token).send().await.unwrap();
    assert_eq!(me.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));
    assert_eq!(me.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);

    let challenged = login(sdk, &app, "kai").await;
    assert_eq!(
        challenged.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    let session = challenged.session();
    let (code, message) = answer(
        sdk,
        &app,
        ChallengeNameType::SoftwareTokenMfa,
        session,
        &[("USERNAME", "kai"), ("SOFTWARE_TOKEN_MFA_CODE", "123456")],
    )
    .await
    .unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "CodeMismatchException",
            "Invalid code or auth state for the user."
        )
    );
    // The step used to verify the token is spent: the next step's code works (within ±1 step), once.
    let next = totp_code(&secret, 1);
    let done = answer(
        sdk,
        &app,
        ChallengeNameType::SoftwareTokenMfa,
        session,
        &[("USERNAME", "kai"), ("SOFTWARE_TOKEN_MFA_CODE", &next)],
    )
    .await
    .unwrap();
    assert!(done.authentication_result().is_some());
    let again = login(sdk, &app, "kai").await;
    let (code, _) = answer(
        sdk,
        &app,
        ChallengeNameType::SoftwareTokenMfa,
        again.session(),
        &[("USERNAME", "kai"), ("SOFTWARE_TOKEN_MFA_CODE", &next)],
    )
    .await
    .unwrap_err();
    assert_eq!(
        code, "ExpiredCodeException",
        "a TOTP code is never accepted twice (AWS: already used once)"
    );
}

#[tokio::test]
async fn sms_mfa_and_choosing_a_method() {
    let local = start().await;
    let (sdk, url) = (&local.sdk, local.server.url());
    let app = app(sdk, UserPoolMfaType::Optional, "lou", true).await;
    sdk.admin_set_user_mfa_preference()
        .user_pool_id(&app.pool_id)
        .username("lou")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    let challenged = login(sdk, &app, "lou").await;
    assert_eq!(
        challenged.challenge_name(),
        Some(&ChallengeNameType::SmsMfa)
    );
    let parameters = challenged.challenge_parameters().unwrap();
    assert_eq!(parameters["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS");
    assert_eq!(parameters["CODE_DELIVERY_DESTINATION"], "+*******0123");
    let code = last_code(&url, &app.pool_id, "lou").await;
    let done = answer(
        sdk,
        &app,
        ChallengeNameType::SmsMfa,
        challenged.session(),
        &[("USERNAME", "lou"), ("SMS_MFA_CODE", &code)],
    )
    .await
    .unwrap();
    assert!(done.authentication_result().is_some());

    // Both methods on, none preferred: the user chooses.
    let token = done
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    let secret = sdk
        .associate_software_token()
        .access_token(&token)
        .send()
        .await
        .unwrap()
        .secret_code()
        .unwrap()
        .to_owned();
    sdk.verify_software_token()
        .access_token(&token)
        .user_code(totp_code(&secret, 0))
        .send()
        .await
        .unwrap();
    sdk.set_user_mfa_preference()
        .access_token(&token)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let challenged = login(sdk, &app, "lou").await;
    assert_eq!(
        challenged.challenge_name(),
        Some(&ChallengeNameType::SelectMfaType)
    );
    assert_eq!(
        challenged.challenge_parameters().unwrap()["MFAS_CAN_CHOOSE"],
        r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#
    );
    let chosen = answer(
        sdk,
        &app,
        ChallengeNameType::SelectMfaType,
        challenged.session(),
        &[("USERNAME", "lou"), ("ANSWER", "SMS_MFA")],
    )
    .await
    .unwrap();
    assert_eq!(chosen.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    let code = last_code(&url, &app.pool_id, "lou").await;
    let done = answer(
        sdk,
        &app,
        ChallengeNameType::SmsMfa,
        chosen.session(),
        &[("USERNAME", "lou"), ("SMS_MFA_CODE", &code)],
    )
    .await
    .unwrap();
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn required_mfa_is_set_up_during_sign_in() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, UserPoolMfaType::On, "max", false).await;
    let challenged = login(sdk, &app, "max").await;
    assert_eq!(
        challenged.challenge_name(),
        Some(&ChallengeNameType::MfaSetup)
    );
    assert_eq!(
        challenged.challenge_parameters().unwrap()["MFAS_CAN_SETUP"],
        r#"["SOFTWARE_TOKEN_MFA"]"#
    );
    let session = challenged.session().unwrap().to_owned();
    let (code, _) = answer(
        sdk,
        &app,
        ChallengeNameType::MfaSetup,
        Some(&session),
        &[("USERNAME", "max")],
    )
    .await
    .unwrap_err();
    assert_eq!(code, "InvalidParameterException", "set up the token first");
    let associated = sdk
        .associate_software_token()
        .session(&session)
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code().unwrap().to_owned();
    let verified = sdk
        .verify_software_token()
        .session(associated.session().unwrap())
        .user_code(totp_code(&secret, 0))
        .send()
        .await
        .unwrap();
    let done = answer(
        sdk,
        &app,
        ChallengeNameType::MfaSetup,
        verified.session(),
        &[("USERNAME", "max")],
    )
    .await
    .unwrap();
    assert!(done.authentication_result().is_some());
    let next = login(sdk, &app, "max").await;
    assert_eq!(
        next.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
}
