//! What real clients tripped on, answered as AWS answers it (through the official AWS
//! SDK for Rust): a user in RESET_REQUIRED, and devices reused across sign-ins.

mod common;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType, DeviceConfigurationType,
    ExplicitAuthFlowsType, UserPoolMfaType,
};
use cognito_srp::ClientEphemeral;
use common::{attr, confirmed_user, error_of, last_code, params, pool_with, start};

const PASSWORD: &str = "Correct-Horse-1";

async fn client_of(sdk: &Client, pool_id: &str) -> String {
    common::app_client(sdk, pool_id).await
}

#[tokio::test]
async fn a_user_in_reset_required_is_told_so_whatever_the_password() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "rae", PASSWORD).await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("rae")
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    sdk.admin_reset_user_password()
        .user_pool_id(&pool_id)
        .username("rae")
        .send()
        .await
        .unwrap();
    for password in [PASSWORD, "Wrong-Horse-9"] {
        let out = sdk
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "rae"), ("PASSWORD", password)])))
            .send()
            .await;
        let (kind, message) = error_of(out.unwrap_err());
        assert_eq!(kind, "PasswordResetRequiredException", "{password}");
        assert_eq!(message, "Password reset required for the user");
    }
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let srp = sdk
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "rae"),
            ("SRP_A", &ephemeral.srp_a()),
        ])))
        .send()
        .await;
    assert_eq!(
        error_of(srp.unwrap_err()).0,
        "PasswordResetRequiredException"
    );
}

/// A pool that tracks devices (always, no challenge for remembered ones) with `mfa`.
async fn device_pool(sdk: &Client, mfa: UserPoolMfaType) -> (String, String) {
    let pool_id = pool_with(sdk, |b| {
        b.mfa_configuration(mfa).device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(false)
                .device_only_remembered_on_user_prompt(false)
                .build(),
        )
    })
    .await;
    let client_id = client_of(sdk, &pool_id).await;
    (pool_id, client_id)
}

async fn login(
    sdk: &Client,
    client_id: &str,
    name: &str,
    device: Option<&str>,
) -> aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput {
    let mut pairs = vec![("USERNAME", name), ("PASSWORD", PASSWORD)];
    pairs.extend(device.map(|d| ("DEVICE_KEY", d)));
    sdk.initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&pairs)))
        .send()
        .await
        .unwrap()
}

async fn devices(sdk: &Client, pool_id: &str, name: &str) -> Vec<String> {
    let listed = sdk
        .admin_list_devices()
        .user_pool_id(pool_id)
        .username(name)
        .send()
        .await
        .unwrap();
    listed
        .devices()
        .iter()
        .map(|d| d.device_key().unwrap().to_owned())
        .collect()
}

/// Confirms the new device of a sign-in (as SDK clients do): then it is listed.
async fn confirm(sdk: &Client, result: &AuthenticationResultType) -> String {
    let metadata = result.new_device_metadata().expect("a new device");
    let (device, config) = cognito_srp::DeviceCredentials::generate(
        metadata.device_key().unwrap(),
        metadata.device_group_key().unwrap(),
        &mut rand::rng(),
    );
    sdk.confirm_device()
        .access_token(result.access_token().unwrap())
        .device_key(device.device_key())
        .device_secret_verifier_config(
            aws_sdk_cognitoidentityprovider::types::DeviceSecretVerifierConfigType::builder()
                .password_verifier(&config.password_verifier)
                .salt(&config.salt)
                .build(),
        )
        .send()
        .await
        .unwrap();
    device.device_key().to_owned()
}

