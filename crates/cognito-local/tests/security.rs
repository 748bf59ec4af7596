//! What an attacker on 127.0.0.1 tries, refused: tokens of deleted users, MFA codes
//! guessed without limit, users told apart by their answers, storage grown by
//! unauthenticated requests. Through the official AWS SDK for Rust.

mod common;

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ExplicitAuthFlowsType, MessageActionType,
};
use common::{attr, error_of, pool_with, start};

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
