//! cognito-local's request path: any target name or any operation of the table, and
//! any body, through decoding, authentication, validation and dispatch, against an
//! in-memory store that a pool, an app client and a user are in (`$POOL`, `$CLIENT`
//! and `$USER` in a body stand for them).
#![no_main]

use std::sync::OnceLock;

use cognito_local::fuzzing::Harness;
use cognito_local::ops::Operation;
use libfuzzer_sys::fuzz_target;

struct Setup {
    harness: Harness,
    pool: String,
    client: String,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let harness = Harness::new();
        let pool = harness
            .handle("CreateUserPool", br#"{"PoolName": "fuzz"}"#, true)
            .expect("a pool")["UserPool"]["Id"]
            .as_str()
            .expect("an id")
            .to_owned();
        let body = format!(r#"{{"UserPoolId": "{pool}", "ClientName": "app", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}}"#);
        let client = harness
            .handle("CreateUserPoolClient", body.as_bytes(), true)
            .expect("a client")["UserPoolClient"]["ClientId"]
            .as_str()
            .expect("an id")
            .to_owned();
        let user = format!(r#"{{"UserPoolId": "{pool}", "Username": "fuzzer", "TemporaryPassword": "Passw0rd!", "MessageAction": "SUPPRESS"}}"#);
        harness.handle("AdminCreateUser", user.as_bytes(), true).expect("a user");
        Setup { harness, pool, client }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let setup = setup();
    let body = String::from_utf8_lossy(rest)
        .replace("$POOL", &setup.pool)
        .replace("$CLIENT", &setup.client)
        .replace("$USER", "fuzzer");
    let signed = selector & 0x80 != 0;
    let index = usize::from(selector & 0x7f);
    match Operation::ALL.get(index) {
        Some(op) => {
            let _ = setup.harness.handle(op.name(), body.as_bytes(), signed);
        }
        // Past the table: the body's first line is the target name.
        None => {
            let (target, body) = body.split_once('\n').unwrap_or((&body, ""));
            let _ = setup.harness.handle(target, body.as_bytes(), signed);
        }
    }
});