fn device_claim(result: &AuthenticationResultType) -> Option<String> {
    let token = result.access_token().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    claims["device_key"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn a_device_the_user_has_is_reused_not_minted_again() {
    let local = start().await;
    let sdk = &local.sdk;
    let (pool_id, client_id) = device_pool(sdk, UserPoolMfaType::Off).await;
    confirmed_user(sdk, &pool_id, "dee", PASSWORD).await;

    let first = login(sdk, &client_id, "dee", None).await;
    let key = confirm(sdk, first.authentication_result().unwrap()).await;
    // The same device again (confirmed, not remembered): reused.
    let again = login(sdk, &client_id, "dee", Some(&key)).await;
    let again = again.authentication_result().unwrap();
    assert!(again.new_device_metadata().is_none());
    assert_eq!(device_claim(again).as_deref(), Some(key.as_str()));
    assert_eq!(devices(sdk, &pool_id, "dee").await, vec![key.clone()]);
    let got = sdk
        .admin_get_device()
        .user_pool_id(&pool_id)
        .username("dee")
        .device_key(&key)
        .send()
        .await
        .unwrap();
    assert!(
        got.device()
            .unwrap()
            .device_last_authenticated_date()
            .is_some()
    );
    // Without a DEVICE_KEY, or with one the user does not have: a new device.
    let other = login(sdk, &client_id, "dee", Some("us-east-1_not-a-device")).await;
    confirm(sdk, other.authentication_result().unwrap()).await;
    assert_eq!(devices(sdk, &pool_id, "dee").await.len(), 2);
}

#[tokio::test]
async fn a_device_key_sent_with_the_mfa_answer_is_reused_too() {
    let local = start().await;
    let sdk = &local.sdk;
    let url = local.server.url();
    let (pool_id, client_id) = device_pool(sdk, UserPoolMfaType::On).await;
    confirmed_user(sdk, &pool_id, "mo", PASSWORD).await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("mo")
        .user_attributes(attr("phone_number", "+15555550199"))
        .send()
        .await
        .unwrap();
    let answer = |session: String, device: Option<String>| {
        let sdk = sdk.clone();
        let client_id = client_id.clone();
        let url = url.clone();
        let pool_id = pool_id.clone();
        async move {
            let code = last_code(&url, &pool_id, "mo").await;
            let mut pairs = vec![("USERNAME", "mo".to_owned()), ("SMS_MFA_CODE", code)];
            pairs.extend(device.map(|d| ("DEVICE_KEY", d)));
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            sdk.respond_to_auth_challenge()
                .client_id(client_id)
                .challenge_name(ChallengeNameType::SmsMfa)
                .session(session)
                .set_challenge_responses(Some(params(&pairs)))
                .send()
                .await
                .unwrap()
        }
    };
    let started = login(sdk, &client_id, "mo", None).await;
    let done = answer(started.session().unwrap().to_owned(), None).await;
    let key = confirm(sdk, done.authentication_result().unwrap()).await;
    // DEVICE_KEY with the MFA answer only.
    let started = login(sdk, &client_id, "mo", None).await;
    let done = answer(started.session().unwrap().to_owned(), Some(key.clone())).await;
    assert!(
        done.authentication_result()
            .unwrap()
            .new_device_metadata()
            .is_none()
    );
    // DEVICE_KEY at InitiateAuth, carried by the MFA session.
    let started = login(sdk, &client_id, "mo", Some(&key)).await;
    let done = answer(started.session().unwrap().to_owned(), None).await;
    assert!(
        done.authentication_result()
            .unwrap()
            .new_device_metadata()
            .is_none()
    );
    assert_eq!(devices(sdk, &pool_id, "mo").await, vec![key]);
}

#[tokio::test]
async fn mfa_is_turned_on_the_aws_way() {
    use aws_sdk_cognitoidentityprovider::types::{SmsMfaConfigType, SoftwareTokenMfaConfigType};
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "ann", PASSWORD).await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("ann")
        .user_attributes(attr("phone_number", "+15555550142"))
        .send()
        .await
        .unwrap();

    let got = sdk
        .get_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.mfa_configuration(), Some(&UserPoolMfaType::Off));
    assert_eq!(
        got.software_token_mfa_configuration().map(|c| c.enabled()),
        Some(false)
    );

    let set = || sdk.set_user_pool_mfa_config().user_pool_id(&pool_id);
    let (kind, message) = error_of(
        set()
            .mfa_configuration(UserPoolMfaType::On)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert_eq!(
        message,
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
    );
    let sms = SmsMfaConfigType::builder()
        .sms_authentication_message("Code: {####}")
        .build();
    let (_, message) = error_of(
        set()
            .mfa_configuration(UserPoolMfaType::Off)
            .sms_mfa_configuration(sms.clone())
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        message,
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
    );
    let no_code = SmsMfaConfigType::builder()
        .sms_authentication_message("no code here")
        .build();
    let (kind, message) = error_of(
        set()
            .mfa_configuration(UserPoolMfaType::On)
            .sms_mfa_configuration(no_code)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert!(
        message.contains("smsMfaConfiguration.smsAuthenticationMessage"),
        "{message}"
    );

    // TOTP only: required, and the user (who has a phone) is asked to set TOTP up.
    let totp_only = set()
        .mfa_configuration(UserPoolMfaType::On)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(totp_only.mfa_configuration(), Some(&UserPoolMfaType::On));
    assert!(totp_only.sms_mfa_configuration().is_none());
    let described = sdk
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_pool().unwrap().mfa_configuration(),
        Some(&UserPoolMfaType::On)
    );
    let out = login(sdk, &client_id, "ann", None).await;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::MfaSetup));

    // SMS as well: the phone gets a code, with the pool's message.
    set()
        .mfa_configuration(UserPoolMfaType::On)
        .sms_mfa_configuration(sms)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .unwrap();
    let got = sdk
        .get_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.sms_mfa_configuration()
            .and_then(|s| s.sms_authentication_message()),
        Some("Code: {####}")
    );
    let out = login(sdk, &client_id, "ann", None).await;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    let messages = common::outbox(&local.server.url(), &pool_id, "ann").await;
    let code = messages.last().unwrap().1.clone().unwrap();
    assert!(code.len() == 6);
}

