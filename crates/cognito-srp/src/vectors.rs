//! Every value of `tests/data/srp.json` (cross-checked against pycognito and
//! amazon-cognito-identity-js), intermediate values included, byte for byte.

use serde_json::Value;

use crate::encoding::{enc_bytes, enc_uint, hex_lower, hex_unpadded, parse_hex, uint_from_hex};
use crate::group::{Exponent, group};
use crate::kdf::{private_key, scrambler, session_key};
use crate::*;

fn vectors() -> Value {
    serde_json::from_str(include_str!("../tests/data/srp.json")).expect("vector file is JSON")
}

fn s(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a string"))
}

fn bytes(value: &Value) -> Vec<u8> {
    parse_hex("vector", s(value)).unwrap()
}

fn fixed_time(v: &Value) -> Timestamp {
    let expected = s(&v["common_inputs"]["fixed_utc_instant"]);
    assert_eq!(expected, "2025-02-03T04:05:06Z");
    Timestamp::from_unix(1_738_555_506).unwrap()
}

/// Checks one password-flow vector, every intermediate value included.
fn check_password_vector(all: &Value, case: &Value, secret: Option<&str>) {
    let label = s(&case["label"]);
    let inputs = &case["inputs"];
    let pool = PoolId::parse(s(&all["common_inputs"]["pool_id"])).unwrap();
    assert_eq!(
        pool.name(),
        s(&all["common_inputs"]["pool_name_used_in_x_and_signature"])
    );
    let user_id = s(&inputs["user_id_for_srp"]);
    let password = s(&inputs["password"]);
    let identity = Identity::for_user(&pool, user_id);
    let salt = bytes(&inputs["salt_hex_from_server"]);

    // Server side: the stored verifier and B.
    let verifier = Verifier::with_salt(&identity, password, &salt);
    let x = private_key(&identity, password, &enc_bytes(&salt));
    assert_eq!(hex_unpadded(x.value()), s(&case["x_hex"]), "{label}: x");
    assert_eq!(
        hex_unpadded(&verifier.v_for_tests()),
        s(&case["verifier_v_hex"]),
        "{label}: v"
    );
    let server =
        ServerEphemeral::from_secret(&verifier, &bytes(&inputs["b_hex_server_secret"])).unwrap();
    assert_eq!(server.srp_b(), s(&case["SRP_B"]), "{label}: B");

    // Client side: A.
    let client = ClientEphemeral::from_secret(&bytes(&inputs["a_hex"])).unwrap();
    assert_eq!(client.srp_a(), s(&case["SRP_A"]), "{label}: A");

    // Intermediates: enc(A), enc(B), u, S, key.
    let a_pub = uint_from_hex("A", &client.srp_a()).unwrap();
    let b_pub = uint_from_hex("B", &server.srp_b()).unwrap();
    assert_eq!(
        hex_lower(&enc_uint(&a_pub)),
        s(&case["pad_hex_A"]),
        "{label}: enc(A)"
    );
    assert_eq!(
        hex_lower(&enc_uint(&b_pub)),
        s(&case["pad_hex_B"]),
        "{label}: enc(B)"
    );
    let u = scrambler(&a_pub, &b_pub).unwrap();
    assert_eq!(hex_unpadded(&u), s(&case["u_hex"]), "{label}: u");
    assert_eq!(
        hex_lower(&enc_uint(&u)),
        s(&case["pad_hex_u"]),
        "{label}: enc(u)"
    );
    let a = Exponent::from_be(&bytes(&inputs["a_hex"])).unwrap();
    let g = group();
    let base = g.monty(&b_pub) - *g.k() * g.pow_g(&x);
    let s_client = g.pow(&base, &a.plus_product(&u, &x)).retrieve();
    assert_eq!(hex_unpadded(&s_client), s(&case["S_hex"]), "{label}: S");
    assert_eq!(
        hex_lower(&enc_uint(&s_client)),
        s(&case["pad_hex_S"]),
        "{label}: enc(S)"
    );
    let key = session_key(&s_client, &u);
    assert_eq!(
        hex_lower(key.bytes_for_tests()),
        s(&case["hkdf_key_hex"]),
        "{label}: key"
    );

    // The answer to the challenge, through the public API.
    let secret_block = s(&all["common_inputs"]["secret_block_b64"]);
    let challenge = VerifierChallenge {
        username: user_id.to_owned(),
        salt: s(&inputs["salt_hex_from_server"]).to_owned(),
        srp_b: s(&case["SRP_B"]).to_owned(),
        secret_block: secret_block.to_owned(),
    };
    let answer = client
        .password_claim(&pool, password, &challenge, fixed_time(all))
        .unwrap();
    assert_eq!(
        answer.timestamp,
        s(&case["TIMESTAMP"]),
        "{label}: TIMESTAMP"
    );
    assert_eq!(
        answer.password_claim_signature,
        s(&case["PASSWORD_CLAIM_SIGNATURE"]),
        "{label}: signature"
    );
    assert_eq!(answer.username, user_id);
    assert_eq!(answer.password_claim_secret_block, secret_block);

    // The server accepts it.
    let srp_a = client.srp_a();
    let claim = PasswordClaim {
        srp_a: &srp_a,
        secret_block,
        timestamp: &answer.timestamp,
        signature: &answer.password_claim_signature,
    };
    assert_eq!(
        server.verify(&verifier, &identity, &claim),
        Ok(()),
        "{label}: server verify"
    );

    // Encoding flags describe the values above.
    for (name, value) in [("A", a_pub), ("B", b_pub), ("u", u), ("S", s_client)] {
        let flags = &case["encoding_flags"][name];
        let hex = hex_unpadded(&value);
        assert_eq!(
            hex.len() as u64,
            flags["hex_len"].as_u64().unwrap(),
            "{label}: {name} hex_len"
        );
        assert_eq!(
            enc_uint(&value).len() as u64,
            flags["byte_len_min_twos_complement"].as_u64().unwrap(),
            "{label}: {name} enc length"
        );
    }
    if let Some(expected) = case.get("SECRET_HASH_challenge").and_then(Value::as_str) {
        let secret = secret.unwrap_or(s(&all["common_inputs"]["client_secret"]));
        let client_id = s(&all["common_inputs"]["client_id"]);
        assert_eq!(
            secret_hash(secret, user_id, client_id),
            expected,
            "{label}: SECRET_HASH"
        );
    }
}

