//! What an attacker on 127.0.0.1 tries, refused: tokens of deleted users, MFA codes
//! guessed without limit, users told apart by their answers, storage grown by
//! unauthenticated requests. Through the official AWS SDK for Rust.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ExplicitAuthFlowsType, MessageActionType,
};
use aws_sdk_cognitoidentityprovider::types::{ChallengeNameType, UserPoolMfaType};
use cognito_local::{ManualClock, RunningServer, Server};
use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
use common::{attr, error_of, last_code, pool_with, sdk};
use std::time::{Duration, SystemTime};

/// A server on a clock the test moves, and an SDK client for it.
struct Local {
    server: RunningServer,
    sdk: Client,
    clock: ManualClock,
}

async fn start() -> Local {
    let clock = ManualClock::at(SystemTime::now());
    let server = Server::builder()
        .in_memory()
        .clock(clock.clone())
        .start()
        .await
        .expect("server starts");
    let sdk = sdk(&server.url(), "us-east-1");
    Local { server, sdk, clock }
}

const PASSWORD: &str = "Correct-Horse-1";

/// A pool's app client that allows passwords, SRP and refresh.
async fn client_of(sdk: &Client, pool_id: &str) -> String {
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned()
}

/// A confirmed user with [`PASSWORD`].
async fn user(sdk: &Client, pool_id: &str, name: &str) {
    sdk.admin_create_user()
        .user_pool_id(pool_id)
        .username(name)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", &format!("{name}@example.com")))
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(pool_id)
        .username(name)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
}

fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn password_login(
    sdk: &Client,
    client_id: &str,
    name: &str,
    password: &str,
) -> Result<AuthenticationResultType, (String, String)> {
    let out = sdk
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", name), ("PASSWORD", password)])))
        .send()
        .await
        .map_err(error_of)?;
    Ok(out.authentication_result().unwrap().clone())
}

async fn refresh(sdk: &Client, client_id: &str, token: &str) -> Result<(), (String, String)> {
    sdk.initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .set_auth_parameters(Some(params(&[("REFRESH_TOKEN", token)])))
        .send()
        .await
        .map(|_| ())
        .map_err(error_of)
}

/// Every way an access token comes back to the API: all must refuse `token`.
async fn access_refused(sdk: &Client, token: &str) {
    let get = sdk.get_user().access_token(token).send().await;
    assert_eq!(error_of(get.unwrap_err()).0, "NotAuthorizedException");
    let update = sdk
        .update_user_attributes()
        .access_token(token)
        .user_attributes(attr("name", "Mallory"))
        .send()
        .await;
    assert_eq!(error_of(update.unwrap_err()).0, "NotAuthorizedException");
    let sign_out = sdk.global_sign_out().access_token(token).send().await;
    assert_eq!(error_of(sign_out.unwrap_err()).0, "NotAuthorizedException");
}

#[tokio::test]
async fn tokens_die_with_their_user_and_do_not_pass_to_a_namesake() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;

    // Deleted by an administrator, then created again under the same name.
    user(sdk, &pool_id, "eve").await;
    let old = password_login(sdk, &client_id, "eve", PASSWORD)
        .await
        .unwrap();
    sdk.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("eve")
        .send()
        .await
        .unwrap();
    user(sdk, &pool_id, "eve").await;
    let (kind, message) = refresh(sdk, &client_id, old.refresh_token().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );
    access_refused(sdk, old.access_token().unwrap()).await;
    // The new eve is untouched by all that, and her own tokens work.
    let new = password_login(sdk, &client_id, "eve", PASSWORD)
        .await
        .unwrap();
    let me = sdk
        .get_user()
        .access_token(new.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        me.user_attributes()
            .iter()
            .all(|a| a.value() != Some("Mallory"))
    );
    refresh(sdk, &client_id, new.refresh_token().unwrap())
        .await
        .unwrap();

    // Deleted by herself: every sign-in of hers goes, not only the one that asked.
    let other = password_login(sdk, &client_id, "eve", PASSWORD)
        .await
        .unwrap();
    sdk.delete_user()
        .access_token(new.access_token().unwrap())
        .send()
        .await
        .unwrap();
    user(sdk, &pool_id, "eve").await;
    for sign_in in [&new, &other] {
        assert!(
            refresh(sdk, &client_id, sign_in.refresh_token().unwrap())
                .await
                .is_err()
        );
        access_refused(sdk, sign_in.access_token().unwrap()).await;
    }
}