#[tokio::test]
async fn get_tokens_from_refresh_token_with_and_without_rotation() {
    use aws_sdk_cognitoidentityprovider::types::{FeatureType, RefreshTokenRotationType};
    use std::time::{Duration, SystemTime};
    let clock = cognito_local::ManualClock::at(SystemTime::now());
    let server = cognito_local::Server::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let sdk = &common::sdk(&server.url(), "us-east-1");
    let pool_id = pool_with(sdk, |b| b).await;
    confirmed_user(sdk, &pool_id, "ray", PASSWORD).await;
    let make_client = |rotation: Option<RefreshTokenRotationType>, secret: bool| {
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("app")
            .generate_secret(secret)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .set_refresh_token_rotation(rotation)
            .send()
    };
    let pool = pool_id.clone();
    let sign_in = |client_id: String, secret: Option<String>| {
        let pool_id = pool.clone();
        async move {
            let mut pairs = vec![
                ("USERNAME".to_owned(), "ray".to_owned()),
                ("PASSWORD".to_owned(), PASSWORD.to_owned()),
            ];
            if let Some(secret) = &secret {
                pairs.push((
                    "SECRET_HASH".into(),
                    cognito_srp::secret_hash(secret, "ray", &client_id),
                ));
            }
            let out = sdk
                .admin_initiate_auth()
                .user_pool_id(&pool_id)
                .client_id(&client_id)
                .auth_flow(AuthFlowType::AdminUserPasswordAuth)
                .set_auth_parameters(Some(pairs.into_iter().collect()))
                .send()
                .await
                .unwrap();
            out.authentication_result()
                .unwrap()
                .refresh_token()
                .unwrap()
                .to_owned()
        }
    };
    let get_tokens = |client_id: String, token: String, secret: Option<String>| async move {
        sdk.get_tokens_from_refresh_token()
            .client_id(client_id)
            .refresh_token(token)
            .set_client_secret(secret)
            .send()
            .await
            .map(|out| out.authentication_result().unwrap().clone())
            .map_err(error_of)
    };

    // Without rotation (and with a secret): new id and access tokens only.
    let plain = make_client(None, true).await.unwrap();
    let plain = plain.user_pool_client().unwrap();
    let (plain_id, plain_secret) = (
        plain.client_id().unwrap().to_owned(),
        plain.client_secret().map(str::to_owned),
    );
    let token = sign_in(plain_id.clone(), plain_secret.clone()).await;
    let (kind, _) = get_tokens(plain_id.clone(), token.clone(), None)
        .await
        .unwrap_err();
    assert_eq!(kind, "NotAuthorizedException");
    let wrong = get_tokens(
        plain_id.clone(),
        token.clone(),
        Some("notTheSecretButLongEnough1".into()),
    )
    .await;
    assert_eq!(wrong.unwrap_err().0, "NotAuthorizedException");
    let renewed = get_tokens(plain_id.clone(), token.clone(), plain_secret.clone())
        .await
        .unwrap();
    assert!(renewed.access_token().is_some() && renewed.id_token().is_some());
    assert!(renewed.refresh_token().is_none());

    // With rotation and a 10-second grace period.
    let rotation = RefreshTokenRotationType::builder()
        .feature(FeatureType::Enabled)
        .retry_grace_period_seconds(10)
        .build()
        .unwrap();
    let rotating = make_client(Some(rotation), false).await.unwrap();
    let rotating = rotating.user_pool_client().unwrap();
    assert_eq!(
        rotating
            .refresh_token_rotation()
            .map(|r| (r.feature().clone(), r.retry_grace_period_seconds())),
        Some((FeatureType::Enabled, Some(10)))
    );
    let client_id = rotating.client_id().unwrap().to_owned();
    let first = sign_in(client_id.clone(), None).await;
    let second = get_tokens(client_id.clone(), first.clone(), None)
        .await
        .unwrap();
    let second = second
        .refresh_token()
        .expect("a new refresh token")
        .to_owned();
    assert_ne!(second, first);
    // Within the grace period the old token still works (a client retrying).
    clock.advance(Duration::from_secs(5));
    let third = get_tokens(client_id.clone(), first.clone(), None)
        .await
        .unwrap();
    let third = third.refresh_token().unwrap().to_owned();
    // After it, the old token is refused as reused; the newest works.
    clock.advance(Duration::from_secs(6));
    let (kind, _) = get_tokens(client_id.clone(), first.clone(), None)
        .await
        .unwrap_err();
    assert_eq!(kind, "RefreshTokenReuseException");
    let fourth = get_tokens(client_id.clone(), third.clone(), None)
        .await
        .unwrap();
    let fourth = fourth.refresh_token().unwrap().to_owned();
    // A rotating client refreshes with GetTokensFromRefreshToken only.
    let flow = sdk
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .set_auth_parameters(Some(params(&[("REFRESH_TOKEN", &fourth)])))
        .send()
        .await;
    assert_eq!(error_of(flow.unwrap_err()).0, "NotAuthorizedException");
    // Sign-out ends it.
    let access = get_tokens(client_id.clone(), fourth.clone(), None)
        .await
        .unwrap();
    sdk.global_sign_out()
        .access_token(access.access_token().unwrap())
        .send()
        .await
        .unwrap();
    let refused = get_tokens(
        client_id.clone(),
        access.refresh_token().unwrap().to_owned(),
        None,
    )
    .await;
    assert_eq!(
        refused.unwrap_err(),
        (
            "NotAuthorizedException".to_owned(),
            "Refresh Token has been revoked".to_owned()
        )
    );
}

