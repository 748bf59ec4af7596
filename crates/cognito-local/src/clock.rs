//! The one injected clock, and the one time type.
//!
//! Nothing else in the crate reads the system time: every "now" comes from the
//! [`Clock`] the server was built with ([`crate::ServerBuilder::clock`]), so expiry,
//! lockout and TOTP steps can be tested by moving a [`ManualClock`].

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where the server reads the time.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use cognito_local::{Clock, ManualClock};
///
/// let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_060));
/// ```
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system's clock: the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to (clones share the same time), for tests.
#[derive(Debug, Clone)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock stopped at `time`.
    pub fn at(time: SystemTime) -> Self {
        Self {
            millis: Arc::new(AtomicI64::new(UnixTime::from_system(time).millis)),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.millis.fetch_add(by, Ordering::SeqCst);
    }

    /// Sets the clock.
    pub fn set(&self, time: SystemTime) {
        self.millis
            .store(UnixTime::from_system(time).millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        UnixTime {
            millis: self.millis.load(Ordering::SeqCst),
        }
        .to_system()
    }
}

/// A moment, to the millisecond, as seconds since the Unix epoch. The store and the
/// wire both write it as a number of seconds (with a fraction), as AWS writes dates.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime {
    millis: i64,
}

impl UnixTime {
    /// The moment of a system time (before the epoch counts as the epoch).
    pub fn from_system(time: SystemTime) -> Self {
        let millis = time
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Self { millis }
    }

    fn to_system(self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(u64::try_from(self.millis).unwrap_or(0))
    }

    /// Whole seconds since the epoch (rounded down), as JWT claims count them.
    pub fn secs(self) -> i64 {
        self.millis.div_euclid(1000)
    }

    /// Milliseconds since the epoch (CloudWatch's timestamps).
    pub fn millis(self) -> i64 {
        self.millis
    }

    /// Seconds since the epoch with the fraction, as the wire shows dates.
    pub fn secs_f64(self) -> f64 {
        self.millis as f64 / 1000.0
    }

    /// This moment plus `secs` seconds.
    pub fn plus_secs(self, secs: i64) -> Self {
        Self {
            millis: self.millis.saturating_add(secs.saturating_mul(1000)),
        }
    }
}

impl fmt::Debug for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.secs_f64())
    }
}

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.secs_f64())
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    /// Whole or fractional seconds: records written before this type kept both.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let secs = f64::deserialize(deserializer)?;
        Ok(Self {
            millis: (secs * 1000.0).round() as i64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_and_fractional_seconds_and_writes_seconds() {
        let whole: UnixTime = serde_json::from_str("1700000180").unwrap();
        let fraction: UnixTime = serde_json::from_str("1700000180.25").unwrap();
        assert_eq!(whole.secs(), 1_700_000_180);
        assert_eq!(fraction.secs(), 1_700_000_180);
        assert!(fraction > whole);
        assert_eq!(serde_json::to_string(&fraction).unwrap(), "1700000180.25");
        assert_eq!(whole.plus_secs(20).secs(), 1_700_000_200);
    }
}
