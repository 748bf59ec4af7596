//! Per-pool configuration documents that the service keeps as given once the model has
//! validated them, each read back by its Describe or Get operation: risk configurations
//! (pool-wide or per app client), log delivery, and session configuration.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Ctx;
use super::records::PoolRecord;
use crate::clock::UnixTime;
use crate::error::OpResult;
use crate::store::Record;

/// A stored configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ConfigRecord {
    /// The configuration, as the request gave it.
    pub value: Value,
    /// When it was last set.
    pub modified: UnixTime,
}

impl Record for ConfigRecord {
    const KIND: &'static str = "pool_config";
}

/// Which configuration of a pool.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Config<'a> {
    /// SetRiskConfiguration, for the pool (`None`) or one app client.
    Risk(Option<&'a str>),
    /// SetLogDeliveryConfiguration.
    LogDelivery,
    /// SetUserPoolSessionConfiguration.
    Sessions,
    /// SetUserPoolClientSessionConfiguration.
    ClientSessions(&'a str),
}

impl Config<'_> {
    fn key(self) -> String {
        match self {
            Config::Risk(None) => "risk".to_owned(),
            Config::Risk(Some(client)) => format!("risk\u{1f}{client}"),
            Config::LogDelivery => "log_delivery".to_owned(),
            Config::Sessions => "sessions".to_owned(),
            Config::ClientSessions(client) => format!("sessions\u{1f}{client}"),
        }
    }
}

/// A pool's configuration, if it was set.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, config: Config<'_>) -> OpResult<Option<ConfigRecord>> {
    Ok(ctx.tx().get(&pool.id, &config.key())?)
}

/// Sets (replaces) a configuration.
pub fn put(ctx: &Ctx<'_>, pool: &PoolRecord, config: Config<'_>, value: Value) -> OpResult<()> {
    let record = ConfigRecord {
        value,
        modified: ctx.now,
    };
    Ok(ctx.tx().put(&pool.id, &config.key(), &record)?)
}

/// Removes a configuration.
pub fn delete(ctx: &Ctx<'_>, pool: &PoolRecord, config: Config<'_>) -> OpResult<()> {
    ctx.tx().delete::<ConfigRecord>(&pool.id, &config.key())?;
    Ok(())
}
