//! GetSigningCertificate's X.509 certificate: self-signed with the pool's RSA key, issued
//! when the pool was created and "valid for 10 years from the date of issue" (API
//! reference), its subject the pool. The same pool and key always give the same
//! certificate (RSA PKCS#1 v1.5 signatures are deterministic, the serial is derived).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_RSA_SHA256, SerialNumber};
use time::OffsetDateTime;

use crate::clock::UnixTime;
use crate::error::{CognitoError, OpResult};

/// Ten years, in seconds.
const VALIDITY_SECS: i64 = 10 * 365 * 86_400;

/// The certificate for `pool_id`'s key (PKCS#8 DER, base64 as stored), as base64 DER
/// without PEM armour, the way SAML metadata carries certificates (the API reference
/// does not say which encoding the service uses).
pub fn signing_certificate(
    pkcs8_base64: &str,
    pool_id: &str,
    issued: UnixTime,
) -> OpResult<String> {
    let der = STANDARD
        .decode(pkcs8_base64)
        .map_err(CognitoError::internal)?;
    let key = KeyPair::from_pkcs8_der_and_sign_algo(&der.as_slice().into(), &PKCS_RSA_SHA256)
        .map_err(CognitoError::internal)?;
    let mut params = CertificateParams::default();
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, pool_id);
    subject.push(DnType::OrganizationName, "Amazon Cognito (cognito-local)");
    params.distinguished_name = subject;
    let at = |secs: i64| OffsetDateTime::from_unix_timestamp(secs).map_err(CognitoError::internal);
    params.not_before = at(issued.secs())?;
    params.not_after = at(issued.secs() + VALIDITY_SECS)?;
    params.serial_number = Some(SerialNumber::from_slice(&serial(pool_id, issued)));
    let certificate = params.self_signed(&key).map_err(CognitoError::internal)?;
    Ok(STANDARD.encode(certificate.der()))
}

/// A positive 16-byte serial derived from the pool and the moment of issue.
fn serial(pool_id: &str, issued: UnixTime) -> [u8; 16] {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{pool_id}\u{1f}{}", issued.secs()).as_bytes(),
    );
    let mut serial = [0u8; 16];
    serial.copy_from_slice(&digest.as_ref()[..16]);
    serial[0] &= 0x7f;
    serial
}