#[test]
fn constants() {
    let all = vectors();
    let constants = &all["constants"];
    assert_eq!(s(&constants["N_hex"]), N_HEX);
    assert_eq!(constants["g"].to_string().trim_matches('"'), G.to_string());
    assert_eq!(
        hex_unpadded(&group().k().retrieve()),
        s(&constants["k_hex"])
    );
}

#[test]
fn main_vector_with_client_secret() {
    let all = vectors();
    let case = &all["password_srp"];
    check_password_vector(&all, case, None);
    // The InitiateAuth and RespondToAuthChallenge parameters as the vector lists them.
    let common = &all["common_inputs"];
    let (secret, client_id) = (s(&common["client_secret"]), s(&common["client_id"]));
    let initiate = &case["initiate_auth_AuthParameters"];
    let login = s(&initiate["USERNAME"]);
    assert_eq!(
        secret_hash(secret, login, client_id),
        s(&initiate["SECRET_HASH"])
    );
    let respond = &case["respond_to_auth_challenge_ChallengeResponses"];
    let internal = s(&respond["USERNAME"]);
    assert_eq!(
        secret_hash(secret, internal, client_id),
        s(&respond["SECRET_HASH"])
    );
    assert_eq!(
        s(&respond["PASSWORD_CLAIM_SIGNATURE"]),
        s(&case["PASSWORD_CLAIM_SIGNATURE"])
    );
}

#[test]
fn main_vector_without_client_secret() {
    let all = vectors();
    check_password_vector(&all, &all["password_srp_no_secret"], None);
}

#[test]
fn edge_case_vectors() {
    let all = vectors();
    let cases = all["edge_cases"]["vectors"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        assert_eq!(
            s(&case["inputs"]["salt_hex_from_server"]),
            s(&all["edge_cases"]["salt_hex"])
        );
        check_password_vector(&all, case, None);
    }
}

#[test]
fn secret_hashes() {
    let all = vectors();
    let common = &all["common_inputs"];
    for name in ["for_login_username", "for_user_id_for_srp"] {
        let case = &all["secret_hash"][name];
        let hash = secret_hash(
            s(&common["client_secret"]),
            s(&case["username"]),
            s(&common["client_id"]),
        );
        assert_eq!(hash, s(&case["SECRET_HASH"]), "{name}");
    }
}