/// An SMS_MFA challenge for `name`: its session.
async fn sms_challenge(
    sdk: &Client,
    client_id: &str,
    name: &str,
) -> Result<String, (String, String)> {
    let out = sdk
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", name), ("PASSWORD", PASSWORD)])))
        .send()
        .await
        .map_err(error_of)?;
    assert_eq!(out.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    Ok(out.session().unwrap().to_owned())
}

async fn answer_sms(
    sdk: &Client,
    client_id: &str,
    name: &str,
    session: &str,
    code: &str,
) -> Result<(), (String, String)> {
    sdk.respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::SmsMfa)
        .session(session)
        .set_challenge_responses(Some(params(&[("USERNAME", name), ("SMS_MFA_CODE", code)])))
        .send()
        .await
        .map(|_| ())
        .map_err(error_of)
}

fn wrong(code: &str) -> String {
    let digit = if code.starts_with('0') { '1' } else { '0' };
    std::iter::once(digit).chain(code.chars().skip(1)).collect()
}

#[tokio::test]
async fn wrong_mfa_codes_end_the_session_and_count_toward_the_lockout() {
    let local = start().await;
    let sdk = &local.sdk;
    let url = local.server.url();
    let pool_id = pool_with(sdk, |b| b.mfa_configuration(UserPoolMfaType::On)).await;
    let client_id = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "max").await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("max")
        .user_attributes(attr("phone_number", "+15555550123"))
        .send()
        .await
        .unwrap();

    // Three wrong codes and the session is gone, even for the right code.
    let session = sms_challenge(sdk, &client_id, "max").await.unwrap();
    let code = last_code(&url, &pool_id, "max").await;
    for _ in 0..3 {
        let (kind, _) = answer_sms(sdk, &client_id, "max", &session, &wrong(&code))
            .await
            .unwrap_err();
        assert_eq!(kind, "CodeMismatchException");
    }
    let (kind, message) = answer_sms(sdk, &client_id, "max", &session, &code)
        .await
        .unwrap_err();
    assert_eq!(kind, "NotAuthorizedException");
    assert_eq!(message, "Invalid session for the user, session is expired.");

    // The right password did not forget those three: two more wrong codes lock max out.
    let session = sms_challenge(sdk, &client_id, "max").await.unwrap();
    let code = last_code(&url, &pool_id, "max").await;
    let first = answer_sms(sdk, &client_id, "max", &session, &wrong(&code)).await;
    assert_eq!(first.unwrap_err().0, "CodeMismatchException");
    let fifth = answer_sms(sdk, &client_id, "max", &session, &wrong(&code)).await;
    assert_eq!(
        fifth.unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Password attempts exceeded".into()
        )
    );
    // Locked out: the right code no longer counts, and the password is refused.
    let right = answer_sms(sdk, &client_id, "max", &session, &code).await;
    assert_eq!(right.unwrap_err().1, "Password attempts exceeded");
    let again = sms_challenge(sdk, &client_id, "max").await;
    assert_eq!(again.unwrap_err().1, "Password attempts exceeded");

    // After the lockout, a full sign-in (password and code) forgets every failure.
    local.clock.advance(Duration::from_secs(2));
    let session = sms_challenge(sdk, &client_id, "max").await.unwrap();
    let code = last_code(&url, &pool_id, "max").await;
    answer_sms(sdk, &client_id, "max", &session, &code)
        .await
        .unwrap();
    for _ in 0..4 {
        let out = password_login(sdk, &client_id, "max", "Wrong-Horse-1").await;
        assert_eq!(out.unwrap_err().1, "Incorrect username or password.");
    }
}

