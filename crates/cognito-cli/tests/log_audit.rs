//! The server's logs hold no secret: a whole session (sign-up, the code, an SRP login,
//! TOTP set up and answered, a refresh, a sign-out) against `cognito serve` with
//! `RUST_LOG=trace`, then every secret of it searched for in what the server wrote.

use std::io::Read;
use std::process::{Command, Stdio};

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::types::{ExplicitAuthFlowsType, UserPoolMfaType, VerifiedAttributeType};
use cognito::{Attributes, Cognito, MfaPreference, MfaType};

mod common;

use common::totp;

const PASSWORD: &str = "Audit-Passw0rd-9x!";

#[tokio::test]
async fn a_whole_session_at_trace_level_logs_no_secret() {
    let log = std::env::temp_dir().join(format!("cognito-log-audit-{}.log", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["serve", "--port", "0", "--in-memory"])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut first = [0u8; 256];
    let n = child.stdout.as_mut().unwrap().read(&mut first).unwrap();
    let line = String::from_utf8_lossy(&first[..n]).into_owned();
    let url = line
        .trim()
        .strip_prefix("cognito-local listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();

    let admin = cip::Client::from_conf(
        cip::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDLOCAL",
                "local-secret",
                None,
                None,
                "t",
            ))
            .endpoint_url(&url)
            .build(),
    );
    let pool = admin
        .create_user_pool()
        .pool_name("audit")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_owned();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    let client_secret = client.client_secret().unwrap().to_owned();
    let cognito = Cognito::builder()
        .pool_id(&pool_id)
        .client_id(client.client_id().unwrap())
        .client_secret(&client_secret)
        .endpoint_url(&url)
        .build()
        .unwrap();

    let mut secrets = vec![PASSWORD.to_owned(), client_secret.clone()];
    cognito
        .register(
            "ada",
            PASSWORD,
            Attributes::new().set("email", "ada@example.com"),
        )
        .await
        .unwrap();
    let outbox: serde_json::Value = serde_json::from_slice(
        &reqwest::get(format!(
            "{url}/_local/messages?pool_id={pool_id}&username=ada"
        ))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap(),
    )
    .unwrap();
    let code = outbox["messages"][0]["code"].as_str().unwrap().to_owned();
    cognito.confirm_sign_up("ada", &code).await.unwrap();
    secrets.push(code);

    // An invitation by email: its temporary password must not be logged either.
    admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("ben")
        .user_attributes(
            cip::types::AttributeType::builder()
                .name("email")
                .value("ben@example.com")
                .build()
                .unwrap(),
        )
        .desired_delivery_mediums(cip::types::DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let invited: serde_json::Value = serde_json::from_slice(
        &reqwest::get(format!(
            "{url}/_local/messages?pool_id={pool_id}&username=ben"
        ))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap(),
    )
    .unwrap();
    secrets.push(invited["messages"][0]["code"].as_str().unwrap().to_owned());

    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let totp_secret = cognito.associate_software_token(&tokens).await.unwrap();
    let setup_code = totp(&totp_secret, 0);
    cognito
        .verify_software_token(&tokens, &setup_code, None)
        .await
        .unwrap();
    cognito
        .set_mfa_preference(
            &tokens,
            MfaPreference {
                software_token: true,
                preferred: Some(MfaType::SoftwareToken),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let pending = cognito.login("ada", PASSWORD).await.unwrap();
    let pending = pending.challenge().unwrap().clone();
    let mfa_code = totp(&totp_secret, 1);
    let mut signed_in = cognito
        .answer_mfa(pending, &mfa_code)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let first = signed_in.clone();
    cognito.renew(&mut signed_in).await.unwrap();
    cognito.sign_out(&signed_in).await.unwrap();
    for set in [&tokens, &first, &signed_in] {
        secrets.push(set.access_token().to_owned());
        secrets.push(set.id_token().to_owned());
        secrets.extend(set.refresh_token().map(str::to_owned));
    }
    secrets.extend([totp_secret, setup_code, mfa_code]);

    let _ = child.kill();
    let _ = child.wait();
    let logs = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    // Trace logging was on: every request is there, and every sign-in.
    assert!(logs.matches("request operation=").count() > 10, "{logs}");
    assert_eq!(logs.matches("signed in").count(), 3, "{logs}");
    // Each line less its timestamp (whose digits could look like a code).
    let logs: Vec<&str> = logs
        .lines()
        .map(|line| {
            line.trim_start()
                .split_once(' ')
                .map_or(line, |(_, rest)| rest)
        })
        .collect();
    for secret in &secrets {
        // Tokens are searched for by their signature part too (a log might cut them).
        let needles: Vec<&str> = std::iter::once(secret.as_str())
            .chain(secret.rsplit('.').next().filter(|s| s.len() > 20))
            .collect();
        for needle in needles {
            let found = logs.iter().any(|line| holds(line, needle));
            assert!(!found, "the logs hold a secret ({} chars)", needle.len());
        }
    }
}

/// Whether `line` holds `needle`; a code of digits only counts where no other digit
/// touches it.
fn holds(line: &str, needle: &str) -> bool {
    if !needle.bytes().all(|b| b.is_ascii_digit()) {
        return line.contains(needle);
    }
    line.match_indices(needle).any(|(at, _)| {
        let before = line[..at].bytes().next_back();
        let after = line[at + needle.len()..].bytes().next();
        !before.is_some_and(|b| b.is_ascii_digit()) && !after.is_some_and(|b| b.is_ascii_digit())
    })
}
