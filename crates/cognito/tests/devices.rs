//! Remembered devices: confirmed at login, answering DEVICE_SRP_AUTH by themselves
//! and skipping MFA, listed, renewed with, and forgotten.

mod common;

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::UserPoolMfaType;
use cognito::{Challenge, LoginOutcome, MemoryStore};
use common::{PASSWORD, PoolSpec, start, totp};

#[tokio::test]
async fn a_remembered_device_skips_mfa_until_it_is_forgotten() {
    let local = start(PoolSpec {
        mfa: Some(UserPoolMfaType::On),
        devices: true,
        ..Default::default()
    })
    .await;
    local.user("ada", &[]).await;
    let store = Arc::new(MemoryStore::default());
    let cognito = local.cognito_with_store(store, true);

    // First login: MFA is set up, and the new device is confirmed and remembered.
    let LoginOutcome::Challenge(mut setup) = cognito.login("ada", PASSWORD).await.unwrap() else {
        panic!("MFA must be set up first");
    };
    let secret = cognito.begin_mfa_setup(&mut setup).await.unwrap();
    let tokens = cognito
        .finish_mfa_setup(setup, &totp(&secret, 0), None)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let device = cognito
        .remembered_device("ada")
        .unwrap()
        .expect("remembered");
    assert_eq!(tokens.device_key(), Some(device.device_key()));
    assert!(tokens.new_device().is_none(), "confirmed already");
    assert!(!format!("{device:?}").contains(&device.credentials().password().to_owned()));

    // Second login: DEVICE_SRP_AUTH is answered by the client, and MFA is skipped.
    let mut tokens = match cognito.login("ada", PASSWORD).await.unwrap() {
        LoginOutcome::Tokens(tokens) => tokens,
        LoginOutcome::Challenge(pending) => panic!("MFA was not skipped: {}", pending.name()),
    };
    assert_eq!(tokens.device_key(), Some(device.device_key()));
    assert_eq!(
        tokens.claims().unwrap().access.device_key.as_deref(),
        Some(device.device_key())
    );

    let devices = cognito.list_devices(&tokens).await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].key, device.device_key());
    assert_eq!(devices[0].remembered, Some(true));
    assert_eq!(devices[0].name.as_deref(), Some("cognito-rs"));
    let one = cognito
        .get_device(&tokens, device.device_key())
        .await
        .unwrap();
    assert_eq!(one.key, device.device_key());

    // Renewal sends the device key.
    cognito.renew(&mut tokens).await.unwrap();
    assert_eq!(tokens.device_key(), Some(device.device_key()));

    // Forgotten: the keys go, and MFA is back.
    cognito
        .forget_device(&tokens, device.device_key())
        .await
        .unwrap();
    assert!(cognito.remembered_device("ada").unwrap().is_none());
    let outcome = cognito.login("ada", PASSWORD).await.unwrap();
    let pending = outcome.challenge().expect("MFA again");
    assert_eq!(pending.challenge(), Challenge::SoftwareTokenMfa);
}

#[tokio::test]
async fn a_device_can_be_remembered_by_hand() {
    let local = start(PoolSpec {
        devices: true,
        ..Default::default()
    })
    .await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    let mut tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let new = tokens
        .new_device()
        .cloned()
        .expect("the pool tracks devices");
    let device = cognito.remember_device(&mut tokens).await.unwrap();
    assert_eq!(device.device_key(), new.device_key);
    assert_eq!(device.device_group_key(), new.device_group_key);
    let listed = cognito.get_device(&tokens, &new.device_key).await.unwrap();
    assert_eq!(listed.remembered, Some(true));
    cognito
        .set_device_remembered(&tokens, &new.device_key, false)
        .await
        .unwrap();
    let listed = cognito.get_device(&tokens, &new.device_key).await.unwrap();
    assert_eq!(listed.remembered, Some(false));
    // Nothing to remember twice.
    assert!(cognito.remember_device(&mut tokens).await.is_err());
}
