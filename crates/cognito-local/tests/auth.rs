//! Signing in, verified for real: passwords and SRP through the official AWS SDK for Rust
//! and cognito-srp's client role; tokens checked with cognito-jwt against the server's JWKS.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
    PreventUserExistenceErrorTypes,
};
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};
use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
use common::{attr, error_of, params, pool_with, start};

const PASSWORD: &str = "Correct-Horse-1";

struct App {
    pool_id: String,
    client_id: String,
    secret: Option<String>,
}

async fn app(sdk: &aws_sdk_cognitoidentityprovider::Client, secret: bool, prevent: bool) -> App {
    let pool_id = pool_with(sdk, |b| b).await;
    let mut request = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(secret)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth);
    if prevent {
        request = request.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled);
    }
    let client = request.send().await.unwrap();
    let client = client.user_pool_client().unwrap();
    App {
        pool_id,
        client_id: client.client_id().unwrap().to_owned(),
        secret: client.client_secret().map(str::to_owned),
    }
}

async fn user(sdk: &aws_sdk_cognitoidentityprovider::Client, app: &App, name: &str) {
    common::confirmed_user(sdk, &app.pool_id, name, PASSWORD).await;
}

async fn password_login(
    sdk: &aws_sdk_cognitoidentityprovider::Client,
    app: &App,
    name: &str,
    password: &str,
) -> Result<
    aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput,
    (String, String),
> {
    sdk.initiate_auth()
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .set_auth_parameters(Some(params(&[("USERNAME", name), ("PASSWORD", password)])))
        .send()
        .await
        .map_err(error_of)
}

#[tokio::test]
async fn password_sign_in_issues_tokens_that_verify() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, false, false).await;
    user(sdk, &app, "alice").await;
    sdk.create_group()
        .user_pool_id(&app.pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    sdk.admin_add_user_to_group()
        .user_pool_id(&app.pool_id)
        .username("alice")
        .group_name("admins")
        .send()
        .await
        .unwrap();

    let result = password_login(sdk, &app, "alice", PASSWORD).await.unwrap();
    let tokens = result.authentication_result().unwrap();
    assert_eq!(tokens.token_type(), Some("Bearer"));
    assert_eq!(tokens.expires_in(), 3600);
    assert!(tokens.refresh_token().is_some());

    let verifier = CognitoJwtVerifier::new(
        PoolConfig::new(&app.pool_id, TokenUse::Any, ClientIds::one(&app.client_id))
            .unwrap()
            .issuer_base(&local.server.url())
            .unwrap(),
    )
    .unwrap();
    let access = verifier
        .verify(tokens.access_token().unwrap())
        .await
        .unwrap();
    assert_eq!(access.claims.username(), Some("alice"));
    assert_eq!(access.claims.groups(), ["admins"]);
    let access_claims = access.claims.as_access().unwrap();
    assert_eq!(
        access_claims.scope.as_deref(),
        Some("aws.cognito.signin.user.admin")
    );
    let id = verifier.verify(tokens.id_token().unwrap()).await.unwrap();
    let id_claims = id.claims.as_id().unwrap();
    assert_eq!(id_claims.email.as_deref(), Some("alice@example.com"));
    assert_eq!(id_claims.origin_jti, access_claims.origin_jti);
    assert_eq!(id.claims.sub(), access.claims.sub());

    let me = sdk
        .get_user()
        .access_token(tokens.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.username(), "alice");

    let jwks: serde_json::Value = serde_json::from_slice(
        &reqwest::get(format!(
            "{}/{}/.well-known/jwks.json",
            local.server.url(),
            app.pool_id
        ))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    let config: serde_json::Value = serde_json::from_slice(
        &reqwest::get(format!(
            "{}/{}/.well-known/openid-configuration",
            local.server.url(),
            app.pool_id
        ))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        config["issuer"],
        format!("{}/{}", local.server.url(), app.pool_id)
    );
}

#[tokio::test]
async fn failed_sign_ins_get_the_services_errors() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, false, false).await;
    user(sdk, &app, "bob").await;
    assert_eq!(
        password_login(sdk, &app, "bob", "wrong").await.unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
    assert_eq!(
        password_login(sdk, &app, "nobody", PASSWORD)
            .await
            .unwrap_err()
            .0,
        "UserNotFoundException"
    );
    let quiet = app_with_prevention(sdk).await;
    assert_eq!(
        password_login(sdk, &quiet, "nobody", PASSWORD)
            .await
            .unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );

    sdk.admin_disable_user()
        .user_pool_id(&app.pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(
        password_login(sdk, &app, "bob", PASSWORD)
            .await
            .unwrap_err()
            .1,
        "User is disabled."
    );
    sdk.admin_enable_user()
        .user_pool_id(&app.pool_id)
        .username("bob")
        .send()
        .await
        .unwrap();

    // Five failures in a row lock the user out for a while; a success resets the count.
    // (One wrong password above, three here: four in a row.)
    for _ in 0..3 {
        password_login(sdk, &app, "bob", "wrong").await.unwrap_err();
    }
    password_login(sdk, &app, "bob", PASSWORD).await.unwrap();
    for _ in 0..4 {
        password_login(sdk, &app, "bob", "wrong").await.unwrap_err();
    }
    // The fifth failure in a row locks the user out (the clock-controlled test in
    // `ops` checks that a right password is refused until the lockout ends).
    assert_eq!(
        password_login(sdk, &app, "bob", "wrong")
            .await
            .unwrap_err()
            .1,
        "Password attempts exceeded"
    );

    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&app.pool_id)
        .client_name("srp-only")
        .send()
        .await
        .unwrap();
    let srp_only = App {
        pool_id: app.pool_id.clone(),
        client_id: client
            .user_pool_client()
            .unwrap()
            .client_id()
            .unwrap()
            .to_owned(),
        secret: None,
    };
    assert_eq!(
        password_login(sdk, &srp_only, "bob", PASSWORD)
            .await
            .unwrap_err(),
        (
            "InvalidParameterException".into(),
            "USER_PASSWORD_AUTH flow not enabled for this client".into()
        )
    );

    let signup_client = sdk
        .create_user_pool_client()
        .user_pool_id(&app.pool_id)
        .client_name("s")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let signup_client_id = signup_client
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_owned();
    sdk.sign_up()
        .client_id(&signup_client_id)
        .username("carl")
        .password(PASSWORD)
        .user_attributes(attr("email", "carl@example.com"))
        .send()
        .await
        .unwrap();
    let unconfirmed = App {
        pool_id: app.pool_id.clone(),
        client_id: signup_client_id,
        secret: None,
    };
    assert_eq!(
        password_login(sdk, &unconfirmed, "carl", PASSWORD)
            .await
            .unwrap_err()
            .0,
        "UserNotConfirmedException"
    );
}

