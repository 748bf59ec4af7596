//! `cognito pool` and `cognito user`: conveniences for local work, against `cognito serve`.

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::types::{
    AttributeType, DeviceConfigurationType, ExplicitAuthFlowsType, MessageActionType,
    UserPoolMfaType, VerifiedAttributeType,
};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

/// The endpoint the admin conveniences talk to.
#[derive(Debug, Args)]
pub struct Endpoint {
    /// The server (these commands are meant for `cognito serve`; any credentials are sent).
    #[arg(
        long,
        env = "COGNITO_ENDPOINT",
        default_value = "http://127.0.0.1:9229"
    )]
    endpoint: String,
    /// The region of the requests.
    #[arg(long, default_value = "us-east-1")]
    region: String,
}

impl Endpoint {
    fn client(&self) -> cip::Client {
        cip::Client::from_conf(
            cip::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new(self.region.clone()))
                .credentials_provider(Credentials::new(
                    "local",
                    "local",
                    None,
                    None,
                    "cognito-cli",
                ))
                .endpoint_url(&self.endpoint)
                .build(),
        )
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Mfa {
    Off,
    Optional,
    On,
}

/// `cognito pool ...`
#[derive(Debug, Subcommand)]
pub enum PoolCommand {
    /// Create a user pool and an app client (SRP, password, admin and refresh flows).
    #[command(after_help = "Example:
  cognito pool create dev --mfa optional --device-tracking --client-secret")]
    Create {
        /// The pool's name.
        name: String,
        /// MFA for the pool.
        #[arg(long, value_enum, default_value = "off")]
        mfa: Mfa,
        /// Track devices (remembered devices can then skip MFA).
        #[arg(long)]
        device_tracking: bool,
        /// Give the app client a secret.
        #[arg(long)]
        client_secret: bool,
        #[command(flatten)]
        endpoint: Endpoint,
    },
    /// List the user pools.
    #[command(after_help = "Example:
  cognito pool list --endpoint http://127.0.0.1:9229")]
    List {
        #[command(flatten)]
        endpoint: Endpoint,
    },
}

/// `cognito user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a confirmed user with a permanent password (or a temporary one with --temporary).
    #[command(after_help = "Example:
  cognito user create --pool-id us-east-1_AbCdEfGhI --username ada --password 'Correct-Horse-1!' --email ada@example.com")]
    Create {
        #[arg(long, env = "COGNITO_POOL_ID")]
        pool_id: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// The password must be changed at first login.
        #[arg(long)]
        temporary: bool,
        /// An email address (marked verified).
        #[arg(long)]
        email: Option<String>,
        /// A phone number in E.164 form (marked verified).
        #[arg(long)]
        phone: Option<String>,
        #[command(flatten)]
        endpoint: Endpoint,
    },
    /// List the users of a pool.
    #[command(after_help = "Example:
  cognito user list --pool-id us-east-1_AbCdEfGhI")]
    List {
        #[arg(long, env = "COGNITO_POOL_ID")]
        pool_id: String,
        #[command(flatten)]
        endpoint: Endpoint,
    },
}

fn err<E>(e: cip::error::SdkError<E>) -> String
where
    E: cip::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    cognito::Error::from(e).to_string()
}

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("name set")
}

/// Runs `cognito pool ...`.
pub async fn pool(command: PoolCommand) -> Result<(), String> {
    match command {
        PoolCommand::Create {
            name,
            mfa,
            device_tracking,
            client_secret,
            endpoint,
        } => {
            let sdk = endpoint.client();
            let mut request = sdk
                .create_user_pool()
                .pool_name(&name)
                .auto_verified_attributes(VerifiedAttributeType::Email)
                .mfa_configuration(match mfa {
                    Mfa::Off => UserPoolMfaType::Off,
                    Mfa::Optional => UserPoolMfaType::Optional,
                    Mfa::On => UserPoolMfaType::On,
                });
            if device_tracking {
                request = request.device_configuration(
                    DeviceConfigurationType::builder()
                        .challenge_required_on_new_device(true)
                        .device_only_remembered_on_user_prompt(false)
                        .build(),
                );
            }
            let created = request.send().await.map_err(err)?;
            let pool_id = created
                .user_pool()
                .and_then(|p| p.id())
                .unwrap_or_default()
                .to_owned();
            let client = sdk
                .create_user_pool_client()
                .user_pool_id(&pool_id)
                .client_name(format!("{name}-app"))
                .generate_secret(client_secret)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                .send()
                .await
                .map_err(err)?;
            let client = client.user_pool_client();
            let value = json!({
                "pool_id": pool_id,
                "client_id": client.and_then(|c| c.client_id()),
                "client_secret": client.and_then(|c| c.client_secret()),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        PoolCommand::List { endpoint } => {
            let sdk = endpoint.client();
            let mut token = None;
            loop {
                let page = sdk
                    .list_user_pools()
                    .max_results(60)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(err)?;
                for pool in page.user_pools() {
                    println!(
                        "{}\t{}",
                        pool.id().unwrap_or("-"),
                        pool.name().unwrap_or("-")
                    );
                }
                token = page.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Runs `cognito user ...`.
pub async fn user(command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Create {
            pool_id,
            username,
            password,
            temporary,
            email,
            phone,
            endpoint,
        } => {
            let sdk = endpoint.client();
            let mut request = sdk
                .admin_create_user()
                .user_pool_id(&pool_id)
                .username(&username)
                .message_action(MessageActionType::Suppress);
            if let Some(email) = &email {
                request = request
                    .user_attributes(attr("email", email))
                    .user_attributes(attr("email_verified", "true"));
            }
            if let Some(phone) = &phone {
                request = request
                    .user_attributes(attr("phone_number", phone))
                    .user_attributes(attr("phone_number_verified", "true"));
            }
            request.send().await.map_err(err)?;
            sdk.admin_set_user_password()
                .user_pool_id(&pool_id)
                .username(&username)
                .password(&password)
                .permanent(!temporary)
                .send()
                .await
                .map_err(err)?;
            eprintln!("created {username} in {pool_id}");
        }
        UserCommand::List { pool_id, endpoint } => {
            let sdk = endpoint.client();
            let mut token = None;
            loop {
                let page = sdk
                    .list_users()
                    .user_pool_id(&pool_id)
                    .set_pagination_token(token)
                    .send()
                    .await
                    .map_err(err)?;
                for user in page.users() {
                    let email = user
                        .attributes()
                        .iter()
                        .find(|a| a.name() == "email")
                        .and_then(|a| a.value())
                        .unwrap_or("-");
                    let status = user.user_status().map_or("-", |s| s.as_str());
                    println!("{}\t{status}\t{email}", user.username().unwrap_or("-"));
                }
                token = page.pagination_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
        }
    }
    Ok(())
}