#[test]
fn timestamps() {
    let all = vectors();
    for case in all["timestamps"].as_array().unwrap() {
        let utc = time::OffsetDateTime::parse(
            s(&case["utc"]),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let stamp = Timestamp::from_unix(utc.unix_timestamp()).unwrap();
        assert_eq!(stamp.to_string(), s(&case["TIMESTAMP"]));
        assert_eq!(Timestamp::parse(s(&case["TIMESTAMP"])).unwrap(), stamp);
    }
}

#[test]
fn device_vectors() {
    let all = vectors();
    let device = &all["device"];
    let (key, group_key) = (s(&device["device_key"]), s(&device["device_group_key"]));

    // ConfirmDevice material.
    let confirm = &device["confirm_device"];
    let (credentials, config) = DeviceCredentials::from_random(
        key,
        group_key,
        &bytes(&confirm["random_device_password_bytes_hex"]),
        &bytes(&confirm["random_salt_bytes_hex"]),
    );
    assert_eq!(credentials.password(), s(&confirm["device_password"]));
    let expected = &confirm["DeviceSecretVerifierConfig"];
    assert_eq!(config.password_verifier, s(&expected["PasswordVerifier"]));
    assert_eq!(config.salt, s(&expected["Salt"]));
    let stored = Verifier::from_device_config(&config).unwrap();
    assert_eq!(
        hex_unpadded(&stored.v_for_tests()),
        s(&confirm["verifier_v_hex"])
    );
    let x = private_key(
        &credentials.identity(),
        credentials.password(),
        &enc_bytes(stored.salt()),
    );
    assert_eq!(hex_unpadded(x.value()), s(&confirm["x_hex"]));

    // DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
    let srp = &device["device_srp"];
    let client = ClientEphemeral::from_secret(&bytes(&srp["a_hex"])).unwrap();
    let auth = &srp["DEVICE_SRP_AUTH_ChallengeResponses"];
    assert_eq!(client.srp_a(), s(&auth["SRP_A"]));
    let server =
        ServerEphemeral::from_secret(&stored, &bytes(&srp["b_hex_server_secret"])).unwrap();
    let params = &srp["challenge_parameters_from_server"];
    assert_eq!(server.srp_b(), s(&params["SRP_B"]));
    assert_eq!(stored.salt_hex(), s(&params["SALT"]));

    let a_pub = uint_from_hex("A", &client.srp_a()).unwrap();
    let b_pub = uint_from_hex("B", &server.srp_b()).unwrap();
    assert_eq!(hex_lower(&enc_uint(&a_pub)), s(&srp["pad_hex_A"]));
    assert_eq!(hex_lower(&enc_uint(&b_pub)), s(&srp["pad_hex_B"]));
    let u = scrambler(&a_pub, &b_pub).unwrap();
    assert_eq!(hex_unpadded(&u), s(&srp["u_hex"]));

    let challenge = VerifierChallenge {
        username: s(&params["USERNAME"]).to_owned(),
        salt: s(&params["SALT"]).to_owned(),
        srp_b: s(&params["SRP_B"]).to_owned(),
        secret_block: s(&all["common_inputs"]["secret_block_b64"]).to_owned(),
    };
    let answer = client
        .device_claim(&credentials, &challenge, fixed_time(&all))
        .unwrap();
    let expected = &srp["DEVICE_PASSWORD_VERIFIER_ChallengeResponses"];
    assert_eq!(
        answer.password_claim_signature,
        s(&expected["PASSWORD_CLAIM_SIGNATURE"])
    );
    assert_eq!(answer.timestamp, s(&expected["TIMESTAMP"]));
    assert_eq!(answer.username, s(&expected["USERNAME"]));
    assert_eq!(
        answer.device_key.as_deref(),
        Some(s(&expected["DEVICE_KEY"]))
    );
    let common = &all["common_inputs"];
    assert_eq!(
        secret_hash(
            s(&common["client_secret"]),
            &answer.username,
            s(&common["client_id"])
        ),
        s(&expected["SECRET_HASH"])
    );

    // S and the key, from the server's side this time.
    let x = private_key(
        &credentials.identity(),
        credentials.password(),
        &enc_bytes(stored.salt()),
    );
    let g = group();
    let a = Exponent::from_be(&bytes(&srp["a_hex"])).unwrap();
    let base = g.monty(&b_pub) - *g.k() * g.pow_g(&x);
    let s_value = g.pow(&base, &a.plus_product(&u, &x)).retrieve();
    assert_eq!(hex_unpadded(&s_value), s(&srp["S_hex"]));
    assert_eq!(
        hex_lower(session_key(&s_value, &u).bytes_for_tests()),
        s(&srp["hkdf_key_hex"])
    );

    let srp_a = client.srp_a();
    let claim = PasswordClaim {
        srp_a: &srp_a,
        secret_block: &answer.password_claim_secret_block,
        timestamp: &answer.timestamp,
        signature: &answer.password_claim_signature,
    };
    assert_eq!(
        server.verify(&stored, &credentials.identity(), &claim),
        Ok(())
    );
}