async fn app_with_prevention(sdk: &aws_sdk_cognitoidentityprovider::Client) -> App {
    app(sdk, false, true).await
}

/// A full SRP login with cognito-srp's client role; `send_session` as amazon-cognito-identity-js
/// does, or not, as pycognito does.
async fn srp_login(
    sdk: &aws_sdk_cognitoidentityprovider::Client,
    app: &App,
    typed: &str,
    password: &str,
    send_session: bool,
) -> Result<aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput, (String, String)>{
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let mut auth = params(&[("USERNAME", typed), ("SRP_A", &ephemeral.srp_a())]);
    if let Some(secret) = &app.secret {
        auth.insert(
            "SECRET_HASH".into(),
            cognito_srp::secret_hash(secret, typed, &app.client_id),
        );
    }
    let started = sdk
        .initiate_auth()
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .set_auth_parameters(Some(auth))
        .send()
        .await
        .map_err(error_of)?;
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let challenge =
        VerifierChallenge::from_parameters(started.challenge_parameters().unwrap()).unwrap();
    let pool = PoolId::parse(&app.pool_id).unwrap();
    let answer = ephemeral
        .password_claim(&pool, password, &challenge, Timestamp::now())
        .unwrap();
    let internal = answer.username.clone();
    let mut responses = answer.into_map();
    if let Some(secret) = &app.secret {
        responses.insert(
            "SECRET_HASH".into(),
            cognito_srp::secret_hash(secret, &internal, &app.client_id),
        );
    }
    let mut request = sdk
        .respond_to_auth_challenge()
        .client_id(&app.client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_challenge_responses(Some(responses));
    if send_session {
        request = request.set_session(started.session().map(str::to_owned));
    }
    request.send().await.map_err(error_of)
}

#[tokio::test]
async fn srp_sign_in_is_verified_for_real() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, true, false).await;
    user(sdk, &app, "dora").await;
    for send_session in [true, false] {
        let result = srp_login(sdk, &app, "dora", PASSWORD, send_session)
            .await
            .unwrap();
        assert!(
            result
                .authentication_result()
                .unwrap()
                .access_token()
                .is_some()
        );
    }
    assert_eq!(
        srp_login(sdk, &app, "dora", "not-her-password", true)
            .await
            .unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
    // Alias login: the name typed for SECRET_HASH first, the internal name afterwards.
    sdk.admin_update_user_attributes()
        .user_pool_id(&app.pool_id)
        .username("dora")
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let pool_with_alias = pool_with(sdk, |b| {
        b.alias_attributes(aws_sdk_cognitoidentityprovider::types::AliasAttributeType::Email)
    })
    .await;
    let alias_app = App {
        pool_id: pool_with_alias.clone(),
        ..app_for(sdk, &pool_with_alias).await
    };
    sdk.admin_create_user()
        .user_pool_id(&pool_with_alias)
        .username("eli")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "eli@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(&pool_with_alias)
        .username("eli")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let result = srp_login(sdk, &alias_app, "eli@example.com", PASSWORD, false)
        .await
        .unwrap();
    assert!(result.authentication_result().is_some());
}

