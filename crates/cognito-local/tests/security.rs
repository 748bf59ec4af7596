//! What an attacker on 127.0.0.1 tries, refused: tokens of deleted users, MFA codes
//! guessed without limit, users told apart by their answers, storage grown by
//! unauthenticated requests. Through the official AWS SDK for Rust.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ExplicitAuthFlowsType, MessageActionType,
};
use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, PreventUserExistenceErrorTypes, UserPoolMfaType,
};
use cognito_local::{ManualClock, RunningServer, Server};
use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
use common::{attr, error_of, last_code, params, pool_with, sdk};
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

async fn client_of(sdk: &Client, pool_id: &str) -> String {
    common::app_client(sdk, pool_id).await
}

/// A confirmed user with [`PASSWORD`].
async fn user(sdk: &Client, pool_id: &str, name: &str) {
    common::confirmed_user(sdk, pool_id, name, PASSWORD).await;
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

/// A pool whose app client prevents user existence errors: its id and the client's.
async fn hiding_pool(
    sdk: &Client,
    build: impl FnOnce(
        aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    ) -> aws_sdk_cognitoidentityprovider::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
) -> (String, String) {
    let pool_id = pool_with(sdk, build).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    let client_id = client.user_pool_client().unwrap().client_id().unwrap();
    (pool_id, client_id.to_owned())
}

/// The PASSWORD_VERIFIER answer to a challenge, for `password`.
fn srp_answer(
    pool_id: &str,
    ephemeral: &ClientEphemeral,
    challenge: &HashMap<String, String>,
    password: &str,
) -> HashMap<String, String> {
    let challenge = VerifierChallenge::from_parameters(challenge).unwrap();
    let pool = PoolId::parse(pool_id).unwrap();
    ephemeral
        .password_claim(&pool, password, &challenge, Timestamp::now())
        .unwrap()
        .into_map()
}

async fn verify(
    sdk: &Client,
    client_id: &str,
    answer: &HashMap<String, String>,
) -> Result<(), (String, String)> {
    sdk.respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_challenge_responses(Some(answer.clone()))
        .send()
        .await
        .map(|_| ())
        .map_err(error_of)
}

/// What an attacker sees of a name over two SRP sign-ins with a wrong password: the
/// two challenges (less their random parts), the answers, and a replayed answer.
async fn srp_probe(sdk: &Client, pool_id: &str, client_id: &str, name: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut first_salt = None;
    for _ in 0..2 {
        let ephemeral = ClientEphemeral::generate(&mut rand::rng());
        let challenge = srp_start(sdk, client_id, name, &ephemeral.srp_a())
            .await
            .unwrap();
        let salt = challenge["SALT"].clone();
        assert!(
            salt.len() <= 32 && salt.chars().all(|c| c.is_ascii_hexdigit()),
            "{salt}"
        );
        // Stable for the name, as a stored salt is.
        assert_eq!(first_salt.get_or_insert_with(|| salt.clone()), &salt);
        assert_eq!(challenge["SECRET_BLOCK"].len(), 172);
        let mut keys: Vec<&String> = challenge.keys().collect();
        keys.sort();
        seen.push(format!("{keys:?}"));
        seen.push(format!(
            "{}",
            challenge["USER_ID_FOR_SRP"] == name.to_lowercase()
        ));
        let mut answer = srp_answer(pool_id, &ephemeral, &challenge, "Wrong-Horse-1");
        // A parameter missing: refused before the session is touched.
        let mut partial = answer.clone();
        partial.remove("TIMESTAMP");
        partial.remove("PASSWORD_CLAIM_SIGNATURE");
        seen.push(format!("{:?}", verify(sdk, client_id, &partial).await));
        // USERNAME serves SECRET_HASH only: any name gets the same answer.
        answer.insert("USERNAME".into(), "someone-else".into());
        seen.push(format!("{:?}", verify(sdk, client_id, &answer).await));
        seen.push(format!("{:?}", verify(sdk, client_id, &answer).await));
    }
    seen
}

#[tokio::test]
async fn unknown_users_look_like_real_ones_with_a_wrong_password() {
    let local = start().await;
    let sdk = &local.sdk;
    let (pool_id, client_id) = hiding_pool(sdk, |b| {
        b.username_configuration(
            aws_sdk_cognitoidentityprovider::types::UsernameConfigurationType::builder()
                .case_sensitive(false)
                .build()
                .unwrap(),
        )
    })
    .await;
    user(sdk, &pool_id, "rita").await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("rita")
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();

    // SRP: stable salts, the same identifier rule, the same answers and replays.
    let real = srp_probe(sdk, &pool_id, &client_id, "Rita").await;
    let ghost = srp_probe(sdk, &pool_id, &client_id, "Ghost").await;
    assert_eq!(real, ghost);
    assert_eq!(
        real[1], "true",
        "USER_ID_FOR_SRP as the pool stores the name"
    );
    assert!(real[2].contains("Missing required parameter"), "{real:?}");
    assert!(
        real[3].contains("Incorrect username or password."),
        "{real:?}"
    );
    assert!(real[4].contains("session is expired"), "{real:?}");

    // Five failures (two above, three here) lock out both, with the same messages.
    for name in ["rita", "ghost"] {
        for _ in 0..2 {
            let out = password_login(sdk, &client_id, name, "Wrong-Horse-1").await;
            assert_eq!(
                out.unwrap_err().1,
                "Incorrect username or password.",
                "{name}"
            );
        }
        let out = password_login(sdk, &client_id, name, "Wrong-Horse-1").await;
        assert_eq!(out.unwrap_err().1, "Password attempts exceeded", "{name}");
        let ephemeral = ClientEphemeral::generate(&mut rand::rng());
        let out = srp_start(sdk, &client_id, name, &ephemeral.srp_a()).await;
        assert_eq!(out.unwrap_err().1, "Password attempts exceeded", "{name}");
    }

    // ForgotPassword: a destination of the same shape, the same on every request.
    let forgot = |name: &'static str| {
        let sdk = sdk.clone();
        let client_id = client_id.clone();
        async move {
            let out = sdk
                .forgot_password()
                .client_id(client_id)
                .username(name)
                .send()
                .await
                .unwrap();
            let details = out.code_delivery_details().unwrap().clone();
            (
                details.delivery_medium().unwrap().as_str().to_owned(),
                details.destination().unwrap().to_owned(),
            )
        }
    };
    let (medium, destination) = forgot("ghost").await;
    assert_eq!(forgot("ghost").await, (medium.clone(), destination.clone()));
    let (real_medium, real_destination) = forgot("rita").await;
    assert_eq!(medium, real_medium);
    let shape = |d: &str| {
        d.chars()
            .map(|c| if c.is_ascii_lowercase() { 'x' } else { c })
            .collect::<String>()
    };
    assert_eq!(shape(&destination), shape(&real_destination));
    assert_eq!(shape(&destination), "x***@x***");

    // Wrong reset codes, with none pending for the real user: the same five answers.
    let mut answers = Vec::new();
    for name in ["rita", "ghost"] {
        for _ in 0..5 {
            let out = sdk
                .confirm_forgot_password()
                .client_id(&client_id)
                .username(name)
                .confirmation_code("000000")
                .password(PASSWORD)
                .send()
                .await;
            answers.push((name, error_of(out.unwrap_err()).0));
        }
    }
    let kinds = |who: &str| -> Vec<String> {
        answers
            .iter()
            .filter(|(n, _)| *n == who)
            .map(|(_, k)| k.clone())
            .collect()
    };
    assert_eq!(kinds("rita"), kinds("ghost"));
    assert_eq!(
        kinds("ghost").last().map(String::as_str),
        Some("LimitExceededException")
    );
}

