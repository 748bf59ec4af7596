//! Configuration a pool keeps and shows back, through the AWS SDK for Rust: risk
//! configurations (pool-wide and per client) and log delivery.

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    CloudWatchLogsConfigurationType, EventSourceName, LogConfigurationType, LogLevel,
    RiskExceptionConfigurationType, S3ConfigurationType, UserPoolTierType,
};
use common::{app_client, error_of, pool_with, start};

fn blocked(range: &str) -> RiskExceptionConfigurationType {
    RiskExceptionConfigurationType::builder()
        .blocked_ip_range_list(range)
        .build()
}

#[tokio::test]
async fn risk_configurations_apply_to_the_pool_or_one_client() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = app_client(sdk, &pool_id).await;

    // Threat protection off: refused.
    let (code, _) = error_of(
        sdk.set_risk_configuration()
            .user_pool_id(&pool_id)
            .risk_exception_configuration(blocked("10.0.0.0/8"))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserPoolAddOnNotEnabledException");

    common::threat_protection(sdk, &pool_id).await;
    let set = sdk
        .set_risk_configuration()
        .user_pool_id(&pool_id)
        .risk_exception_configuration(blocked("10.0.0.0/8"))
        .send()
        .await
        .unwrap();
    let shown = set.risk_configuration().unwrap();
    assert_eq!(shown.user_pool_id(), Some(pool_id.as_str()));
    assert!(shown.last_modified_date().is_some());

    // A client without its own configuration gets the pool's; with its own, its own.
    let described = |client: Option<String>| {
        let request = sdk.describe_risk_configuration().user_pool_id(&pool_id);
        async move {
            let reply = request.set_client_id(client).send().await.unwrap();
            let config = reply.risk_configuration().unwrap().clone();
            config
                .risk_exception_configuration()
                .map(|r| r.blocked_ip_range_list().to_vec())
                .unwrap_or_default()
        }
    };
    assert_eq!(described(Some(client_id.clone())).await, ["10.0.0.0/8"]);
    sdk.set_risk_configuration()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .risk_exception_configuration(blocked("192.168.0.0/16"))
        .send()
        .await
        .unwrap();
    assert_eq!(described(Some(client_id.clone())).await, ["192.168.0.0/16"]);
    assert_eq!(described(None).await, ["10.0.0.0/8"]);

    // Nothing given deletes: the client falls back to the pool's, the pool to nothing.
    sdk.set_risk_configuration()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    assert_eq!(described(Some(client_id.clone())).await, ["10.0.0.0/8"]);
    sdk.set_risk_configuration()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert!(described(None).await.is_empty());

    let (code, _) = error_of(
        sdk.describe_risk_configuration()
            .user_pool_id(&pool_id)
            .client_id("nosuchclient")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "ResourceNotFoundException");
}

#[tokio::test]
async fn log_delivery_follows_the_documented_rules() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let got = sdk
        .get_log_delivery_configuration()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert!(
        got.log_delivery_configuration()
            .unwrap()
            .log_configurations()
            .is_empty()
    );

    let cloudwatch = CloudWatchLogsConfigurationType::builder()
        .log_group_arn("arn:aws:logs:us-east-1:123456789012:log-group:cognito")
        .build();
    let notification = |level: LogLevel| {
        LogConfigurationType::builder()
            .event_source(EventSourceName::UserNotification)
            .log_level(level)
            .cloud_watch_logs_configuration(cloudwatch.clone())
            .build()
            .unwrap()
    };
    sdk.set_log_delivery_configuration()
        .user_pool_id(&pool_id)
        .log_configurations(notification(LogLevel::Error))
        .send()
        .await
        .unwrap();
    let got = sdk
        .get_log_delivery_configuration()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let configurations = got
        .log_delivery_configuration()
        .unwrap()
        .log_configurations();
    assert_eq!(configurations, [notification(LogLevel::Error)]);

    // userNotification is sent at ERROR; user activity needs the Plus tier.
    let (code, _) = error_of(
        sdk.set_log_delivery_configuration()
            .user_pool_id(&pool_id)
            .log_configurations(notification(LogLevel::Info))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");
    let activity = LogConfigurationType::builder()
        .event_source(EventSourceName::UserAuthEvents)
        .log_level(LogLevel::Info)
        .s3_configuration(
            S3ConfigurationType::builder()
                .bucket_arn("arn:aws:s3:::cognito-logs")
                .build(),
        )
        .build()
        .unwrap();
    let (code, _) = error_of(
        sdk.set_log_delivery_configuration()
            .user_pool_id(&pool_id)
            .log_configurations(activity.clone())
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "FeatureUnavailableInTierException");
    sdk.update_user_pool()
        .user_pool_id(&pool_id)
        .user_pool_tier(UserPoolTierType::Plus)
        .send()
        .await
        .unwrap();
    sdk.set_log_delivery_configuration()
        .user_pool_id(&pool_id)
        .log_configurations(notification(LogLevel::Error))
        .log_configurations(activity)
        .send()
        .await
        .unwrap();
    let got = sdk
        .get_log_delivery_configuration()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.log_delivery_configuration()
            .unwrap()
            .log_configurations()
            .len(),
        2
    );
}