async fn app_for(sdk: &aws_sdk_cognitoidentityprovider::Client, pool_id: &str) -> App {
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("alias")
        .generate_secret(true)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    App {
        pool_id: pool_id.to_owned(),
        client_id: client.client_id().unwrap().to_owned(),
        secret: client.client_secret().map(str::to_owned),
    }
}

#[tokio::test]
async fn a_secret_block_works_once() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, false, false).await;
    user(sdk, &app, "finn").await;
    let ephemeral = ClientEphemeral::generate(&mut rand::rng());
    let started = sdk
        .initiate_auth()
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "finn"),
            ("SRP_A", &ephemeral.srp_a()),
        ])))
        .send()
        .await
        .unwrap();
    let challenge =
        VerifierChallenge::from_parameters(started.challenge_parameters().unwrap()).unwrap();
    let answer = ephemeral
        .password_claim(
            &PoolId::parse(&app.pool_id).unwrap(),
            PASSWORD,
            &challenge,
            Timestamp::now(),
        )
        .unwrap();
    let responses = answer.into_map();
    let respond = || {
        sdk.respond_to_auth_challenge()
            .client_id(&app.client_id)
            .challenge_name(ChallengeNameType::PasswordVerifier)
            .set_challenge_responses(Some(responses.clone()))
            .send()
    };
    respond().await.unwrap();
    let (code, message) = error_of(respond().await.unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired."
        )
    );
}

