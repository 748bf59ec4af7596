//! A real `cognito-local` on 127.0.0.1:0, a pool and an app client made through the
//! official SDK, and `cognito::Cognito` clients pointed at it.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
use cip::types::{
    AliasAttributeType, AttributeDataType, DeviceConfigurationType, ExplicitAuthFlowsType,
    SchemaAttributeType, UserPoolMfaType, VerifiedAttributeType,
};
use cognito::{Cognito, CognitoBuilder, TokenStore};
use cognito_local::{Clock as _, ManualClock, RunningServer, Server};

pub const PASSWORD: &str = "Correct-Horse-1!";

/// What a test pool looks like.
#[derive(Clone, Default)]
pub struct PoolSpec {
    pub secret: bool,
    pub email_alias: bool,
    pub mfa: Option<UserPoolMfaType>,
    pub devices: bool,
    /// Custom authentication triggers (in process): [`DEFINE`], [`CREATE`], [`VERIFY`].
    pub custom_auth: bool,
}

pub const DEFINE: &str = "arn:aws:lambda:us-east-1:123456789012:function:define";
pub const CREATE: &str = "arn:aws:lambda:us-east-1:123456789012:function:create";
pub const VERIFY: &str = "arn:aws:lambda:us-east-1:123456789012:function:verify";

/// Custom authentication by code: after SRP_A, PASSWORD_VERIFIER; a passed custom
/// challenge signs in; three failures end it; otherwise a challenge whose answer in
/// round N is `code-N` (public parameter `round`).
fn with_custom_auth(builder: cognito_local::ServerBuilder) -> cognito_local::ServerBuilder {
    use serde_json::{Value, json};
    builder
        .trigger(DEFINE, |mut event: Value| async move {
            let rounds = event["request"]["session"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let last = rounds.last().cloned().unwrap_or(Value::Null);
            let failures = rounds
                .iter()
                .filter(|r| r["challengeResult"] == false)
                .count();
            let response = &mut event["response"];
            match (
                last["challengeName"].as_str(),
                last["challengeResult"].as_bool(),
            ) {
                (Some("SRP_A"), _) => response["challengeName"] = json!("PASSWORD_VERIFIER"),
                (Some("CUSTOM_CHALLENGE"), Some(true)) => response["issueTokens"] = json!(true),
                _ if failures >= 3 => response["failAuthentication"] = json!(true),
                _ => response["challengeName"] = json!("CUSTOM_CHALLENGE"),
            }
            Ok(event)
        })
        .trigger(CREATE, |mut event: Value| async move {
            let round = event["request"]["session"].as_array().map_or(0, Vec::len);
            event["response"] = json!({
                "publicChallengeParameters": {"round": round.to_string()},
                "privateChallengeParameters": {"code": format!("code-{round}")},
            });
            Ok(event)
        })
        .trigger(VERIFY, |mut event: Value| async move {
            let right = event["request"]["challengeAnswer"]
                == event["request"]["privateChallengeParameters"]["code"];
            event["response"]["answerCorrect"] = json!(right);
            Ok(event)
        })
}

pub struct Local {
    pub server: RunningServer,
    pub url: String,
    pub admin: cip::Client,
    pub pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The server's clock, when the test controls it (clients built here read it too).
    pub clock: Option<ManualClock>,
}

pub fn credentials() -> Credentials {
    Credentials::new("AKIDLOCAL", "local-secret", None, None, "test")
}

pub async fn start(spec: PoolSpec) -> Local {
    start_with_clock(spec, None).await
}

/// A server (and the clients built from it) on a clock the test moves, starting now.
pub async fn start_on_manual_clock(spec: PoolSpec) -> Local {
    start_with_clock(spec, Some(ManualClock::at(SystemTime::now()))).await
}

async fn start_with_clock(spec: PoolSpec, clock: Option<ManualClock>) -> Local {
    let mut builder = Server::builder().in_memory();
    if let Some(clock) = &clock {
        builder = builder.clock(clock.clone());
    }
    if spec.custom_auth {
        builder = with_custom_auth(builder);
    }
    let server = builder.start().await.expect("server starts");
    let url = server.url();
    let config = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .retry_config(RetryConfig::disabled())
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials())
        .endpoint_url(&url)
        .build();
    let admin = cip::Client::from_conf(config);

    let mut pool = admin
        .create_user_pool()
        .pool_name("test")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .schema(
            SchemaAttributeType::builder()
                .name("city")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        );
    if spec.email_alias {
        pool = pool.alias_attributes(AliasAttributeType::Email);
    }
    if let Some(mfa) = spec.mfa {
        pool = pool.mfa_configuration(mfa);
    }
    if spec.custom_auth {
        pool = pool.lambda_config(
            cip::types::LambdaConfigType::builder()
                .define_auth_challenge(DEFINE)
                .create_auth_challenge(CREATE)
                .verify_auth_challenge_response(VERIFY)
                .build(),
        );
    }
    if spec.devices {
        pool = pool.device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(true)
                .build(),
        );
    }
    let pool_id = pool
        .send()
        .await
        .unwrap()
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(spec.secret)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowCustomAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    Local {
        server,
        url,
        admin,
        pool_id,
        client_id: client.client_id().unwrap().to_owned(),
        client_secret: client.client_secret().map(str::to_owned),
        clock,
    }
}

