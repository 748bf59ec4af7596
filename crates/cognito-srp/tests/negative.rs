//! What each side must refuse.

mod common;

use cognito_srp::{
    ClientEphemeral, DeviceSecretVerifierConfig, N_HEX, PasswordClaim, SrpError, Timestamp,
    Verifier,
};
use common::Exchange;

const PASSWORD: &str = "Correct-Horse-Battery-Staple-1!";

fn exchange() -> Exchange {
    Exchange::new(
        "us-east-1_AbCdEfGhI",
        "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
        PASSWORD,
    )
}

#[test]
fn the_right_password_verifies() {
    let x = exchange();
    assert_eq!(x.verify(&x.answer(PASSWORD)), Ok(()));
}

#[test]
fn client_refuses_b_that_is_zero_mod_n() {
    let mut x = exchange();
    let two_n_minus_n = N_HEX.to_lowercase();
    for bad_b in ["0", "000", two_n_minus_n.as_str()] {
        x.challenge.srp_b = bad_b.to_owned();
        let result = x
            .client
            .password_claim(&x.pool, PASSWORD, &x.challenge, Timestamp::now());
        assert_eq!(
            result,
            Err(SrpError::IllegalServerPublicValue),
            "B = {bad_b}"
        );
    }
}

#[test]
fn server_refuses_a_that_is_zero_mod_n() {
    let x = exchange();
    let answer = x.answer(PASSWORD);
    for bad_a in ["0", N_HEX] {
        let claim = PasswordClaim {
            srp_a: bad_a,
            secret_block: &answer.password_claim_secret_block,
            timestamp: &answer.timestamp,
            signature: &answer.password_claim_signature,
        };
        let result = x.server.verify(&x.verifier, &x.identity, &claim);
        assert_eq!(
            result,
            Err(SrpError::IllegalClientPublicValue),
            "A = {bad_a}"
        );
    }
}

#[test]
fn malformed_hex_and_base64_are_typed_errors() {
    let x = exchange();
    let cases = [
        ("SRP_B", "xyz", SrpError::InvalidHex("SRP_B")),
        ("SRP_B", "", SrpError::InvalidHex("SRP_B")),
        ("SRP_B", &"f".repeat(769), SrpError::ValueTooLarge("SRP_B")),
        ("SALT", "0x12", SrpError::InvalidHex("SALT")),
        (
            "SECRET_BLOCK",
            "not base64!",
            SrpError::InvalidBase64("SECRET_BLOCK"),
        ),
    ];
    for (field, value, expected) in cases {
        let mut challenge = x.challenge.clone();
        match field {
            "SRP_B" => challenge.srp_b = value.to_owned(),
            "SALT" => challenge.salt = value.to_owned(),
            _ => challenge.secret_block = value.to_owned(),
        }
        let result = x
            .client
            .password_claim(&x.pool, PASSWORD, &challenge, Timestamp::now());
        assert_eq!(result, Err(expected), "{field} = {value:?}");
    }
    let answer = x.answer(PASSWORD);
    let claim = PasswordClaim {
        srp_a: "not hex",
        secret_block: &answer.password_claim_secret_block,
        timestamp: &answer.timestamp,
        signature: &answer.password_claim_signature,
    };
    assert_eq!(
        x.server.verify(&x.verifier, &x.identity, &claim),
        Err(SrpError::InvalidHex("SRP_A"))
    );
    let srp_a = x.client.srp_a();
    let claim = PasswordClaim {
        srp_a: &srp_a,
        signature: "%%",
        ..claim
    };
    assert_eq!(
        x.server.verify(&x.verifier, &x.identity, &claim),
        Err(SrpError::InvalidBase64("PASSWORD_CLAIM_SIGNATURE"))
    );
    assert_eq!(
        ClientEphemeral::from_secret(&[0, 0]).unwrap_err(),
        SrpError::ZeroSecret
    );
    let config = DeviceSecretVerifierConfig {
        password_verifier: "@".into(),
        salt: "AA==".into(),
    };
    assert_eq!(
        Verifier::from_device_config(&config),
        Err(SrpError::InvalidBase64("PasswordVerifier"))
    );
    assert_eq!(
        Verifier::from_parts(b"salt", &[0]),
        Err(SrpError::ValueTooLarge("verifier"))
    );
}

#[test]
fn a_wrong_password_is_rejected_by_the_server() {
    let x = exchange();
    for wrong in [
        "",
        "correct-horse-battery-staple-1!",
        "Correct-Horse-Battery-Staple-1",
        "Correct-Horse-Battery-Staple-1!!",
    ] {
        assert_eq!(
            x.verify(&x.answer(wrong)),
            Err(SrpError::SignatureMismatch),
            "{wrong:?}"
        );
    }
}

#[test]
fn a_tampered_secret_block_or_timestamp_is_rejected() {
    let x = exchange();
    let mut answer = x.answer(PASSWORD);
    answer.password_claim_secret_block = "c2VydmVyIHN0YXRlIGZvciBhbm90aGVyIGxvZ2lu".into();
    assert_eq!(x.verify(&answer), Err(SrpError::SignatureMismatch));

    let mut answer = x.answer(PASSWORD);
    let signed = Timestamp::parse(&answer.timestamp).unwrap();
    answer.timestamp = Timestamp::from_unix(signed.unix() + 1).unwrap().to_string();
    assert_eq!(x.verify(&answer), Err(SrpError::SignatureMismatch));
}

#[test]
fn a_stale_timestamp_is_refused() {
    let now = Timestamp::from_unix(1_738_555_506).unwrap();
    let stale = Timestamp::from_unix(1_738_555_506 - 301).unwrap();
    let future = Timestamp::from_unix(1_738_555_506 + 400).unwrap();
    assert_eq!(
        stale.check_fresh(now, 300),
        Err(SrpError::StaleTimestamp { skew_seconds: 301 })
    );
    assert_eq!(
        future.check_fresh(now, 300),
        Err(SrpError::StaleTimestamp { skew_seconds: -400 })
    );
    assert_eq!(now.check_fresh(now, 0), Ok(()));
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let x = exchange();
    let printed = format!("{:?} {:?} {:?}", x.client, x.server, x.verifier);
    assert_eq!(printed.matches("<redacted>").count(), 3, "{printed}");
    let secret = x.server.secret();
    let secret_hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!printed.contains(&secret_hex));
    assert_eq!(secret.len(), cognito_srp::EPHEMERAL_BYTES);
}