#[tokio::test]
async fn failed_sign_ins_are_forgotten_after_fifteen_idle_minutes() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "ned").await;
    for _ in 0..4 {
        let out = password_login(sdk, &client_id, "ned", "Wrong-Horse-1").await;
        assert_eq!(out.unwrap_err().1, "Incorrect username or password.");
    }
    local.clock.advance(Duration::from_secs(15 * 60));
    for _ in 0..4 {
        let out = password_login(sdk, &client_id, "ned", "Wrong-Horse-1").await;
        assert_eq!(out.unwrap_err().1, "Incorrect username or password.");
    }
    // Without the idle time, the fifth in a row locks out.
    let out = password_login(sdk, &client_id, "ned", "Wrong-Horse-1").await;
    assert_eq!(out.unwrap_err().1, "Password attempts exceeded");
}

#[tokio::test]
async fn change_password_counts_wrong_previous_passwords() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "oz").await;
    let signed_in = password_login(sdk, &client_id, "oz", PASSWORD)
        .await
        .unwrap();
    let change = |previous: &'static str| {
        sdk.change_password()
            .access_token(signed_in.access_token().unwrap())
            .previous_password(previous)
            .proposed_password("Another-Horse-2")
            .send()
    };
    for _ in 0..4 {
        let (kind, _) = error_of(change("Wrong-Horse-1").await.unwrap_err());
        assert_eq!(kind, "NotAuthorizedException");
    }
    let limit = (
        "LimitExceededException".to_owned(),
        "Attempt limit exceeded, please try after some time.".to_owned(),
    );
    assert_eq!(error_of(change("Wrong-Horse-1").await.unwrap_err()), limit);
    // The right one waits for the lockout too, and so does signing in.
    assert_eq!(error_of(change(PASSWORD).await.unwrap_err()), limit);
    let out = password_login(sdk, &client_id, "oz", PASSWORD).await;
    assert_eq!(out.unwrap_err().1, "Password attempts exceeded");
    local.clock.advance(Duration::from_secs(2));
    change(PASSWORD).await.unwrap();
}

async fn srp_start(
    sdk: &Client,
    client_id: &str,
    name: &str,
    srp_a: &str,
) -> Result<HashMap<String, String>, (String, String)> {
    let out = sdk
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", name), ("SRP_A", srp_a)])))
        .send()
        .await
        .map_err(error_of)?;
    Ok(out.challenge_parameters().unwrap().clone())
}

#[tokio::test]
async fn srp_a_is_checked_before_anything_is_kept_for_known_and_unknown_users() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "pam").await;
    let n = cognito_srp::N_HEX;
    let too_long = "1".repeat(100_000);
    let two_n = format!("{n}0"); // 16·N: wider than the group
    for name in ["pam", "nobody"] {
        for bad in ["", "zz", "0x12", "0", n, &two_n, &too_long] {
            let (kind, _) = srp_start(sdk, &client_id, name, bad).await.unwrap_err();
            assert_eq!(kind, "InvalidParameterException", "SRP_A {:.20}", bad);
        }
        let zero = srp_start(sdk, &client_id, name, "000").await.unwrap_err();
        assert_eq!(zero.1, "SRP_A cannot be 0 mod N.");
    }
    let good = ClientEphemeral::generate(&mut rand::rng());
    srp_start(sdk, &client_id, "pam", &good.srp_a())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_answer_from_another_client_leaves_the_session_to_its_own() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    let other_client = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "quinn").await;
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let challenge = srp_start(sdk, &client_id, "quinn", &ephemeral.srp_a())
        .await
        .unwrap();
    let challenge = VerifierChallenge::from_parameters(&challenge).unwrap();
    let pool = PoolId::parse(&pool_id).unwrap();
    let answer = ephemeral
        .password_claim(&pool, PASSWORD, &challenge, Timestamp::now())
        .unwrap()
        .into_map();
    let respond = |client: &str| {
        sdk.respond_to_auth_challenge()
            .client_id(client)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .set_challenge_responses(Some(answer.clone()))
            .send()
    };
    let (kind, _) = error_of(respond(&other_client).await.unwrap_err());
    assert_eq!(kind, "NotAuthorizedException");
    let out = respond(&client_id).await.unwrap();
    assert!(out.authentication_result().is_some());
}