impl Local {
    /// A builder for this pool's app client, with admin credentials and no retries.
    pub fn builder(&self) -> CognitoBuilder {
        let mut builder = Cognito::builder()
            .pool_id(&self.pool_id)
            .client_id(&self.client_id)
            .endpoint_url(&self.url)
            .credentials(credentials())
            .retry_config(RetryConfig::disabled());
        if let Some(secret) = &self.client_secret {
            builder = builder.client_secret(secret);
        }
        if let Some(clock) = self.clock.clone() {
            builder = builder.clock(move || clock.now());
        }
        builder
    }

    /// Moves the server's (and its clients') clock forward.
    pub fn advance(&self, by: std::time::Duration) {
        self.clock
            .as_ref()
            .expect("started with start_on_manual_clock")
            .advance(by);
    }

    pub fn cognito(&self) -> Cognito {
        self.builder().build().unwrap()
    }

    pub fn cognito_with_store(&self, store: Arc<dyn TokenStore>, remember: bool) -> Cognito {
        self.builder()
            .token_store(store)
            .remember_devices(remember)
            .build()
            .unwrap()
    }

    /// A confirmed user with a permanent password (and a verified email).
    pub async fn user(&self, username: &str, extra: &[(&str, &str)]) {
        let mut create = self
            .admin
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(username)
            .message_action(cip::types::MessageActionType::Suppress)
            .user_attributes(attr("email", &format!("{username}@example.com")))
            .user_attributes(attr("email_verified", "true"));
        for (name, value) in extra {
            create = create.user_attributes(attr(name, value));
        }
        create.send().await.unwrap();
        self.admin
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
    }

    /// The latest code in the outbox for a user.
    pub async fn last_code(&self, username: &str) -> String {
        let body = reqwest::get(format!(
            "{}/_local/messages?pool_id={}&username={username}",
            self.url, self.pool_id
        ))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        value["messages"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find_map(|m| m["code"].as_str().map(str::to_owned))
            .expect("a code was sent")
    }
}

pub fn attr(name: &str, value: &str) -> cip::types::AttributeType {
    cip::types::AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// The TOTP code of a base32 secret, `offset` steps of 30 s from now.
pub fn totp(secret: &str, offset: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    totp.generate((now + 30 * offset) as u64).to_string()
}

impl Local {
    /// A domain for the pool, a resource server `orders` with the scope `read`, and a
    /// confidential client of the client_credentials grant for `orders/read`:
    /// `(client id, client secret)`.
    pub async fn service_client(&self, domain: &str) -> (String, String) {
        use cip::types::{OAuthFlowType, ResourceServerScopeType};
        self.admin
            .create_user_pool_domain()
            .user_pool_id(&self.pool_id)
            .domain(domain)
            .send()
            .await
            .unwrap();
        self.admin
            .create_resource_server()
            .user_pool_id(&self.pool_id)
            .identifier("orders")
            .name("Orders")
            .scopes(
                ResourceServerScopeType::builder()
                    .scope_name("read")
                    .scope_description("read orders")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
        let client = self
            .admin
            .create_user_pool_client()
            .user_pool_id(&self.pool_id)
            .client_name("service")
            .generate_secret(true)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
            .allowed_o_auth_scopes("orders/read")
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap();
        (
            client.client_id().unwrap().to_owned(),
            client.client_secret().unwrap().to_owned(),
        )
    }
}
