//! Configuration a pool keeps and shows back: Describe/SetRiskConfiguration (threat
//! protection's actions, pool-wide or per app client) and Get/SetLogDeliveryConfiguration.
//! The model has validated every member; what is left are the service's own rules.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::configs::{self, Config};
use crate::domain::state::Tier;
use crate::domain::{Ctx, auth_events, clients, pools};
use crate::error::{CognitoError, ErrorKind, OpResult};

/// Where logs go, CloudWatch Logs first.
const DESTINATIONS: &[&str] = &[
    "CloudWatchLogsConfiguration",
    "S3Configuration",
    "FirehoseConfiguration",
];

/// The members of a risk configuration besides the ids.
const RISK_PARTS: &[&str] = &[
    "CompromisedCredentialsRiskConfiguration",
    "AccountTakeoverRiskConfiguration",
    "RiskExceptionConfiguration",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskRequest {
    user_pool_id: String,
    client_id: Option<String>,
    #[serde(flatten)]
    parts: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogDeliveryRequest {
    user_pool_id: String,
    log_configurations: Option<Vec<Value>>,
}

/// SetRiskConfiguration. "To enable Amazon Cognito advanced security features, update
/// the user pool to include the UserPoolAddOns key AdvancedSecurityMode" (API
/// reference): with threat protection off the call is refused with
/// UserPoolAddOnNotEnabledException (the message is this server's). A client ID maps the
/// configuration to that client only; none maps it to the pool. "To delete the risk
/// configuration for UserPoolId or ClientId, pass null values for all four
/// configuration types."
pub fn set_risk_configuration(ctx: &Ctx<'_>, req: RiskRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    if let Some(client) = &req.client_id {
        clients::get(ctx, &pool.id, client)?;
    }
    auth_events::require_threat_protection(&pool)?;
    let config = Config::Risk(req.client_id.as_deref());
    let parts: Map<String, Value> = RISK_PARTS
        .iter()
        .filter_map(|name| {
            let value = req.parts.get(*name).filter(|v| !v.is_null())?;
            Some(((*name).to_owned(), value.clone()))
        })
        .collect();
    if parts.is_empty() {
        configs::delete(ctx, &pool, config)?;
    } else {
        configs::put(ctx, &pool, config, Value::Object(parts))?;
    }
    Ok(json!({ "RiskConfiguration": risk(ctx, &pool, req.client_id.as_deref())? }))
}

/// DescribeRiskConfiguration: a client's own configuration, or else the pool's, which
/// applies to every client without one (API reference, SetRiskConfiguration).
pub fn describe_risk_configuration(ctx: &Ctx<'_>, req: RiskRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    if let Some(client) = &req.client_id {
        clients::get(ctx, &pool.id, client)?;
    }
    Ok(json!({ "RiskConfiguration": risk(ctx, &pool, req.client_id.as_deref())? }))
}

/// A `RiskConfigurationType`: the ids, and what applies.
fn risk(
    ctx: &Ctx<'_>,
    pool: &crate::domain::records::PoolRecord,
    client: Option<&str>,
) -> OpResult<Value> {
    let own = match client {
        Some(_) => configs::get(ctx, pool, Config::Risk(client))?,
        None => None,
    };
    let applied = match own {
        Some(own) => Some(own),
        None => configs::get(ctx, pool, Config::Risk(None))?,
    };
    let mut out = Map::new();
    out.insert("UserPoolId".to_owned(), json!(pool.id));
    if let Some(client) = client {
        out.insert("ClientId".to_owned(), json!(client));
    }
    if let Some(record) = applied {
        if let Value::Object(parts) = record.value {
            out.extend(parts);
        }
        out.insert("LastModifiedDate".to_owned(), json!(record.modified));
    }
    Ok(Value::Object(out))
}

/// SetLogDeliveryConfiguration, by LogConfigurationType's documented rules: at most one
/// configuration per event source; `userNotification` (message-delivery errors) is
/// sent at `ERROR` to CloudWatch Logs; `userAuthEvents` (threat protection's user
/// activity) at `INFO` to one of CloudWatch Logs, S3 or Firehose, and only in the Plus
/// tier. The messages are this server's.
pub fn set_log_delivery_configuration(ctx: &Ctx<'_>, req: LogDeliveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let configurations = req.log_configurations.unwrap_or_default();
    let mut sources = Vec::new();
    for configuration in &configurations {
        let field = |name: &str| configuration[name].as_str().unwrap_or_default().to_owned();
        let (source, level) = (field("EventSource"), field("LogLevel"));
        if sources.contains(&source) {
            return Err(CognitoError::invalid_parameter(format!(
                "Only one log configuration is allowed for the event source {source}."
            )));
        }
        let given: Vec<&str> = DESTINATIONS
            .iter()
            .copied()
            .filter(|d| configuration.get(*d).is_some_and(|v| !v.is_null()))
            .collect();
        let (wanted_level, allowed): (&str, &[&str]) = if source == "userAuthEvents" {
            ("INFO", DESTINATIONS)
        } else {
            ("ERROR", &DESTINATIONS[..1])
        };
        if level != wanted_level {
            return Err(CognitoError::invalid_parameter(format!(
                "The event source {source} is logged at the {wanted_level} level."
            )));
        }
        if given.len() != 1 || !allowed.contains(&given[0]) {
            return Err(CognitoError::invalid_parameter(format!(
                "The event source {source} needs exactly one destination of: {}.",
                allowed.join(", ")
            )));
        }
        if source == "userAuthEvents" && pools::tier(&pool) != Tier::Plus {
            return Err(CognitoError::new(
                ErrorKind::FeatureUnavailableInTierException,
                format!(
                    "User activity logs (userAuthEvents) need the PLUS tier; this user pool is in the {} tier.",
                    pools::tier(&pool).as_str()
                ),
            ));
        }
        sources.push(source);
    }
    configs::put(ctx, &pool, Config::LogDelivery, json!(configurations))?;
    Ok(json!({ "LogDeliveryConfiguration": log_delivery(&pool.id, json!(configurations)) }))
}

/// GetLogDeliveryConfiguration: an empty list until one is set.
pub fn get_log_delivery_configuration(ctx: &Ctx<'_>, req: LogDeliveryRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let configurations = configs::get(ctx, &pool, Config::LogDelivery)?
        .map_or_else(|| json!([]), |record| record.value);
    Ok(json!({ "LogDeliveryConfiguration": log_delivery(&pool.id, configurations) }))
}

fn log_delivery(pool_id: &str, configurations: Value) -> Value {
    json!({ "UserPoolId": pool_id, "LogConfigurations": configurations })
}
