//! Time-dependent behaviour through the server's injected clock, never by sleeping:
//! code expiry, SRP session and TIMESTAMP expiry, the lockout after failed sign-ins.

mod common;

use std::collections::HashMap;
use std::time::{Duration, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
};
use cognito_local::{ManualClock, RunningServer, Server};
use cognito_srp::{ClientEphemeral, PoolId, Timestamp, VerifierChallenge};
use common::{attr, error_of, last_code, sdk};

const T0: u64 = 1_700_000_000;
const PASSWORD: &str = "Passw0rd!";

struct Timed {
    server: RunningServer,
    sdk: cip::Client,
    clock: ManualClock,
}

async fn start() -> Timed {
    let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(T0));
    let server = Server::builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("server starts");
    let sdk = sdk(&server.url(), "us-east-1");
    Timed { server, sdk, clock }
}

impl Timed {
    /// Sets the server's clock to `T0 + secs`.
    fn at(&self, secs: f64) {
        self.clock
            .set(UNIX_EPOCH + Duration::from_secs(T0) + Duration::from_secs_f64(secs));
    }

    async fn pool(&self) -> String {
        let pool = self
            .sdk
            .create_user_pool()
            .pool_name("p")
            .auto_verified_attributes(cip::types::VerifiedAttributeType::Email)
            .send()
            .await
            .unwrap();
        pool.user_pool().unwrap().id().unwrap().to_owned()
    }

    async fn client(&self, pool_id: &str, flows: &[ExplicitAuthFlowsType]) -> String {
        let mut request = self
            .sdk
            .create_user_pool_client()
            .user_pool_id(pool_id)
            .client_name("c");
        for flow in flows {
            request = request.explicit_auth_flows(flow.clone());
        }
        let client = request.send().await.unwrap();
        client
            .user_pool_client()
            .unwrap()
            .client_id()
            .unwrap()
            .to_owned()
    }

    /// A pool with a confirmed user `ola` and an SRP-only client; (pool id, client id).
    async fn srp_setup(&self) -> (String, String) {
        let pool_id = self.pool().await;
        let client_id = self.client(&pool_id, &[]).await;
        self.sdk
            .admin_create_user()
            .user_pool_id(&pool_id)
            .username("ola")
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
        self.sdk
            .admin_set_user_password()
            .user_pool_id(&pool_id)
            .username("ola")
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
        (pool_id, client_id)
    }

    /// Starts an SRP login now and answers it at `answered` (seconds after `T0`) with a
    /// claim signed `signed` seconds after `T0`; the error's (code, message) if refused.
    async fn srp_answer(
        &self,
        pool_id: &str,
        client_id: &str,
        signed: i64,
        answered: f64,
    ) -> Result<(), (String, String)> {
        self.at(0.0);
        let ephemeral = ClientEphemeral::generate(&mut rand::rng());
        let started = self
            .sdk
            .initiate_auth()
            .client_id(client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", "ola")
            .auth_parameters("SRP_A", ephemeral.srp_a())
            .send()
            .await
            .unwrap();
        let params: HashMap<String, String> = started.challenge_parameters().unwrap().clone();
        let challenge = VerifierChallenge::from_parameters(&params).unwrap();
        let pool = PoolId::parse(pool_id).unwrap();
        let when = Timestamp::from_unix(T0 as i64 + signed).unwrap();
        let answer = ephemeral
            .password_claim(&pool, PASSWORD, &challenge, when)
            .unwrap();
        self.at(answered);
        let mut request = self
            .sdk
            .respond_to_auth_challenge()
            .client_id(client_id)
            .challenge_name(ChallengeNameType::PasswordVerifier);
        for (k, v) in answer.into_map() {
            request = request.challenge_responses(k, v);
        }
        request.send().await.map(|_| ()).map_err(error_of)
    }
}

#[tokio::test]
async fn confirmation_codes_expire_after_a_day() {
    let t = start().await;
    let pool_id = t.pool().await;
    let client_id = t.client(&pool_id, &[]).await;
    t.sdk
        .sign_up()
        .client_id(&client_id)
        .username("nia")
        .password(PASSWORD)
        .user_attributes(attr("email", "nia@example.com"))
        .send()
        .await
        .unwrap();
    let code = last_code(&t.server.url(), &pool_id, "nia").await;
    let confirm = || {
        t.sdk
            .confirm_sign_up()
            .client_id(&client_id)
            .username("nia")
            .confirmation_code(&code)
            .send()
    };

    t.at(24.0 * 3600.0 + 1.0);
    let err = error_of(confirm().await.unwrap_err());
    assert_eq!(
        err,
        (
            "ExpiredCodeException".to_owned(),
            "Invalid code provided, please request a code again.".to_owned()
        )
    );
    t.at(60.0);
    confirm().await.unwrap();
}

#[tokio::test]
async fn srp_sessions_and_timestamps_expire() {
    let t = start().await;
    let (pool_id, client_id) = t.srp_setup().await;
    assert!(t.srp_answer(&pool_id, &client_id, 0, 5.0).await.is_ok());
    // A secret block is good for three minutes.
    let late = t
        .srp_answer(&pool_id, &client_id, 181, 181.0)
        .await
        .unwrap_err();
    assert_eq!(late.1, "Invalid session for the user, session is expired.");
    // A TIMESTAMP more than five minutes off is refused like a wrong password.
    let stale = t
        .srp_answer(&pool_id, &client_id, -400, 5.0)
        .await
        .unwrap_err();
    assert_eq!(
        stale,
        (
            "NotAuthorizedException".to_owned(),
            "Incorrect username or password.".to_owned()
        )
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_user_out_for_a_while() {
    let t = start().await;
    let (pool_id, _) = t.srp_setup().await;
    // srp_setup's client allows SRP only; a second client allows passwords.
    let password_client = t
        .client(&pool_id, &[ExplicitAuthFlowsType::AllowUserPasswordAuth])
        .await;
    let login = |secs: f64, password: &'static str| {
        t.at(secs);
        t.sdk
            .initiate_auth()
            .client_id(&password_client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "ola")
            .auth_parameters("PASSWORD", password)
            .send()
    };
    for i in 0..4 {
        let err = error_of(login(f64::from(i), "wrong").await.unwrap_err());
        assert_eq!(err.1, "Incorrect username or password.");
    }
    let err = error_of(login(4.0, "wrong").await.unwrap_err());
    assert_eq!(err.1, "Password attempts exceeded");
    // Locked for a second: even the right password is refused, then it works again.
    let err = error_of(login(4.5, PASSWORD).await.unwrap_err());
    assert_eq!(err.1, "Password attempts exceeded");
    login(5.5, PASSWORD).await.unwrap();
}

#[tokio::test]
async fn custom_auth_without_triggers_is_refused() {
    let t = start().await;
    let (_, client_id) = t.srp_setup().await;
    let err = t
        .sdk
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "ola")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_of(err),
        (
            "InvalidParameterException".to_owned(),
            "Custom auth lambda trigger is not configured for the user pool.".to_owned()
        )
    );
}