#[tokio::test]
async fn unknown_names_in_email_pools_get_a_sub_shaped_user_id() {
    let local = start().await;
    let sdk = &local.sdk;
    let (pool_id, client_id) = hiding_pool(sdk, |b| {
        b.username_attributes(aws_sdk_cognitoidentityprovider::types::UsernameAttributeType::Email)
    })
    .await;
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("sam@example.com")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let ids = |name: &'static str| {
        let sdk = sdk.clone();
        let client_id = client_id.clone();
        async move {
            let ephemeral = ClientEphemeral::generate(&mut rand::rng());
            srp_start(&sdk, &client_id, name, &ephemeral.srp_a())
                .await
                .unwrap()["USER_ID_FOR_SRP"]
                .clone()
        }
    };
    let real = ids("sam@example.com").await;
    let ghost = ids("nobody@example.com").await;
    assert_eq!(ids("nobody@example.com").await, ghost);
    for id in [&real, &ghost] {
        let parsed = uuid::Uuid::parse_str(id).expect("a sub-shaped id");
        assert_eq!(parsed.get_version_num(), 4);
    }
}

#[tokio::test]
async fn an_unknown_user_costs_a_password_check_as_a_real_one_does() {
    let local = start().await;
    let sdk = &local.sdk;
    let (pool_id, client_id) = hiding_pool(sdk, |b| b).await;
    for i in 0..10 {
        user(sdk, &pool_id, &format!("u{i}")).await;
    }
    let time = |name: String| {
        let sdk = sdk.clone();
        let client_id = client_id.clone();
        async move {
            let started = std::time::Instant::now();
            let out = password_login(&sdk, &client_id, &name, "Wrong-Horse-1").await;
            assert_eq!(out.unwrap_err().1, "Incorrect username or password.");
            started.elapsed()
        }
    };
    let (mut real, mut ghost) = (Vec::new(), Vec::new());
    for round in 0..4 {
        for i in 0..10 {
            real.push(time(format!("u{i}")).await);
            ghost.push(time(format!("ghost-{round}-{i}")).await);
        }
    }
    real.sort();
    ghost.sort();
    let ratio = ghost[20].as_secs_f64() / real[20].as_secs_f64();
    // Before the fix an unknown name skipped the verifier work: about half the time.
    assert!(
        (0.75..1.33).contains(&ratio),
        "unknown/real median time {ratio:.2}"
    );
}

