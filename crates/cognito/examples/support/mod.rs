//! An embedded cognito-local with one pool and one app client, so the examples run offline.
//! Against a real pool, build `Cognito` with its ids instead (and no endpoint URL).

#![allow(dead_code)]

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::types::{
    DeviceConfigurationType, ExplicitAuthFlowsType, UserPoolMfaType, VerifiedAttributeType,
};
use cognito::Cognito;
use cognito_local::{RunningServer, Server};

pub struct Local {
    pub server: RunningServer,
    pub url: String,
    pub pool_id: String,
    pub client_id: String,
}

pub fn credentials() -> Credentials {
    Credentials::new("local", "local", None, None, "example")
}

/// Starts cognito-local in this process and creates a pool and an app client.
pub async fn start(mfa: UserPoolMfaType) -> Result<Local, Box<dyn std::error::Error>> {
    let server = Server::builder().in_memory().start().await?;
    let url = server.url();
    let admin = cip::Client::from_conf(
        cip::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials())
            .endpoint_url(&url)
            .build(),
    );
    let pool = admin
        .create_user_pool()
        .pool_name("example")
        .mfa_configuration(mfa)
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(false)
                .build(),
        )
        .send()
        .await?;
    let pool_id = pool
        .user_pool()
        .and_then(|p| p.id())
        .ok_or("no pool id")?
        .to_owned();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("example")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .ok_or("no client id")?
        .to_owned();
    Ok(Local {
        server,
        url,
        pool_id,
        client_id,
    })
}

impl Local {
    /// A client of the app, with admin credentials for the admin operations.
    pub fn cognito(&self) -> Result<Cognito, cognito::Error> {
        Cognito::builder()
            .pool_id(&self.pool_id)
            .client_id(&self.client_id)
            .endpoint_url(&self.url)
            .credentials(credentials())
            .build()
    }

    /// The latest code cognito-local "sent" to a user (its outbox).
    pub async fn last_code(&self, username: &str) -> Result<String, Box<dyn std::error::Error>> {
        let url = format!(
            "{}/_local/messages?pool_id={}&username={username}",
            self.url, self.pool_id
        );
        let body: serde_json::Value =
            serde_json::from_slice(&reqwest::get(url).await?.bytes().await?)?;
        body["messages"]
            .as_array()
            .and_then(|m| m.iter().rev().find_map(|m| m["code"].as_str()))
            .map(str::to_owned)
            .ok_or_else(|| "no code sent".into())
    }
}

/// The TOTP code of a base32 secret, `steps_ahead` 30-second steps from now (what an
/// authenticator app shows now, or in half a minute).
pub fn totp_code(secret: &str, steps_ahead: u64) -> Result<String, Box<dyn std::error::Error>> {
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(totp_rs::Secret::try_from_base32(secret)?)
        .build()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    Ok(totp.generate(now + 30 * steps_ahead).to_string())
}