#[tokio::test]
async fn a_temporary_password_must_be_changed() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, false, false).await;
    sdk.admin_create_user()
        .user_pool_id(&app.pool_id)
        .username("gail")
        .temporary_password("Temp-Pass-1")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let started = sdk
        .admin_initiate_auth()
        .user_pool_id(&app.pool_id)
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "gail"),
            ("PASSWORD", "Temp-Pass-1"),
        ])))
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let challenge = started.challenge_parameters().unwrap();
    assert_eq!(challenge["USER_ID_FOR_SRP"], "gail");
    assert_eq!(challenge["requiredAttributes"], "[]");
    let respond = |password: &str| {
        sdk.admin_respond_to_auth_challenge()
            .user_pool_id(&app.pool_id)
            .client_id(&app.client_id)
            .challenge_name(ChallengeNameType::NewPasswordRequired)
            .set_session(started.session().map(str::to_owned))
            .set_challenge_responses(Some(params(&[
                ("USERNAME", "gail"),
                ("NEW_PASSWORD", password),
                ("userAttributes.given_name", "Gail"),
            ])))
            .send()
    };
    let (code, _) = error_of(respond("weak").await.unwrap_err());
    assert_eq!(code, "InvalidPasswordException");
    // The session was used up by the failed attempt, as the real service does: start again.
    let (code, _) = error_of(respond("New-Passw0rd!").await.unwrap_err());
    assert_eq!(code, "NotAuthorizedException");
    let started = sdk
        .admin_initiate_auth()
        .user_pool_id(&app.pool_id)
        .client_id(&app.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .set_auth_parameters(Some(params(&[
            ("USERNAME", "gail"),
            ("PASSWORD", "Temp-Pass-1"),
        ])))
        .send()
        .await
        .unwrap();
    let done = sdk
        .admin_respond_to_auth_challenge()
        .user_pool_id(&app.pool_id)
        .client_id(&app.client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .set_session(started.session().map(str::to_owned))
        .set_challenge_responses(Some(params(&[
            ("USERNAME", "gail"),
            ("NEW_PASSWORD", "New-Passw0rd!"),
            ("userAttributes.given_name", "Gail"),
        ])))
        .send()
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
    let gail = sdk
        .admin_get_user()
        .user_pool_id(&app.pool_id)
        .username("gail")
        .send()
        .await
        .unwrap();
    assert_eq!(gail.user_status().map(|s| s.as_str()), Some("CONFIRMED"));
    assert!(
        gail.user_attributes()
            .iter()
            .any(|a| a.name() == "given_name" && a.value() == Some("Gail"))
    );
}

#[tokio::test]
async fn refresh_sign_out_and_revocation() {
    let local = start().await;
    let sdk = &local.sdk;
    let app = app(sdk, false, false).await;
    user(sdk, &app, "hugo").await;
    let first = password_login(sdk, &app, "hugo", PASSWORD).await.unwrap();
    let first = first.authentication_result().unwrap().clone();
    let refresh = first.refresh_token().unwrap().to_owned();
    let refresh_with = |token: &str| {
        sdk.initiate_auth()
            .client_id(&app.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .set_auth_parameters(Some(params(&[("REFRESH_TOKEN", token)])))
            .send()
    };
    let renewed = refresh_with(&refresh).await.unwrap();
    let renewed = renewed.authentication_result().unwrap();
    assert!(
        renewed.refresh_token().is_none(),
        "refreshing returns no new refresh token"
    );
    assert_ne!(renewed.access_token(), first.access_token());
    let (code, message) = error_of(refresh_with("not-a-token").await.unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );

    sdk.global_sign_out()
        .access_token(renewed.access_token().unwrap())
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(refresh_with(&refresh).await.unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
    for token in [
        first.access_token().unwrap(),
        renewed.access_token().unwrap(),
    ] {
        let (code, message) =
            error_of(sdk.get_user().access_token(token).send().await.unwrap_err());
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("NotAuthorizedException", "Access Token has been revoked")
        );
    }
    let (code, message) = error_of(
        sdk.get_user()
            .access_token("garbage")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Access Token")
    );

    // RevokeToken revokes one sign-in; AdminUserGlobalSignOut all of them.
    let second = password_login(sdk, &app, "hugo", PASSWORD).await.unwrap();
    let second = second.authentication_result().unwrap().clone();
    let third = password_login(sdk, &app, "hugo", PASSWORD).await.unwrap();
    let third = third.authentication_result().unwrap().clone();
    sdk.revoke_token()
        .client_id(&app.client_id)
        .token(second.refresh_token().unwrap())
        .send()
        .await
        .unwrap();
    assert!(refresh_with(second.refresh_token().unwrap()).await.is_err());
    assert!(refresh_with(third.refresh_token().unwrap()).await.is_ok());
    sdk.admin_user_global_sign_out()
        .user_pool_id(&app.pool_id)
        .username("hugo")
        .send()
        .await
        .unwrap();
    assert!(refresh_with(third.refresh_token().unwrap()).await.is_err());
}

#[tokio::test]
async fn id_tokens_carry_only_the_clients_read_attributes() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| {
        b.schema(
            aws_sdk_cognitoidentityprovider::types::SchemaAttributeType::builder()
                .name("tier")
                .attribute_data_type(
                    aws_sdk_cognitoidentityprovider::types::AttributeDataType::String,
                )
                .build(),
        )
    })
    .await;
    let reader = |name: &'static str, read: &'static [&'static str]| {
        let mut request = sdk
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name(name)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth);
        for attribute in read {
            request = request.read_attributes(*attribute);
        }
        request.send()
    };
    let all = reader("all", &[]).await.unwrap();
    let some = reader("some", &["email", "email_verified"]).await.unwrap();
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("pia")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "pia@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .user_attributes(attr("custom:tier", "gold"))
        .send()
        .await
        .unwrap();
    sdk.admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("pia")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    for (client, tier_expected) in [(all, true), (some, false)] {
        let app = App {
            pool_id: pool_id.clone(),
            client_id: client
                .user_pool_client()
                .unwrap()
                .client_id()
                .unwrap()
                .to_owned(),
            secret: None,
        };
        let tokens = password_login(sdk, &app, "pia", PASSWORD).await.unwrap();
        let verifier = CognitoJwtVerifier::new(
            PoolConfig::new(&pool_id, TokenUse::Id, ClientIds::Any)
                .unwrap()
                .issuer_base(&local.server.url())
                .unwrap(),
        )
        .unwrap();
        let id = verifier
            .verify(tokens.authentication_result().unwrap().id_token().unwrap())
            .await
            .unwrap();
        let claims = id.claims.as_id().unwrap();
        assert_eq!(
            claims.email_verified,
            Some(true),
            "booleans are JSON booleans"
        );
        assert_eq!(claims.custom.contains_key("tier"), tier_expected);
    }
}