/// Rows of a kind in a data directory's store, read beside the running server.
fn rows(dir: &std::path::Path, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(dir.join("cognito-local.sqlite3")).unwrap();
    db.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[tokio::test]
async fn unauthenticated_requests_cannot_grow_the_store_and_expired_state_is_purged() {
    let dir = std::env::temp_dir().join(format!("cognito-local-purge-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let clock = ManualClock::at(SystemTime::now());
    let server = Server::builder()
        .data_dir(&dir)
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let sdk = &sdk(&server.url(), "us-east-1");
    let (pool_id, hiding) = hiding_pool(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "sid").await;
    let sessions = |dir: &std::path::Path| {
        rows(
            dir,
            "SELECT count(*) FROM records WHERE kind = 'auth_session'",
        )
    };

    // A user has at most 64 sign-ins in progress; unknown names have none stored.
    for _ in 0..70 {
        let ephemeral = ClientEphemeral::generate(&mut rand::rng());
        srp_start(sdk, &client_id, "sid", &ephemeral.srp_a())
            .await
            .unwrap();
    }
    assert_eq!(sessions(&dir), 64);
    for i in 0..25 {
        let ephemeral = ClientEphemeral::generate(&mut rand::rng());
        srp_start(sdk, &hiding, &format!("nobody-{i}"), &ephemeral.srp_a())
            .await
            .unwrap();
    }
    assert_eq!(sessions(&dir), 64);

    // Sessions go after their three minutes, sign-ins after their refresh token (and
    // the last access token it could issue), messages after a week.
    password_login(sdk, &client_id, "sid", PASSWORD)
        .await
        .unwrap();
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("tia")
        .user_attributes(attr("email", "tia@example.com"))
        .desired_delivery_mediums(aws_sdk_cognitoidentityprovider::types::DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let messages = |dir: &std::path::Path| rows(dir, "SELECT count(*) FROM messages");
    let sign_ins =
        |dir: &std::path::Path| rows(dir, "SELECT count(*) FROM records WHERE kind = 'sign_in'");
    assert_eq!((sign_ins(&dir), messages(&dir)), (1, 1));
    clock.advance(Duration::from_secs(4 * 60));
    let purged = server.purge_expired().await.unwrap();
    assert_eq!(purged.records, 64);
    assert_eq!((sessions(&dir), sign_ins(&dir), messages(&dir)), (0, 1, 1));
    clock.advance(Duration::from_secs(8 * 86_400));
    server.purge_expired().await.unwrap();
    assert_eq!((sign_ins(&dir), messages(&dir)), (1, 0));
    clock.advance(Duration::from_secs(23 * 86_400));
    server.purge_expired().await.unwrap();
    assert_eq!(sign_ins(&dir), 0);
    assert_eq!(
        rows(&dir, "SELECT count(*) FROM lookups WHERE kind = 'sign_in'")
            + rows(
                &dir,
                "SELECT count(*) FROM links WHERE kind IN ('sign_in', 'auth_session')"
            ),
        0
    );
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn user_names_and_attribute_names_follow_the_models_pattern() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    let pattern = r"Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+";
    for bad in [
        "nul\0",
        "esc\u{1b}",
        "us\u{1f}",
        "rtl\u{202e}",
        "zw\u{200b}sp",
        "two words",
    ] {
        let created = sdk
            .admin_create_user()
            .user_pool_id(&pool_id)
            .username(bad)
            .message_action(MessageActionType::Suppress)
            .send()
            .await;
        let (kind, message) = error_of(created.unwrap_err());
        assert_eq!(kind, "InvalidParameterException", "{bad:?}");
        // A sensitive member: its value is not echoed.
        assert_eq!(
            message,
            format!(
                "1 validation error detected: Value at 'username' failed to satisfy constraint: {pattern}"
            )
        );
        let signed_up = sdk
            .sign_up()
            .client_id(&client_id)
            .username(bad)
            .password(PASSWORD)
            .send()
            .await;
        assert_eq!(
            error_of(signed_up.unwrap_err()).0,
            "InvalidParameterException"
        );
    }
    let updated = sdk
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("nobody")
        .user_attributes(attr("custom:\u{202e}x", "v"))
        .send()
        .await;
    let (kind, message) = error_of(updated.unwrap_err());
    assert_eq!(kind, "InvalidParameterException");
    assert!(
        message.contains("'userAttributes.1.member.name'"),
        "{message}"
    );
    let long = "x".repeat(2049);
    let too_long = sdk
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("nobody")
        .user_attributes(attr("name", &long))
        .send()
        .await;
    let (kind, message) = error_of(too_long.unwrap_err());
    assert_eq!(kind, "InvalidParameterException");
    assert!(
        message.contains("Value at 'userAttributes.1.member.value'"),
        "{message}"
    );
    assert!(
        !message.contains("xxxx"),
        "a sensitive member is not echoed"
    );
    // Letters, marks, symbols, numbers and punctuation of any script are names.
    for good in ["josé.o'neil+1@example.com", "名前", "a_b-c"] {
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username(good)
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn codes_are_limited_per_hour_and_a_resend_forgets_no_wrong_code() {
    let local = start().await;
    let sdk = &local.sdk;
    let url = local.server.url();
    let (pool_id, client_id) = hiding_pool(sdk, |b| b).await;
    sdk.sign_up()
        .client_id(&client_id)
        .username("uma")
        .password(PASSWORD)
        .user_attributes(attr("email", "uma@example.com"))
        .send()
        .await
        .unwrap();
    let confirm = |name: &'static str, code: String| {
        let sdk = sdk.clone();
        let client_id = client_id.clone();
        async move {
            sdk.confirm_sign_up()
                .client_id(client_id)
                .username(name)
                .confirmation_code(code)
                .send()
                .await
                .map(|_| ())
                .map_err(error_of)
        }
    };
    let resend = |name: &'static str| {
        let sdk = sdk.clone();
        let client_id = client_id.clone();
        async move {
            sdk.resend_confirmation_code()
                .client_id(client_id)
                .username(name)
                .send()
                .await
                .map(|_| ())
                .map_err(error_of)
        }
    };
    let limit = "LimitExceededException".to_owned();
    // Known and unknown alike: four wrong codes, each followed by a fresh code, then
    // the fifth wrong one reaches the limit.
    for name in ["uma", "nobody"] {
        for round in 0..4 {
            let (kind, _) = confirm(name, "000000".into()).await.unwrap_err();
            assert_eq!(kind, "CodeMismatchException", "{name} {round}");
            resend(name).await.unwrap();
        }
        assert_eq!(
            confirm(name, "000000".into()).await.unwrap_err().0,
            limit,
            "{name}"
        );
        // Sign-up sent one and four were resent: the sixth code of the hour is refused
        // (for the unknown name the fifth is allowed, and the sixth refused).
        let sixth = resend(name).await;
        if name == "nobody" {
            sixth.unwrap();
        } else {
            assert_eq!(sixth.unwrap_err().0, limit);
        }
        assert_eq!(resend(name).await.unwrap_err().0, limit, "{name}");
    }
    // ForgotPassword shares the limit: a confirmed user gets five reset codes an hour.
    user(sdk, &pool_id, "val").await;
    sdk.admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("val")
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    for _ in 0..5 {
        sdk.forgot_password()
            .client_id(&client_id)
            .username("val")
            .send()
            .await
            .unwrap();
    }
    let sixth = sdk
        .forgot_password()
        .client_id(&client_id)
        .username("val")
        .send()
        .await;
    assert_eq!(error_of(sixth.unwrap_err()).0, limit);
    // An hour later both limits are gone.
    local.clock.advance(Duration::from_secs(3601));
    resend("uma").await.unwrap();
    confirm("uma", last_code(&url, &pool_id, "uma").await)
        .await
        .unwrap();
}

#[tokio::test]
async fn connections_that_never_finish_their_headers_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = Server::builder()
        .header_read_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let mut slow = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut answer)).await;
    assert!(closed.is_ok(), "still open after 5 s");
    assert!(started.elapsed() >= Duration::from_millis(250));
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    // Others are served meanwhile and after.
    let sdk = sdk(&server.url(), "us-east-1");
    sdk.list_user_pools().max_results(1).send().await.unwrap();
}

#[tokio::test]
async fn a_deleted_users_sign_in_in_progress_goes_with_it() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = client_of(sdk, &pool_id).await;
    let create = || {
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username("wes")
            .temporary_password("Temp-Passw0rd!")
            .message_action(MessageActionType::Suppress)
            .send()
    };
    create().await.unwrap();
    let out = sdk
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "wes"),
            ("PASSWORD", "Temp-Passw0rd!"),
        ])))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let session = out.session().unwrap().to_owned();
    sdk.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("wes")
        .send()
        .await
        .unwrap();
    create().await.unwrap();
    let answered = sdk
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(session)
        .set_challenge_responses(Some(params(&[
            ("USERNAME", "wes"),
            ("NEW_PASSWORD", PASSWORD),
        ])))
        .send()
        .await;
    let (kind, message) = error_of(answered.unwrap_err());
    assert_eq!(kind, "NotAuthorizedException");
    assert_eq!(message, "Invalid session for the user, session is expired.");
}

