//! The byte and text encodings Cognito's SRP hashes and sends.
//!
//! * `enc`: the minimal big-endian two's-complement encoding of a non-negative
//!   integer (pycognito's `pad_hex`, amazon-cognito-identity-js's `padHex`): no
//!   leading zero bytes, except one `0x00` when the top bit would be set; zero is `[0x00]`.
//! * Hex on the wire is unpadded lowercase and may have an odd length.

use crypto_bigint::U3072;
use zeroize::Zeroizing;

use crate::SrpError;

/// Bytes of a group element.
pub(crate) const GROUP_BYTES: usize = 384;

/// `enc` of a non-negative integer given as big-endian bytes (leading zeros allowed).
pub(crate) fn enc_bytes(be: &[u8]) -> Vec<u8> {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let digits = &be[first..];
    let mut out = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(digits);
    out
}

/// `enc` of a group element.
pub(crate) fn enc_uint(value: &U3072) -> Vec<u8> {
    enc_bytes(&value.to_be_bytes())
}

/// `enc` of a secret group element, zeroized after use.
pub(crate) fn enc_secret(value: &U3072) -> Zeroizing<Vec<u8>> {
    let be = Zeroizing::new(value.to_be_bytes());
    Zeroizing::new(enc_bytes(be.as_ref()))
}

/// Unpadded lowercase hex of a group element, as Cognito sends SRP_A and SRP_B.
pub(crate) fn hex_unpadded(value: &U3072) -> String {
    let bytes = value.to_be_bytes();
    let full = hex_lower(bytes.as_ref());
    let trimmed = full.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Lowercase hex of bytes, two digits each.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Big-endian bytes of a hex number of any length, odd lengths included.
pub(crate) fn parse_hex(field: &'static str, text: &str) -> Result<Vec<u8>, SrpError> {
    let digits = text.as_bytes();
    if digits.is_empty() {
        return Err(SrpError::InvalidHex(field));
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(SrpError::InvalidHex(field)),
    };
    let mut out = Vec::with_capacity(digits.len().div_ceil(2));
    let (head, rest) = digits.split_at(digits.len() % 2);
    if let Some(&c) = head.first() {
        out.push(nibble(c)?);
    }
    for pair in rest.chunks_exact(2) {
        out.push((nibble(pair[0])? << 4) | nibble(pair[1])?);
    }
    Ok(out)
}

/// A big-endian byte string as a group-sized integer, or `ValueTooLarge`.
pub(crate) fn uint_from_be(field: &'static str, be: &[u8]) -> Result<U3072, SrpError> {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let digits = &be[first..];
    if digits.len() > GROUP_BYTES {
        return Err(SrpError::ValueTooLarge(field));
    }
    let mut padded = Zeroizing::new([0u8; GROUP_BYTES]);
    padded[GROUP_BYTES - digits.len()..].copy_from_slice(digits);
    Ok(U3072::from_be_slice(padded.as_ref()))
}

/// A hex number as a group-sized integer.
pub(crate) fn uint_from_hex(field: &'static str, text: &str) -> Result<U3072, SrpError> {
    uint_from_be(field, &parse_hex(field, text)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enc_adds_a_zero_byte_only_when_the_top_bit_is_set() {
        assert_eq!(enc_bytes(&[0x00, 0x00, 0x7f]), vec![0x7f]);
        assert_eq!(enc_bytes(&[0x80]), vec![0x00, 0x80]);
        assert_eq!(enc_bytes(&[0x00, 0x80, 0x01]), vec![0x00, 0x80, 0x01]);
        assert_eq!(enc_bytes(&[]), vec![0x00]);
        assert_eq!(enc_bytes(&[0, 0]), vec![0x00]);
    }

    #[test]
    fn hex_parses_odd_lengths_and_either_case() {
        assert_eq!(parse_hex("x", "abc").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(parse_hex("x", "0ABC").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(parse_hex("x", ""), Err(SrpError::InvalidHex("x")));
        assert_eq!(parse_hex("x", "12g4"), Err(SrpError::InvalidHex("x")));
        assert_eq!(parse_hex("x", "-1"), Err(SrpError::InvalidHex("x")));
    }

    #[test]
    fn hex_round_trips_unpadded() {
        let value = uint_from_hex("x", "0000abc").unwrap();
        assert_eq!(hex_unpadded(&value), "abc");
        assert_eq!(hex_unpadded(&U3072::ZERO), "0");
    }

    #[test]
    fn values_wider_than_the_group_are_refused() {
        let too_wide = format!("1{}", "0".repeat(768));
        assert_eq!(
            uint_from_hex("B", &too_wide),
            Err(SrpError::ValueTooLarge("B"))
        );
        let leading_zeros = format!("{}1", "0".repeat(1000));
        assert_eq!(
            hex_unpadded(&uint_from_hex("B", &leading_zeros).unwrap()),
            "1"
        );
    }
}
