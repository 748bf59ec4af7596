//! Remembered devices, verified for real: ConfirmDevice with cognito-srp's verifier,
//! DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER skipping MFA, and the device operations.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, DeviceConfigurationType, DeviceRememberedStatusType,
    DeviceSecretVerifierConfigType, MessageActionType, SmsMfaSettingsType, UserPoolMfaType,
};
use cognito_srp::{ClientEphemeral, DeviceCredentials, PoolId, Timestamp, VerifierChallenge};
use common::{attr, error_of, last_code, pool_with, start};

const PASSWORD: &str = "Correct-Horse-1";

struct App {
    url: String,
    pool_id: String,
    client_id: String,
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect()
}

/// SRP login up to the step after PASSWORD_VERIFIER, with an optional device key.
async fn srp(sdk: &Client, app: &App, device: Option<&str>) -> aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput{
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let mut params = map(&[("USERNAME", "nora"), ("SRP_A", &ephemeral.srp_a())]);
    if let Some(key) = device {
        params.insert("DEVICE_KEY".into(), key.into());
    }
    let started = sdk
        .initiate_auth()
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .set_auth_parameters(Some(params))
        .send()
        .await
        .unwrap();
    let challenge =
        VerifierChallenge::from_parameters(started.challenge_parameters().unwrap()).unwrap();
    let mut responses = ephemeral
        .password_claim(
            &PoolId::parse(&app.pool_id).unwrap(),
            PASSWORD,
            &challenge,
            Timestamp::now(),
        )
        .unwrap()
        .into_map();
    if let Some(key) = device {
        responses.insert("DEVICE_KEY".into(), key.into());
    }
    sdk.respond_to_auth_challenge()
        .client_id(&app.client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_session(started.session().map(str::to_owned))
        .set_challenge_responses(Some(responses))
        .send()
        .await
        .unwrap()
}

async fn answer_sms(
    sdk: &Client,
    app: &App,
    session: Option<&str>,
) -> aws_sdk_cognitoidentityprovider::types::AuthenticationResultType {
    let code = last_code(&app.url, &app.pool_id, "nora").await;
    let done = sdk
        .respond_to_auth_challenge()
        .client_id(&app.client_id)
        .challenge_name(ChallengeNameType::SmsMfa)
        .set_session(session.map(str::to_owned))
        .set_challenge_responses(Some(map(&[("USERNAME", "nora"), ("SMS_MFA_CODE", &code)])))
        .send()
        .await
        .unwrap();
    done.authentication_result().unwrap().clone()
}

/// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER with the device's own ephemeral.
async fn device_step(
    sdk: &Client,
    app: &App,
    session: Option<&str>,
    device: &DeviceCredentials,
) -> Result<aws_sdk_cognitoidentityprovider::types::AuthenticationResultType, (String, String)> {
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let started = sdk
        .respond_to_auth_challenge()
        .client_id(&app.client_id)
        .challenge_name(ChallengeNameType::DeviceSrpAuth)
        .set_session(session.map(str::to_owned))
        .set_challenge_responses(Some(map(&[
            ("USERNAME", "nora"),
            ("DEVICE_KEY", device.device_key()),
            ("SRP_A", &ephemeral.srp_a()),
        ])))
        .send()
        .await
        .map_err(error_of)?;
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::DevicePasswordVerifier)
    );
    let challenge =
        VerifierChallenge::from_parameters(started.challenge_parameters().unwrap()).unwrap();
    let responses = ephemeral
        .device_claim(device, &challenge, Timestamp::now())
        .unwrap()
        .into_map();
    let done = sdk
        .respond_to_auth_challenge()
        .client_id(&app.client_id)
        .challenge_name(ChallengeNameType::DevicePasswordVerifier)
        .set_session(started.session().map(str::to_owned))
        .set_challenge_responses(Some(responses))
        .send()
        .await
        .map_err(error_of)?;
    Ok(done.authentication_result().unwrap().clone())
}

/// A pool tracking devices, with SMS MFA on for user `nora`.
async fn setup(sdk: &Client, url: String, challenge_required_on_new_device: bool) -> App {
    let pool_id = pool_with(sdk, |b| {
        b.mfa_configuration(UserPoolMfaType::Optional)
            .device_configuration(
                DeviceConfigurationType::builder()
                    .challenge_required_on_new_device(challenge_required_on_new_device)
                    .device_only_remembered_on_user_prompt(false)
                    .build(),
            )
    })
    .await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .send()
        .await
        .unwrap();
    let app = App {
        url,
        pool_id: pool_id.clone(),
        client_id: client
            .user_pool_client()
            .unwrap()
            .client_id()
            .unwrap()
            .to_owned(),
    };
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("nora")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("phone_number", "+15555550100"))
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("nora")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_mfa_preference()
        .user_pool_id(&pool_id)
        .username("nora")
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    app
}