#[tokio::test]
async fn wrong_totp_codes_count_toward_the_lockout_too() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b.mfa_configuration(UserPoolMfaType::Optional)).await;
    let client_id = client_of(sdk, &pool_id).await;
    user(sdk, &pool_id, "tia").await;
    let access = password_login(sdk, &client_id, "tia", PASSWORD)
        .await
        .unwrap()
        .access_token()
        .unwrap()
        .to_owned();
    common::verified_totp(sdk, &access, None).await;
    sdk.set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let start_challenge = || async {
        let out = sdk
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "tia"), ("PASSWORD", PASSWORD)])))
            .send()
            .await
            .unwrap();
        assert_eq!(
            out.challenge_name(),
            Some(&ChallengeNameType::SoftwareTokenMfa)
        );
        out.session().unwrap().to_owned()
    };
    let client = client_id.clone();
    let answer = |session: String| {
        let client_id = client.clone();
        async move {
            sdk.respond_to_auth_challenge()
                .client_id(&client_id)
                .challenge_name(ChallengeNameType::SoftwareTokenMfa)
                .session(session)
                .set_challenge_responses(Some(params(&[
                    ("USERNAME", "tia"),
                    ("SOFTWARE_TOKEN_MFA_CODE", "000000"),
                ])))
                .send()
                .await
                .map(|_| ())
                .map_err(error_of)
        }
    };
    let mut answers = Vec::new();
    for session_answers in [3, 2] {
        let session = start_challenge().await;
        for _ in 0..session_answers {
            answers.push(answer(session.clone()).await.unwrap_err());
        }
    }
    // ("000000" could be the right code once in a million: the assertions would say so.)
    assert!(
        answers[..4]
            .iter()
            .all(|(kind, _)| kind == "CodeMismatchException"),
        "{answers:?}"
    );
    assert_eq!(answers[4].1, "Password attempts exceeded");
}