#[tokio::test]
async fn a_verified_software_token_is_asked_for_where_mfa_is_required() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b.mfa_configuration(UserPoolMfaType::Optional)).await;
    let client_id = client_of(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "tom", PASSWORD).await;
    let first = login(sdk, &client_id, "tom", None).await;
    let access = first
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    let secret = common::verified_totp(sdk, &access, Some("my phone")).await;
    // MFA becomes required: the verified token is asked for, not set up again.
    sdk.update_user_pool()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .unwrap();
    let challenged = login(sdk, &client_id, "tom", None).await;
    assert_eq!(
        challenged.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    assert_eq!(
        challenged
            .challenge_parameters()
            .unwrap()
            .get("FRIENDLY_DEVICE_NAME")
            .map(String::as_str),
        Some("my phone")
    );
    let answer = |session: &str, code: &str| {
        sdk.respond_to_auth_challenge()
            .client_id(&client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .set_challenge_responses(Some(params(&[
                ("USERNAME", "tom"),
                ("SOFTWARE_TOKEN_MFA_CODE", code),
            ])))
            .send()
    };
    let code = common::totp_code(&secret, 1);
    answer(challenged.session().unwrap(), &code).await.unwrap();
    // The same step again: AWS's answer for a replayed code.
    let again = login(sdk, &client_id, "tom", None).await;
    let (kind, message) = error_of(answer(again.session().unwrap(), &code).await.unwrap_err());
    assert_eq!(kind, "ExpiredCodeException");
    assert_eq!(message, "Your software token has already been used once.");
}

#[tokio::test]
async fn smaller_things_real_clients_tripped_on() {
    use aws_sdk_cognitoidentityprovider::types::{
        AccountRecoverySettingType, RecoveryOptionNameType, RecoveryOptionType,
    };
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;

    // Booleans in any case, kept lowercase.
    confirmed_user(sdk, &pool_id, "bo", PASSWORD).await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("bo")
        .user_attributes(attr("email_verified", "True"))
        .send()
        .await
        .unwrap();
    let got = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("bo")
        .send()
        .await
        .unwrap();
    let verified = got
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email_verified");
    assert_eq!(verified.and_then(|a| a.value()), Some("true"));

    // AdminResetUserPassword refuses a user with a temporary password, and a disabled one.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("fresh")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let reset = |name: &'static str| {
        sdk.admin_reset_user_password()
            .user_pool_id(&pool_id)
            .username(name)
            .send()
    };
    let (kind, message) = error_of(reset("fresh").await.unwrap_err());
    assert_eq!(
        (kind.as_str(), message.as_str()),
        (
            "NotAuthorizedException",
            "User password cannot be reset in the current state."
        )
    );
    sdk.admin_disable_user()
        .user_pool_id(&pool_id)
        .username("bo")
        .send()
        .await
        .unwrap();
    let (kind, message) = error_of(reset("bo").await.unwrap_err());
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("NotAuthorizedException", "User is disabled.")
    );

    // Recovery left to administrators: ForgotPassword is refused.
    let admin_only = AccountRecoverySettingType::builder()
        .recovery_mechanisms(
            RecoveryOptionType::builder()
                .name(RecoveryOptionNameType::AdminOnly)
                .priority(1)
                .build()
                .unwrap(),
        )
        .build();
    sdk.update_user_pool()
        .user_pool_id(&pool_id)
        .account_recovery_setting(admin_only)
        .send()
        .await
        .unwrap();
    confirmed_user(sdk, &pool_id, "cy", PASSWORD).await;
    let forgot = sdk
        .forgot_password()
        .client_id(&client_id)
        .username("cy")
        .send()
        .await;
    let (kind, message) = error_of(forgot.unwrap_err());
    assert_eq!(
        (kind.as_str(), message.as_str()),
        (
            "NotAuthorizedException",
            "Contact administrator to reset password."
        )
    );
}

