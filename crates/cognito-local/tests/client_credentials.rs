//! Machine-to-machine tokens on a real server: the token endpoint's client_credentials
//! grant (both client authentications, every refusal), GetClientToken, and
//! PreTokenGeneration V3 with trigger source TokenGeneration_ClientCredentials.

mod common;

use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    ExplicitAuthFlowsType, LambdaConfigType, OAuthFlowType, PreTokenGenerationLambdaVersionType,
    PreTokenGenerationVersionConfigType, ResourceServerScopeType,
};
use cognito_local::Server;
use serde_json::{Value, json};

use common::{sdk, signed_call};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:pre-token";

/// A pool with a domain and a resource server `orders` with `read` and `write`.
async fn pool(sdk: &cip::Client, lambda: Option<PreTokenGenerationLambdaVersionType>) -> String {
    let pool_id = common::pool_with(sdk, |b| match lambda {
        Some(version) => b.lambda_config(
            LambdaConfigType::builder()
                .pre_token_generation_config(
                    PreTokenGenerationVersionConfigType::builder()
                        .lambda_version(version)
                        .lambda_arn(ARN)
                        .build()
                        .unwrap(),
                )
                .build(),
        ),
        None => b,
    })
    .await;
    sdk.create_user_pool_domain()
        .user_pool_id(&pool_id)
        .domain(format!("m2m-{}", pool_id.to_lowercase().replace('_', "-")))
        .send()
        .await
        .unwrap();
    let scope = |name: &str| {
        ResourceServerScopeType::builder()
            .scope_name(name)
            .scope_description(name)
            .build()
            .unwrap()
    };
    sdk.create_resource_server()
        .user_pool_id(&pool_id)
        .identifier("orders")
        .name("orders")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap();
    pool_id
}

/// A confidential client allowed client_credentials for both scopes: `(id, secret)`.
async fn m2m_client(sdk: &cip::Client, pool_id: &str) -> (String, String) {
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("service")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("orders/read")
        .allowed_o_auth_scopes("orders/write")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    (client.client_id.unwrap(), client.client_secret.unwrap())
}

use common::jwt_claims as claims;

