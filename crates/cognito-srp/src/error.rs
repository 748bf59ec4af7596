//! The one error type of the crate.

/// Everything that can go wrong in Cognito's SRP.
///
/// Each variant says what was wrong with which input; none carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrpError {
    /// A user pool id is not of the form `<region>_<name>`.
    #[error("invalid user pool id {0:?}: expected <region>_<name>, such as us-east-1_AbCdEfGhI")]
    InvalidPoolId(String),
    /// A value that should be hexadecimal is empty or has a non-hex character.
    #[error("{0} is not a hexadecimal number")]
    InvalidHex(&'static str),
    /// A value that should be standard base64 is not.
    #[error("{0} is not valid base64")]
    InvalidBase64(&'static str),
    /// A number does not fit the 3072-bit group.
    #[error("{0} is larger than the 3072-bit group allows")]
    ValueTooLarge(&'static str),
    /// A secret exponent is zero.
    #[error("a secret exponent must not be zero")]
    ZeroSecret,
    /// The server's public value B is 0 mod N (a malicious or broken server).
    #[error("the server's SRP_B is 0 mod N")]
    IllegalServerPublicValue,
    /// The client's public value A is 0 mod N (a malicious or broken client).
    #[error("the client's SRP_A is 0 mod N")]
    IllegalClientPublicValue,
    /// The scrambling parameter u = H(A ‖ B) is zero.
    #[error("the SRP scrambling parameter u is zero")]
    ZeroScrambler,
    /// A challenge lacks a parameter Cognito always sends.
    #[error("the challenge has no {0} parameter")]
    MissingParameter(&'static str),
    /// The client's PASSWORD_CLAIM_SIGNATURE does not match: wrong password,
    /// tampered secret block or timestamp.
    #[error("the password claim signature does not match")]
    SignatureMismatch,
    /// A TIMESTAMP is not in Cognito's `EEE MMM d HH:mm:ss UTC yyyy` format.
    #[error("TIMESTAMP {0:?} is not of the form `Mon Feb 3 04:05:06 UTC 2025`")]
    InvalidTimestamp(String),
    /// A TIMESTAMP is too far from the server's clock.
    #[error(
        "TIMESTAMP is {skew_seconds} s away from the server's clock, outside the accepted window"
    )]
    StaleTimestamp {
        /// How far the timestamp was from the clock, in seconds (positive: in the past).
        skew_seconds: i64,
    },
}