#[tokio::test]
async fn describe_user_pool_shows_the_services_defaults() {
    use aws_sdk_cognitoidentityprovider::types::{DefaultEmailOptionType, EmailSendingAccountType};
    let local = start().await;
    let sdk = &local.sdk;
    let plain = pool_with(sdk, |b| b).await;
    let described = sdk
        .describe_user_pool()
        .user_pool_id(&plain)
        .send()
        .await
        .unwrap();
    let pool = described.user_pool().unwrap();
    assert_eq!(
        pool.email_configuration()
            .and_then(|e| e.email_sending_account()),
        Some(&EmailSendingAccountType::CognitoDefault)
    );
    assert_eq!(
        pool.verification_message_template()
            .and_then(|t| t.default_email_option()),
        Some(&DefaultEmailOptionType::ConfirmWithCode)
    );
    // A message given one way shows both ways.
    let messages = pool_with(sdk, |b| {
        b.email_verification_message("Your code is {####}")
            .email_verification_subject("Welcome")
            .sms_verification_message("Code {####}")
    })
    .await;
    let described = sdk
        .describe_user_pool()
        .user_pool_id(&messages)
        .send()
        .await
        .unwrap();
    let template = described
        .user_pool()
        .unwrap()
        .verification_message_template()
        .unwrap()
        .clone();
    assert_eq!(template.email_message(), Some("Your code is {####}"));
    assert_eq!(template.email_subject(), Some("Welcome"));
    assert_eq!(template.sms_message(), Some("Code {####}"));
}

