//! Threat protection's adaptive authentication through the AWS SDK for Rust: risky
//! sign-ins (a new address or device, compared with the user's earlier sign-ins) get
//! the configured action (block, MFA, nothing), the notification email carries a
//! feedback token, and UpdateAuthEventFeedback (or the email's link) takes it.

mod common;

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AccountTakeoverActionType, AccountTakeoverActionsType,
    AccountTakeoverEventActionType as Action, AccountTakeoverRiskConfigurationType,
    AdvancedSecurityModeType, AuthFlowType, ChallengeNameType, ContextDataType, EventResponseType,
    FeedbackValueType, NotifyConfigurationType, NotifyEmailType, RiskDecisionType,
    RiskExceptionConfigurationType, RiskLevelType, SoftwareTokenMfaSettingsType,
    UserPoolAddOnsType,
};
use common::{confirmed_user, error_of, messages, params, pool_with, start, totp_code};

const PASSWORD: &str = "Passw0rd-Ann1";

/// A client that allows the admin password flow (whose ContextData names the address).
async fn admin_client(sdk: &cip::Client, pool_id: &str) -> String {
    sdk.create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("app")
        .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(cip::types::ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned()
}

fn action(notify: bool, event_action: Action) -> AccountTakeoverActionType {
    AccountTakeoverActionType::builder()
        .notify(notify)
        .event_action(event_action)
        .build()
        .unwrap()
}

async fn enforce(sdk: &cip::Client, pool_id: &str, mode: AdvancedSecurityModeType) {
    sdk.update_user_pool()
        .user_pool_id(pool_id)
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(mode)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// Low: allowed, announced; Medium: MFA if configured, announced; High: blocked,
/// announced. The no-action email has its own template.
async fn configure(
    sdk: &cip::Client,
    pool_id: &str,
    exceptions: Option<RiskExceptionConfigurationType>,
) {
    let email = NotifyEmailType::builder()
        .subject("Was this you?")
        .text_body("Hello {username}, a sign-in from {ip-address}. Yes: {one-click-link-valid} No: {one-click-link-invalid}")
        .build()
        .unwrap();
    sdk.set_risk_configuration()
        .user_pool_id(pool_id)
        .account_takeover_risk_configuration(
            AccountTakeoverRiskConfigurationType::builder()
                .notify_configuration(
                    NotifyConfigurationType::builder()
                        .source_arn(
                            "arn:aws:ses:us-east-1:123456789012:identity/security@example.com",
                        )
                        .from("security@example.com")
                        .no_action_email(email)
                        .build()
                        .unwrap(),
                )
                .actions(
                    AccountTakeoverActionsType::builder()
                        .low_action(action(true, Action::NoAction))
                        .medium_action(action(true, Action::MfaIfConfigured))
                        .high_action(action(true, Action::Block))
                        .build(),
                )
                .build(),
        )
        .set_risk_exception_configuration(exceptions)
        .send()
        .await
        .unwrap();
}

fn from(ip: &str) -> ContextDataType {
    ContextDataType::builder()
        .ip_address(ip)
        .server_name("app.example.com")
        .server_path("/login")
        .set_http_headers(Some(vec![]))
        .build()
        .unwrap()
}

async fn sign_in(
    sdk: &cip::Client,
    pool_id: &str,
    client_id: &str,
    ip: &str,
) -> Result<cip::operation::admin_initiate_auth::AdminInitiateAuthOutput, String> {
    sdk.admin_initiate_auth()
        .user_pool_id(pool_id)
        .client_id(client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", "ann"), ("PASSWORD", PASSWORD)])))
        .context_data(from(ip))
        .send()
        .await
        .map_err(|e| {
            let (code, message) = error_of(e);
            format!("{code}: {message}")
        })
}

/// Threat protection's notices to ann: `(text, feedback token)`, oldest first.
async fn notices(url: &str, pool_id: &str) -> Vec<(String, String)> {
    messages(url, pool_id, "ann")
        .await
        .iter()
        .filter(|m| m["purpose"] == "risk_notification")
        .map(|m| {
            (
                m["body"].as_str().unwrap().to_owned(),
                m["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn events(sdk: &cip::Client, pool_id: &str) -> Vec<cip::types::AuthEventType> {
    sdk.admin_list_user_auth_events()
        .user_pool_id(pool_id)
        .username("ann")
        .send()
        .await
        .unwrap()
        .auth_events()
        .to_vec()
}

#[tokio::test]
async fn risky_sign_ins_are_blocked_or_announced_and_take_the_users_feedback() {
    let local = start().await;
    let sdk = &local.sdk;
    let url = local.server.url();
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = admin_client(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "ann", PASSWORD).await;
    enforce(sdk, &pool_id, AdvancedSecurityModeType::Enforced).await;
    configure(sdk, &pool_id, None).await;

    // The first sign-in, and another from the same place: no risk.
    sign_in(sdk, &pool_id, &client_id, "10.0.0.1")
        .await
        .unwrap();
    sign_in(sdk, &pool_id, &client_id, "10.0.0.1")
        .await
        .unwrap();
    let seen = events(sdk, &pool_id).await;
    assert_eq!(seen.len(), 2);
    let risk = seen[0].event_risk().unwrap();
    assert_eq!(risk.risk_decision(), Some(&RiskDecisionType::NoRisk));
    assert!(risk.risk_level().is_none());
    assert!(notices(&url, &pool_id).await.is_empty());

    // A new address from the same SDK: Medium, MFA if configured (ann has none, so
    // allowed), and a notice with the pool's no-action template.
    let out = sign_in(sdk, &pool_id, &client_id, "203.0.113.7")
        .await
        .unwrap();
    assert!(out.authentication_result().is_some());
    let seen = events(sdk, &pool_id).await;
    assert_eq!(seen.len(), 3);
    let medium = &seen[0];
    assert_eq!(medium.event_response(), Some(&EventResponseType::Pass));
    let risk = medium.event_risk().unwrap();
    assert_eq!(risk.risk_level(), Some(&RiskLevelType::Medium));
    assert_eq!(
        risk.risk_decision(),
        Some(&RiskDecisionType::AccountTakeover)
    );
    assert_eq!(
        medium.event_context_data().unwrap().ip_address(),
        Some("203.0.113.7")
    );
    let sent = notices(&url, &pool_id).await;
    assert_eq!(sent.len(), 1);
    let (body, token) = sent[0].clone();
    assert!(
        body.starts_with("Was this you?\n\nHello ann, a sign-in from 203.0.113.7."),
        "{body}"
    );

    // The user says it was not them, through the API: a wrong token is refused, the
    // right one recorded with the user as provider.
    let feedback = |token: &str, event: &str, username: &str| {
        sdk.update_auth_event_feedback()
            .user_pool_id(&pool_id)
            .username(username)
            .event_id(event)
            .feedback_token(token)
            .feedback_value(FeedbackValueType::Invalid)
            .send()
    };
    let event_id = medium.event_id().unwrap();
    for (token, event, username) in [
        ("not-the-token", event_id, "ann"),
        (token.as_str(), seen[1].event_id().unwrap(), "ann"),
        (token.as_str(), event_id, "nobody"),
    ] {
        let (code, message) = error_of(feedback(token, event, username).await.unwrap_err());
        assert_eq!(code, "NotAuthorizedException", "{message}");
    }
    feedback(&token, event_id, "ann").await.unwrap();
    let given = events(sdk, &pool_id).await[0]
        .event_feedback()
        .cloned()
        .unwrap();
    assert_eq!(given.feedback_value(), &FeedbackValueType::Invalid);
    assert_eq!(given.provider(), "User");

    // A new address and a new device (plain HTTP, no SDK user agent): High, blocked,
    // announced; the notice's "it was me" link records Valid.
    let http = reqwest::Client::new();
    let (status, body) = common::signed_call(
        &http,
        &url,
        "AdminInitiateAuth",
        &serde_json::json!({
            "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "ann", "PASSWORD": PASSWORD},
            "ContextData": {"IpAddress": "198.51.100.9", "ServerName": "s", "ServerPath": "/", "HttpHeaders": []},
        }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "NotAuthorizedException");
    assert_eq!(
        body["message"],
        "Unable to login because of security reasons."
    );
    let high = events(sdk, &pool_id).await[0].clone();
    assert_eq!(high.event_response(), Some(&EventResponseType::Fail));
    let risk = high.event_risk().unwrap();
    assert_eq!(risk.risk_level(), Some(&RiskLevelType::High));
    assert_eq!(risk.risk_decision(), Some(&RiskDecisionType::Block));
    let sent = notices(&url, &pool_id).await;
    let body = &sent.last().unwrap().0;
    assert!(body.starts_with("Blocked sign-in attempt"), "{body}");
    let link = body
        .split_whitespace()
        .find(|word| word.contains("feedback_value=Valid"))
        .unwrap();
    assert!(link.starts_with(&format!("{url}/_local/feedback/{pool_id}?")));
    let page = reqwest::get(link).await.unwrap();
    assert_eq!(page.status(), 200);
    let given = events(sdk, &pool_id).await[0]
        .event_feedback()
        .cloned()
        .unwrap();
    assert_eq!(given.feedback_value(), &FeedbackValueType::Valid);
    assert_eq!(given.provider(), "User");
    // A forged link records nothing.
    let forged = link.replace("feedback_token=", "feedback_token=x");
    assert_eq!(reqwest::get(&forged).await.unwrap().status(), 400);

    // A new device only (the same address as before): Low, allowed, announced.
    let (status, _) = common::signed_call(
        &http,
        &url,
        "AdminInitiateAuth",
        &serde_json::json!({
            "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "ann", "PASSWORD": PASSWORD},
            "ContextData": {"IpAddress": "10.0.0.1", "ServerName": "s", "ServerPath": "/", "HttpHeaders": []},
        }),
    )
    .await;
    assert_eq!(status, 200);
    let low = events(sdk, &pool_id).await[0].clone();
    assert_eq!(
        low.event_risk().unwrap().risk_level(),
        Some(&RiskLevelType::Low)
    );
    let body = notices(&url, &pool_id).await.last().unwrap().0.clone();
    assert!(body.contains("a sign-in from 10.0.0.1."), "{body}");

    // Exceptions: a skipped range is never assessed, a blocked one always refused.
    configure(
        sdk,
        &pool_id,
        Some(
            RiskExceptionConfigurationType::builder()
                .skipped_ip_range_list("192.0.2.0/24")
                .blocked_ip_range_list("10.9.0.0/16")
                .build(),
        ),
    )
    .await;
    let before = notices(&url, &pool_id).await.len();
    sign_in(sdk, &pool_id, &client_id, "192.0.2.44")
        .await
        .unwrap();
    assert_eq!(notices(&url, &pool_id).await.len(), before);
    let refused = sign_in(sdk, &pool_id, &client_id, "10.0.0.1").await;
    assert!(refused.is_ok(), "a known place is not blocked: {refused:?}");
    let refused = sign_in(sdk, &pool_id, &client_id, "10.9.3.4")
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        "NotAuthorizedException: Unable to login because of security reasons."
    );
    let listed = &events(sdk, &pool_id).await[0];
    assert_eq!(
        listed.event_risk().unwrap().risk_decision(),
        Some(&RiskDecisionType::Block)
    );
    assert!(listed.event_risk().unwrap().risk_level().is_none());

    // AUDIT: the same blocked range is recorded, and let through.
    enforce(sdk, &pool_id, AdvancedSecurityModeType::Audit).await;
    let before = notices(&url, &pool_id).await.len();
    sign_in(sdk, &pool_id, &client_id, "10.9.3.4")
        .await
        .unwrap();
    let audited = &events(sdk, &pool_id).await[0];
    assert_eq!(audited.event_response(), Some(&EventResponseType::Pass));
    assert_eq!(
        audited.event_risk().unwrap().risk_decision(),
        Some(&RiskDecisionType::Block)
    );
    assert_eq!(notices(&url, &pool_id).await.len(), before);
}

#[tokio::test]
async fn a_risky_sign_in_of_a_user_with_mfa_answers_a_challenge_even_in_a_pool_without_mfa() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = admin_client(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "ann", PASSWORD).await;
    enforce(sdk, &pool_id, AdvancedSecurityModeType::Enforced).await;
    configure(sdk, &pool_id, None).await;

    let first = sign_in(sdk, &pool_id, &client_id, "10.0.0.1")
        .await
        .unwrap();
    let access = first
        .authentication_result()
        .unwrap()
        .access_token()
        .unwrap();
    let secret = common::verified_totp(sdk, access, None).await;
    sdk.set_user_mfa_preference()
        .access_token(access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // The pool's MFA is OFF: a sign-in from a known place gets tokens at once.
    let known = sign_in(sdk, &pool_id, &client_id, "10.0.0.1")
        .await
        .unwrap();
    assert!(known.authentication_result().is_some());

    // From a new address (Medium: MFA if configured): a challenge, then tokens; the
    // event in progress passes.
    let risky = sign_in(sdk, &pool_id, &client_id, "203.0.113.7")
        .await
        .unwrap();
    assert_eq!(
        risky.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    let pending = events(sdk, &pool_id).await[0].clone();
    assert_eq!(
        pending.event_response(),
        Some(&EventResponseType::InProgress)
    );
    let answered = sdk
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(risky.session().unwrap())
        .set_challenge_responses(Some(params(&[
            ("USERNAME", "ann"),
            ("SOFTWARE_TOKEN_MFA_CODE", &totp_code(&secret, 1)),
        ])))
        .send()
        .await
        .unwrap();
    assert!(answered.authentication_result().is_some());
    let seen = events(sdk, &pool_id).await;
    assert_eq!(seen[0].event_id(), pending.event_id());
    assert_eq!(seen[0].event_response(), Some(&EventResponseType::Pass));
    assert_eq!(
        seen[0].event_risk().unwrap().risk_level(),
        Some(&RiskLevelType::Medium)
    );
}