/// POSTs a form to the pool's token endpoint: `(status, body)`.
async fn post(url: &str, pool_id: &str, basic: Option<(&str, &str)>, form: &str) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{url}/{pool_id}/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned());
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn client_credentials_tokens_with_both_client_authentications() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool(&sdk, None).await;
    let (id, secret) = m2m_client(&sdk, &pool_id).await;

    let (status, basic) = post(
        &url,
        &pool_id,
        Some((&id, &secret)),
        "grant_type=client_credentials&scope=orders%2Fread",
    )
    .await;
    assert_eq!(status, 200, "{basic}");
    assert_eq!(basic["token_type"], "Bearer");
    assert_eq!(basic["expires_in"], 3600);
    assert!(basic.get("refresh_token").is_none() && basic.get("id_token").is_none());

    // The token verifies against the pool's JWKS as any access token does.
    let verifier = cognito_jwt::CognitoJwtVerifier::new(
        cognito_jwt::PoolConfig::new(
            &pool_id,
            cognito_jwt::TokenUse::Access,
            cognito_jwt::ClientIds::Any,
        )
        .unwrap()
        .issuer_base(&url)
        .unwrap(),
    )
    .unwrap();
    let token = basic["access_token"].as_str().unwrap();
    verifier.verify(token).await.unwrap();
    let claims = claims(token);
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["client_id"], id.as_str());
    assert_eq!(claims["scope"], "orders/read");
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["version"], 2);
    assert!(claims.get("username").is_none());

    // client_secret_post; no scope asked: all of the client's.
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let (status, posted) = post(&url, &pool_id, None, &form).await;
    assert_eq!(status, 200, "{posted}");
    let scope = self::claims(posted["access_token"].as_str().unwrap())["scope"].clone();
    assert_eq!(scope, "orders/read orders/write");

    // Through the prefix domain's host name, as a browser or SDK would reach it.
    let domain = format!("m2m-{}", pool_id.to_lowercase().replace('_', "-"));
    let port = url.rsplit(':').next().unwrap();
    let response = reqwest::Client::new()
        .post(format!("{url}/oauth2/token"))
        .header("host", format!("{domain}.auth.localhost:{port}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .basic_auth(&id, Some(&secret))
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn every_bad_token_request_gets_its_oauth_error() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool(&sdk, None).await;
    let (id, secret) = m2m_client(&sdk, &pool_id).await;
    let public = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("public")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let cc = "grant_type=client_credentials";
    let wrong = "x".repeat(secret.len());
    let long = format!("{cc}&scope={}", "a".repeat(9000));
    let repeated = format!("{cc}&grant_type=client_credentials");
    let both = format!("{cc}&client_secret={secret}");
    let only_id = format!("{cc}&client_id={id}");
    let delete = format!("{cc}&scope=orders%2Fdelete");
    let openid = format!("{cc}&scope=openid");
    let public = format!("{cc}&client_id={public}");
    type Case<'a> = (Option<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (Some((&id, &wrong)), cc, "invalid_client"),
        (None, &only_id, "invalid_client"),
        (None, cc, "invalid_client"),
        (Some(("nosuchclient", &secret)), cc, "invalid_client"),
        (Some((&id, &secret)), "", "invalid_request"),
        (
            Some((&id, &secret)),
            "grant_type=password",
            "unsupported_grant_type",
        ),
        (Some((&id, &secret)), &repeated, "invalid_request"),
        (Some((&id, &secret)), &long, "invalid_request"),
        (Some((&id, &secret)), &both, "invalid_request"),
        (Some((&id, &secret)), &delete, "invalid_scope"),
        (Some((&id, &secret)), &openid, "invalid_scope"),
        (None, &public, "unauthorized_client"),
    ];
    for (basic, form, expected) in cases {
        let (status, body) = post(&url, &pool_id, basic, form).await;
        assert_eq!(status, 400, "{form}: {body}");
        assert_eq!(body["error"], expected, "{form}: {body}");
    }
    // Not a form.
    let response = reqwest::Client::new()
        .post(format!("{url}/{pool_id}/oauth2/token"))
        .header("content-type", "application/json")
        .basic_auth(&id, Some(&secret))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error"], "invalid_request");
    // A pool without a domain has no token endpoint.
    let bare = common::pool_with(&sdk, |b| b).await;
    let response = reqwest::Client::new()
        .post(format!("{url}/{bare}/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(cc)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn get_client_token_needs_its_flow_and_a_secret() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool(&sdk, None).await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("api-m2m")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::from("ALLOW_CLIENT_TOKEN_AUTH"))
        .allowed_o_auth_scopes("orders/write")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let (id, secret) = (client.client_id.unwrap(), client.client_secret.unwrap());
    let http = reqwest::Client::new();
    let call = |body: Value| {
        let http = http.clone();
        let url = url.clone();
        async move { signed_call(&http, &url, "GetClientToken", &body).await }
    };
    let (status, body) = call(json!({"ClientId": id, "Secret": secret})).await;
    assert_eq!(status, 200, "{body}");
    let result = &body["ClientAuthenticationResult"];
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    let token = claims(result["AccessToken"].as_str().unwrap());
    assert_eq!(token["scope"], "orders/write");
    assert_eq!(token["sub"], id.as_str());

    let wrong = "y".repeat(secret.len());
    let (status, body) = call(json!({"ClientId": id, "Secret": wrong})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("NotAuthorizedException"))
    );
    let (status, body) =
        call(json!({"ClientId": id, "Secret": secret, "Scopes": ["orders/read"]})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );

    // ALLOW_CLIENT_TOKEN_AUTH is the client's only flow, and the one GetClientToken needs.
    let (code, _) = common::error_of(
        sdk.create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("mixed")
            .generate_secret(true)
            .explicit_auth_flows(ExplicitAuthFlowsType::from("ALLOW_CLIENT_TOKEN_AUTH"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    let (other, other_secret) = m2m_client(&sdk, &pool_id).await;
    let (status, body) = call(json!({"ClientId": other, "Secret": other_secret})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
}

#[tokio::test]
async fn pre_token_generation_v3_changes_machine_tokens_and_v2_does_not_run() {
    for version in [
        PreTokenGenerationLambdaVersionType::V30,
        PreTokenGenerationLambdaVersionType::V20,
    ] {
        let events: Arc<Mutex<Vec<Value>>> = Arc::default();
        let keep = events.clone();
        let server = Server::builder()
            .in_memory()
            .trigger(ARN, move |mut event| {
                keep.lock().unwrap().push(event.clone());
                event["response"]["claimsAndScopeOverrideDetails"] = json!({
                    "accessTokenGeneration": {
                        "claimsToAddOrOverride": {"tenant": "acme", "client_id": "forged"},
                        "scopesToSuppress": ["orders/write"],
                    },
                });
                async move { Ok(event) }
            })
            .start()
            .await
            .unwrap();
        let url = server.url();
        let sdk = sdk(&url, "us-east-1");
        let pool_id = pool(&sdk, Some(version.clone())).await;
        let (id, secret) = m2m_client(&sdk, &pool_id).await;
        let metadata = "%7B%22purpose%22%3A%22billing%22%7D";
        let (status, body) = post(
            &url,
            &pool_id,
            Some((&id, &secret)),
            &format!("grant_type=client_credentials&aws_client_metadata={metadata}"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let token = claims(body["access_token"].as_str().unwrap());
        let events = events.lock().unwrap();
        if version == PreTokenGenerationLambdaVersionType::V20 {
            assert!(events.is_empty());
            assert_eq!(token["scope"], "orders/read orders/write");
            continue;
        }
        assert_eq!(events.len(), 1);
        let event = &events[0];
        assert_eq!(event["version"], "3");
        assert_eq!(event["triggerSource"], "TokenGeneration_ClientCredentials");
        assert_eq!(event["callerContext"]["clientId"], id.as_str());
        assert_eq!(
            event["request"]["scopes"],
            json!(["orders/read", "orders/write"])
        );
        assert_eq!(
            event["request"]["clientMetadata"],
            json!({"purpose": "billing"})
        );
        assert_eq!(token["tenant"], "acme");
        assert_eq!(token["client_id"], id.as_str());
        assert_eq!(token["scope"], "orders/read");
    }
}

/// A user's tokens by USER_PASSWORD_AUTH: `(access, id)`.
async fn user_tokens(sdk: &cip::Client, client_id: &str, name: &str) -> (String, String) {
    let auth = sdk
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(cip::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", name)
        .auth_parameters("PASSWORD", "Passw0rd-Exchange1")
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    (auth.access_token.unwrap(), auth.id_token.unwrap())
}

#[tokio::test]
async fn get_derived_token_narrows_binds_and_delegates() {
    let server = Server::builder().in_memory().start().await.unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let pool_id = pool(&sdk, None).await;
    let flows = [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
        "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    ];
    let mut create = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("gateway");
    for flow in flows {
        create = create.explicit_auth_flows(ExplicitAuthFlowsType::from(flow));
    }
    let client = create.send().await.unwrap().user_pool_client.unwrap();
    let client_id = client.client_id.unwrap();
    let plain = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("plain")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    common::confirmed_user(&sdk, &pool_id, "ann", "Passw0rd-Exchange1").await;
    common::confirmed_user(&sdk, &pool_id, "svc", "Passw0rd-Exchange1").await;
    let (access, id) = user_tokens(&sdk, &client_id, "ann").await;
    let (actor, _) = user_tokens(&sdk, &client_id, "svc").await;
    let http = reqwest::Client::new();
    let call = |body: Value| {
        let (http, url) = (http.clone(), url.clone());
        async move { signed_call(&http, &url, "GetDerivedToken", &body).await }
    };

    // Impersonation: the subject's own token, bound to a resource server.
    let (status, body) = call(json!({
        "ClientId": client_id, "SubjectToken": access, "SubjectTokenType": "ACCESS_TOKEN",
        "Resources": ["orders"],
    }))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["IssuedTokenType"], "ACCESS_TOKEN");
    assert_eq!(body["TokenType"], "Bearer");
    assert!(body["ExpiresIn"].as_i64().unwrap() <= 3600);
    assert!(body.get("RefreshToken").is_none());
    let issued = body["IssuedToken"].as_str().unwrap().to_owned();
    let derived = claims(&issued);
    let subject = claims(&access);
    assert_eq!(derived["sub"], subject["sub"]);
    assert_eq!(derived["username"], "ann");
    assert_eq!(derived["aud"], "orders");
    assert_eq!(derived["scope"], "aws.cognito.signin.user.admin");
    assert!(derived.get("act").is_none());
    assert_ne!(derived["jti"], subject["jti"]);
    // A real token of the pool: it calls GetUser.
    let user = sdk.get_user().access_token(&issued).send().await.unwrap();
    assert_eq!(user.username(), "ann");

    // Delegation: the actor named in `act`; an ID token asked for is N_A.
    let (status, body) = call(json!({
        "ClientId": client_id, "SubjectToken": id, "SubjectTokenType": "ID_TOKEN",
        "ActorToken": actor, "ActorTokenType": "ACCESS_TOKEN",
        "RequestedTokenType": "ID_TOKEN", "Audiences": ["billing"],
    }))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["TokenType"], "N_A");
    let derived = claims(body["IssuedToken"].as_str().unwrap());
    assert_eq!(derived["token_use"], "id");
    assert_eq!(derived["aud"], "billing");
    assert_eq!(derived["act"]["sub"], claims(&actor)["sub"]);
    assert_eq!(derived["cognito:username"], "ann");

    // Refusals: both an audience and a resource; a client without the flows; a
    // subject that is not a token of the pool; a scope outside the subject's is dropped.
    let refused = |status: u16, body: &Value, kind: &str| {
        assert_eq!(
            (status, body["__type"].as_str()),
            (400, Some(kind)),
            "{body}"
        );
    };
    let (status, body) = call(json!({
        "ClientId": client_id, "SubjectToken": access, "SubjectTokenType": "ACCESS_TOKEN",
        "Resources": ["orders"], "Audiences": ["billing"],
    }))
    .await;
    refused(status, &body, "InvalidParameterException");
    let (status, body) = call(json!({
        "ClientId": plain, "SubjectToken": access, "SubjectTokenType": "ACCESS_TOKEN",
    }))
    .await;
    refused(status, &body, "InvalidParameterException");
    let mut forged = access.clone();
    forged.pop();
    let (status, body) = call(json!({
        "ClientId": client_id, "SubjectToken": forged, "SubjectTokenType": "ACCESS_TOKEN",
    }))
    .await;
    refused(status, &body, "NotAuthorizedException");
    let (status, body) = call(json!({
        "ClientId": client_id, "SubjectToken": access, "SubjectTokenType": "ACCESS_TOKEN",
        "Scopes": ["orders/write"],
    }))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Scopes"], json!([]));
    // Once the user signs out everywhere, the subject no longer exchanges.
    sdk.global_sign_out()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let (status, body) = call(json!({
        "ClientId": client_id, "SubjectToken": access, "SubjectTokenType": "ACCESS_TOKEN",
    }))
    .await;
    refused(status, &body, "NotAuthorizedException");
}