#[tokio::test]
async fn an_invitation_by_sms_to_a_user_without_a_phone_is_visibly_not_delivered() {
    let local = start().await;
    let sdk = &local.sdk;
    let url = local.server.url();
    let pool_id = pool_with(sdk, |b| b).await;
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("ed")
        .user_attributes(attr("email", "ed@example.com"))
        .send()
        .await
        .unwrap();
    let messages = common::messages(&url, &pool_id, "ed").await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["medium"], "SMS");
    assert_eq!(messages[0]["destination"], "");
    assert!(
        messages[0]["code"].is_null(),
        "nothing was sent: no password kept"
    );
    let text = messages[0]["body"].as_str().unwrap();
    assert!(
        text.starts_with("Not delivered: the user has no phone_number"),
        "{text}"
    );
    assert!(text.contains("pass EMAIL"), "{text}");
}

#[tokio::test]
async fn pools_are_tagged_by_arn() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b.user_pool_tags("team", "auth")).await;
    let described = sdk
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let arn = described.user_pool().unwrap().arn().unwrap().to_owned();
    let listed = |arn: String| async move {
        sdk.list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map(|o| {
                let mut tags: Vec<(String, String)> =
                    o.tags().cloned().unwrap_or_default().into_iter().collect();
                tags.sort();
                tags
            })
    };
    assert_eq!(
        listed(arn.clone()).await.unwrap(),
        vec![("team".into(), "auth".into())]
    );
    sdk.tag_resource()
        .resource_arn(&arn)
        .tags("env", "dev")
        .tags("team", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed(arn.clone()).await.unwrap(),
        vec![
            ("env".into(), "dev".into()),
            ("team".into(), "identity".into())
        ]
    );
    // UpdateUserPool without UserPoolTags keeps them.
    sdk.update_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    sdk.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed(arn.clone()).await.unwrap(),
        vec![("env".into(), "dev".into())]
    );
    let missing = arn.replace(&pool_id, "us-east-1_NoSuchPool");
    let (kind, _) = error_of(listed(missing).await.unwrap_err());
    assert_eq!(kind, "ResourceNotFoundException");
    let mut many = sdk.tag_resource().resource_arn(&arn);
    for i in 0..50 {
        many = many.tags(format!("k{i}"), "v");
    }
    assert_eq!(
        error_of(many.send().await.unwrap_err()).0,
        "InvalidParameterException"
    );
}

#[tokio::test]
async fn the_hosted_ui_is_customized_per_pool_and_per_client() {
    use aws_sdk_cognitoidentityprovider::primitives::Blob;
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    let empty = sdk
        .get_ui_customization()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert!(
        empty
            .ui_customization()
            .and_then(|u| u.client_id())
            .is_none(),
        "nothing set yet"
    );

    let logo = b"\x89PNG\r\n\x1a\n-a-tiny-logo".to_vec();
    let pool_wide = sdk
        .set_ui_customization()
        .user_pool_id(&pool_id)
        .css(".banner { color: red; }")
        .image_file(Blob::new(logo.clone()))
        .send()
        .await
        .unwrap();
    let pool_wide = pool_wide.ui_customization().unwrap();
    assert_eq!(pool_wide.client_id(), Some("ALL"));
    let url = pool_wide.image_url().unwrap().to_owned();
    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), logo);

    // A client without its own gets the pool's; with its own, its own.
    let got = sdk
        .get_ui_customization()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.ui_customization().unwrap().css(),
        Some(".banner { color: red; }")
    );
    sdk.set_ui_customization()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .css(".banner { color: blue; }")
        .send()
        .await
        .unwrap();
    let got = sdk
        .get_ui_customization()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    let own = got.ui_customization().unwrap();
    assert_eq!(
        (own.client_id(), own.css()),
        (Some(client_id.as_str()), Some(".banner { color: blue; }"))
    );
    assert!(own.image_url().is_none());

    let unknown = sdk
        .get_ui_customization()
        .user_pool_id(&pool_id)
        .client_id("nosuchclient1234")
        .send()
        .await;
    assert_eq!(
        error_of(unknown.unwrap_err()).0,
        "ResourceNotFoundException"
    );
}
