//! Cognito's TIMESTAMP: `EEE MMM d HH:mm:ss UTC yyyy`, English, day not zero-padded.

use std::fmt;
use std::str::FromStr;

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::SrpError;

const FORMAT: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute]:[second] UTC [year]"
);

/// A UTC instant to the second, as Cognito's SRP signs it.
///
/// ```
/// use cognito_srp::Timestamp;
///
/// let t = Timestamp::from_unix(1_738_555_506)?; // 2025-02-03T04:05:06Z
/// assert_eq!(t.to_string(), "Mon Feb 3 04:05:06 UTC 2025");
/// assert_eq!("Mon Feb 3 04:05:06 UTC 2025".parse::<Timestamp>()?, t);
/// # Ok::<(), cognito_srp::SrpError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// The current time from the system clock.
    pub fn now() -> Self {
        Self::from_datetime(OffsetDateTime::now_utc())
    }

    /// The instant `seconds` after the Unix epoch.
    pub fn from_unix(seconds: i64) -> Result<Self, SrpError> {
        OffsetDateTime::from_unix_timestamp(seconds)
            .map(Self::from_datetime)
            .map_err(|_| SrpError::InvalidTimestamp(seconds.to_string()))
    }

    fn from_datetime(at: OffsetDateTime) -> Self {
        Self(
            at.to_offset(UtcOffset::UTC)
                .replace_nanosecond(0)
                .expect("0 ns is valid"),
        )
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// Parses a TIMESTAMP as a client sends it; the weekday must match the date.
    pub fn parse(text: &str) -> Result<Self, SrpError> {
        let invalid = || SrpError::InvalidTimestamp(text.chars().take(64).collect());
        let parsed = PrimitiveDateTime::parse(text, FORMAT).map_err(|_| invalid())?;
        let at = parsed.assume_utc();
        // `time` accepts a weekday that contradicts the date; Cognito's clients never send one.
        if Self(at).to_string() != text {
            return Err(invalid());
        }
        Ok(Self(at))
    }

    /// Refuses a timestamp more than `window_seconds` away from `now`, either way.
    ///
    /// ```
    /// use cognito_srp::{SrpError, Timestamp};
    ///
    /// let now = Timestamp::from_unix(1_000_000)?;
    /// assert!(Timestamp::from_unix(999_800)?.check_fresh(now, 300).is_ok());
    /// assert!(matches!(
    ///     Timestamp::from_unix(999_000)?.check_fresh(now, 300),
    ///     Err(SrpError::StaleTimestamp { skew_seconds: 1000 })
    /// ));
    /// # Ok::<(), SrpError>(())
    /// ```
    pub fn check_fresh(&self, now: Timestamp, window_seconds: u32) -> Result<(), SrpError> {
        let skew_seconds = now.unix() - self.unix();
        if skew_seconds.unsigned_abs() > u64::from(window_seconds) {
            return Err(SrpError::StaleTimestamp { skew_seconds });
        }
        Ok(())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl FromStr for Timestamp {
    type Err = SrpError;
    fn from_str(s: &str) -> Result<Self, SrpError> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_timestamps_are_refused() {
        for bad in [
            "",
            "Mon Feb 03 04:05:06 UTC 2025",
            "Tue Feb 3 04:05:06 UTC 2025",
            "Mon Feb 3 04:05:06 GMT 2025",
            "Mon Feb 3 4:05:06 UTC 2025",
            "Mon Feb 3 04:05:06 UTC 2025 ",
            "Mon Feb 30 04:05:06 UTC 2025",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?}");
        }
    }
}