/// Signs in with MFA and confirms the new device; returns its credentials and the tokens.
async fn remember_device(
    sdk: &Client,
    app: &App,
) -> (
    DeviceCredentials,
    aws_sdk_cognitoidentityprovider::types::AuthenticationResultType,
) {
    let first = srp(sdk, app, None).await;
    assert_eq!(first.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    let tokens = answer_sms(sdk, app, first.session()).await;
    let metadata = tokens.new_device_metadata().expect("device tracking is on");
    let (device, config) = DeviceCredentials::generate(
        metadata.device_key().unwrap(),
        metadata.device_group_key().unwrap(),
        &mut rand::rng(),
    );
    let confirmed = sdk
        .confirm_device()
        .access_token(tokens.access_token().unwrap())
        .device_key(device.device_key())
        .device_name("laptop")
        .device_secret_verifier_config(
            DeviceSecretVerifierConfigType::builder()
                .password_verifier(&config.password_verifier)
                .salt(&config.salt)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(!confirmed.user_confirmation_necessary());
    (device, tokens)
}

#[tokio::test]
async fn without_challenge_required_on_new_device_mfa_stays() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = setup(sdk, local.server.url(), false).await;
    let (device, _) = remember_device(sdk, &app).await;
    let again = srp(sdk, &app, Some(device.device_key())).await;
    assert_eq!(again.challenge_name(), Some(&ChallengeNameType::SmsMfa));
}

#[tokio::test]
async fn a_remembered_device_signs_in_without_mfa() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = setup(sdk, local.server.url(), true).await;
    let pool_id = app.pool_id.clone();
    let (device, tokens) = remember_device(sdk, &app).await;
    let listed = sdk
        .list_devices()
        .access_token(tokens.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(listed.devices().len(), 1);
    let got = sdk
        .get_device()
        .access_token(tokens.access_token().unwrap())
        .device_key(device.device_key())
        .send()
        .await
        .unwrap();
    assert!(
        got.device()
            .unwrap()
            .device_attributes()
            .iter()
            .any(|a| a.name() == "device_name" && a.value() == Some("laptop"))
    );

    // Second sign-in with the device: DEVICE_SRP_AUTH instead of MFA.
    let second = srp(sdk, &app, Some(device.device_key())).await;
    assert_eq!(
        second.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );
    let tokens = device_step(sdk, &app, second.session(), &device)
        .await
        .unwrap();
    assert!(tokens.new_device_metadata().is_none());
    let verifier = cognito_jwt::CognitoJwtVerifier::new(
        cognito_jwt::PoolConfig::new(
            &pool_id,
            cognito_jwt::TokenUse::Access,
            cognito_jwt::ClientIds::Any,
        )
        .unwrap()
        .issuer_base(&app.url)
        .unwrap(),
    )
    .unwrap();
    let access = verifier
        .verify(tokens.access_token().unwrap())
        .await
        .unwrap();
    assert_eq!(
        access.claims.as_access().unwrap().device_key.as_deref(),
        Some(device.device_key())
    );
    let refreshed = sdk
        .initiate_auth()
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .set_auth_parameters(Some(map(&[
            ("REFRESH_TOKEN", tokens.refresh_token().unwrap()),
            ("DEVICE_KEY", device.device_key()),
        ])))
        .send()
        .await
        .unwrap();
    assert!(refreshed.authentication_result().is_some());

    // A device with the wrong secret is refused.
    let impostor = DeviceCredentials::new(
        device.device_key(),
        device.device_group_key(),
        "not-the-device-password",
    );
    let third = srp(sdk, &app, Some(device.device_key())).await;
    let (code, message) = device_step(sdk, &app, third.session(), &impostor)
        .await
        .unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    // Not remembered any more: MFA again.
    sdk.update_device_status()
        .access_token(tokens.access_token().unwrap())
        .device_key(device.device_key())
        .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
        .send()
        .await
        .unwrap();
    let fourth = srp(sdk, &app, Some(device.device_key())).await;
    assert_eq!(fourth.challenge_name(), Some(&ChallengeNameType::SmsMfa));

    // An administrator remembers it again: the device's own SRP instead of MFA.
    sdk.admin_update_device_status()
        .user_pool_id(&pool_id)
        .username("nora")
        .device_key(device.device_key())
        .device_remembered_status(DeviceRememberedStatusType::Remembered)
        .send()
        .await
        .unwrap();
    let fifth = srp(sdk, &app, Some(device.device_key())).await;
    assert_eq!(
        fifth.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );

    sdk.admin_forget_device()
        .user_pool_id(&pool_id)
        .username("nora")
        .device_key(device.device_key())
        .send()
        .await
        .unwrap();
    let listed = sdk
        .admin_list_devices()
        .user_pool_id(&pool_id)
        .username("nora")
        .send()
        .await
        .unwrap();
    assert!(listed.devices().is_empty());
    let (code, message) = error_of(
        sdk.admin_get_device()
            .user_pool_id(&pool_id)
            .username("nora")
            .device_key(device.device_key())
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("ResourceNotFoundException", "Device does not exist.")
    );
}
