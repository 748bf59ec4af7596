//! A complete exchange between the crate's client and server roles, for the tests to bend.

#![allow(dead_code)]

use cognito_srp::{
    ChallengeResponses, ClientEphemeral, Identity, PasswordClaim, PoolId, ServerEphemeral,
    SrpError, Timestamp, Verifier, VerifierChallenge,
};

pub struct Exchange {
    pub pool: PoolId,
    pub identity: Identity,
    pub verifier: Verifier,
    pub client: ClientEphemeral,
    pub server: ServerEphemeral,
    pub challenge: VerifierChallenge,
}

impl Exchange {
    pub fn new(pool_id: &str, user: &str, password: &str) -> Self {
        let mut rng = rand::rng();
        let pool = PoolId::parse(pool_id).unwrap();
        let identity = Identity::for_user(&pool, user);
        let verifier = Verifier::generate(&identity, password, &mut rng);
        let client = ClientEphemeral::generate(&mut rng);
        let server = ServerEphemeral::generate(&verifier, &mut rng);
        let challenge = VerifierChallenge {
            username: user.to_owned(),
            salt: verifier.salt_hex(),
            srp_b: server.srp_b(),
            secret_block: "c2VydmVyIHN0YXRlIGZvciB0aGlzIGxvZ2lu".to_owned(),
        };
        Self {
            pool,
            identity,
            verifier,
            client,
            server,
            challenge,
        }
    }

    pub fn answer(&self, password: &str) -> ChallengeResponses {
        self.client
            .password_claim(&self.pool, password, &self.challenge, Timestamp::now())
            .unwrap()
    }

    pub fn verify(&self, answer: &ChallengeResponses) -> Result<(), SrpError> {
        self.verify_with(&self.server, answer)
    }

    /// Checks an answer with another server ephemeral (such as a restored one).
    pub fn verify_with(
        &self,
        server: &ServerEphemeral,
        answer: &ChallengeResponses,
    ) -> Result<(), SrpError> {
        let srp_a = self.client.srp_a();
        server.verify(
            &self.verifier,
            &self.identity,
            &PasswordClaim {
                srp_a: &srp_a,
                secret_block: &answer.password_claim_secret_block,
                timestamp: &answer.timestamp,
                signature: &answer.password_claim_signature,
            },
        )
    }
}
