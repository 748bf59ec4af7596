//! An in-process server on 127.0.0.1:0 and an official AWS SDK client pointed at it.

#![allow(dead_code)]

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use cognito_local::{RunningServer, Server};

pub struct Local {
    pub server: RunningServer,
    pub sdk: cip::Client,
}

/// An SDK client for `url`, signing with any key, as any user of the server would.
pub fn sdk(url: &str, region: &str) -> cip::Client {
    let config = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::new(
            "AKIDLOCAL",
            "local-secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(url)
        .build();
    cip::Client::from_conf(config)
}

pub async fn start() -> Local {
    let server = Server::builder()
        .in_memory()
        .start()
        .await
        .expect("server starts");
    let sdk = sdk(&server.url(), "us-east-1");
    Local { server, sdk }
}

/// The exception name and message of an SDK error.
pub fn error_of<E, R>(err: cip::error::SdkError<E, R>) -> (String, String)
where
    E: cip::error::ProvideErrorMetadata,
{
    use cip::error::ProvideErrorMetadata as _;
    (
        err.code().unwrap_or("<no code>").to_owned(),
        err.message().unwrap_or("").to_owned(),
    )
}
