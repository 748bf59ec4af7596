//! Logins: SRP, password, admin and custom flows, up to tokens or a challenge.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::operation::{
    admin_initiate_auth::AdminInitiateAuthOutput,
    admin_respond_to_auth_challenge::AdminRespondToAuthChallengeOutput,
    initiate_auth::InitiateAuthOutput, respond_to_auth_challenge::RespondToAuthChallengeOutput,
};
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType,
};
use cognito_srp::{ClientEphemeral, Timestamp, VerifierChallenge};
use zeroize::Zeroizing;

use crate::challenge::PendingChallenge;
use crate::devices::RememberedDevice;
use crate::tokens::TokenSet;
use crate::{Cognito, Error, Result};

/// Where a login stands: done, or waiting for the answer to a challenge.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum LoginOutcome {
    /// Logged in.
    Tokens(TokenSet),
    /// Cognito asks for more; answer with the methods of [`Cognito`] that take a
    /// [`PendingChallenge`].
    Challenge(PendingChallenge),
}

impl LoginOutcome {
    /// The tokens, or [`Error::ChallengeRequired`] naming the challenge.
    pub fn into_tokens(self) -> Result<TokenSet> {
        match self {
            LoginOutcome::Tokens(tokens) => Ok(tokens),
            LoginOutcome::Challenge(pending) => Err(Error::ChallengeRequired(pending.name)),
        }
    }

    /// The pending challenge, if the login is not done.
    pub fn challenge(&self) -> Option<&PendingChallenge> {
        match self {
            LoginOutcome::Tokens(_) => None,
            LoginOutcome::Challenge(pending) => Some(pending),
        }
    }
}

/// One answer of Cognito, whichever operation gave it.
pub(crate) struct Reply {
    challenge: Option<ChallengeNameType>,
    session: Option<String>,
    parameters: HashMap<String, String>,
    result: Option<AuthenticationResultType>,
}

macro_rules! reply_from {
    ($($output:ty),*) => {$(
        impl From<$output> for Reply {
            fn from(output: $output) -> Self {
                Reply {
                    challenge: output.challenge_name,
                    session: output.session,
                    parameters: output.challenge_parameters.unwrap_or_default(),
                    result: output.authentication_result,
                }
            }
        }
    )*};
}
reply_from!(
    InitiateAuthOutput,
    RespondToAuthChallengeOutput,
    AdminInitiateAuthOutput,
    AdminRespondToAuthChallengeOutput
);

/// What a login in progress knows.
pub(crate) struct Flow {
    username: String,
    admin: bool,
    password: Option<Zeroizing<String>>,
    ephemeral: Option<ClientEphemeral>,
    device: Option<RememberedDevice>,
    /// The user name `device` was looked up for, so that the store is read once per name.
    device_of: Option<String>,
}

impl Flow {
    fn new(username: &str, admin: bool) -> Self {
        Flow {
            username: username.to_owned(),
            admin,
            password: None,
            ephemeral: None,
            device: None,
            device_of: None,
        }
    }

    /// A flow picking up a pending challenge, with the device already looked up for its user.
    pub(crate) fn resume(pending: &PendingChallenge, device: Option<RememberedDevice>) -> Self {
        Flow {
            device,
            device_of: Some(pending.username.clone()),
            ..Flow::new(&pending.username, pending.admin)
        }
    }
}

fn srp_ephemeral() -> ClientEphemeral {
    ClientEphemeral::generate(&mut rand::rng())
}

impl Cognito {
    /// Logs in with SRP (`USER_SRP_AUTH`): the password never leaves this process.
    ///
    /// `username` may be an alias (email, phone, preferred username) when the pool
    /// allows it. A remembered device answers `DEVICE_SRP_AUTH` by itself.
    ///
    /// ```no_run
    /// # async fn run() -> cognito::Result<()> {
    /// use cognito::{Cognito, LoginOutcome};
    ///
    /// let cognito = Cognito::builder()
    ///     .pool_id("us-east-1_AbCdEfGhI")
    ///     .client_id("1example23456789abcdefghij")
    ///     .build()?;
    /// match cognito.login("alice", "Correct-Horse-1!").await? {
    ///     LoginOutcome::Tokens(tokens) => println!("hello {}", tokens.username()),
    ///     LoginOutcome::Challenge(pending) => println!("Cognito asks for {}", pending.name()),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let mut flow = Flow::new(username, false);
        flow.password = Some(Zeroizing::new(password.to_owned()));
        let ephemeral = srp_ephemeral();
        let mut params = self.auth_parameters(username);
        params.insert("SRP_A".into(), ephemeral.srp_a());
        flow.ephemeral = Some(ephemeral);
        let reply = self.initiate(AuthFlowType::UserSrpAuth, params).await?;
        self.advance(flow, reply).await
    }

    /// Logs in with the password sent over TLS (`USER_PASSWORD_AUTH`), when the app
    /// client allows that flow.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let outcome = cognito.login_with_password("ada", "Correct-Horse-1!").await?;
    /// # Ok(()) }
    /// ```
    pub async fn login_with_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<LoginOutcome> {
        let flow = Flow::new(username, false);
        let mut params = self.auth_parameters(username);
        params.insert("PASSWORD".into(), password.to_owned());
        let reply = self
            .initiate(AuthFlowType::UserPasswordAuth, params)
            .await?;
        self.advance(flow, reply).await
    }

    /// Logs in as an administrator would (`ADMIN_USER_PASSWORD_AUTH`; needs AWS credentials).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let tokens = cognito.admin_login("ada", "Correct-Horse-1!").await?.into_tokens()?;
    /// # Ok(()) }
    /// ```
    pub async fn admin_login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let flow = Flow::new(username, true);
        let mut params = self.auth_parameters(username);
        params.insert("PASSWORD".into(), password.to_owned());
        let output = self
            .sdk()
            .admin_initiate_auth()
            .user_pool_id(self.pool_id())
            .client_id(self.client_id())
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .set_auth_parameters(Some(params))
            .send()
            .await?;
        self.advance(flow, output.into()).await
    }

    /// Starts a custom authentication (`CUSTOM_AUTH`), driven by the pool's Lambda
    /// triggers. With a password, it first proves the password with SRP
    /// (`CHALLENGE_NAME: SRP_A`), as the triggers of that pattern expect.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito) -> cognito::Result<()> {
    /// let outcome = cognito.custom_login("ada", Some("Correct-Horse-1!")).await?;
    /// if let Some(pending) = outcome.challenge() {
    ///     println!("{:?}", pending.challenge());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn custom_login(
        &self,
        username: &str,
        password: Option<&str>,
    ) -> Result<LoginOutcome> {
        let mut flow = Flow::new(username, false);
        let mut params = self.auth_parameters(username);
        if let Some(password) = password {
            let ephemeral = srp_ephemeral();
            params.insert("CHALLENGE_NAME".into(), "SRP_A".into());
            params.insert("SRP_A".into(), ephemeral.srp_a());
            flow.ephemeral = Some(ephemeral);
            flow.password = Some(Zeroizing::new(password.to_owned()));
        }
        let reply = self.initiate(AuthFlowType::CustomAuth, params).await?;
        self.advance(flow, reply).await
    }

    fn auth_parameters(&self, username: &str) -> HashMap<String, String> {
        self.with_secret_hash(
            username,
            HashMap::from([("USERNAME".to_owned(), username.to_owned())]),
        )
    }

    async fn initiate(&self, flow: AuthFlowType, params: HashMap<String, String>) -> Result<Reply> {
        let output = self
            .sdk()
            .initiate_auth()
            .client_id(self.client_id())
            .auth_flow(flow)
            .set_auth_parameters(Some(params))
            .send()
            .await?;
        Ok(output.into())
    }

    pub(crate) async fn respond_raw(
        &self,
        admin: bool,
        challenge: &str,
        session: Option<String>,
        responses: HashMap<String, String>,
    ) -> Result<Reply> {
        let name = ChallengeNameType::from(challenge);
        Ok(if admin {
            self.sdk()
                .admin_respond_to_auth_challenge()
                .user_pool_id(self.pool_id())
                .client_id(self.client_id())
                .challenge_name(name)
                .set_session(session)
                .set_challenge_responses(Some(responses))
                .send()
                .await?
                .into()
        } else {
            self.sdk()
                .respond_to_auth_challenge()
                .client_id(self.client_id())
                .challenge_name(name)
                .set_session(session)
                .set_challenge_responses(Some(responses))
                .send()
                .await?
                .into()
        })
    }

    /// Answers the challenges this client can answer by itself (the SRP steps and a
    /// remembered device's), until tokens or a challenge for the user.
    pub(crate) async fn advance(&self, mut flow: Flow, mut reply: Reply) -> Result<LoginOutcome> {
        loop {
            if let Some(result) = reply.result.take() {
                return self.finish(flow, result).await.map(LoginOutcome::Tokens);
            }
            let name = reply.challenge.take().ok_or_else(|| {
                Error::UnexpectedResponse("neither tokens nor a challenge".into())
            })?;
            if let Some(user) = reply
                .parameters
                .get("USER_ID_FOR_SRP")
                .or_else(|| reply.parameters.get("USERNAME"))
            {
                flow.username = user.clone();
            }
            if flow.device_of.as_deref() != Some(flow.username.as_str()) {
                flow.device = self.remembered_device(&flow.username)?;
                flow.device_of = Some(flow.username.clone());
            }
            let responses = match name.as_str() {
                "PASSWORD_VERIFIER" => self.password_verifier(&mut flow, &reply)?,
                "DEVICE_SRP_AUTH" if flow.device.is_some() => self.device_srp_auth(&mut flow)?,
                "DEVICE_PASSWORD_VERIFIER" => self.device_password_verifier(&mut flow, &reply)?,
                _ => {
                    return Ok(LoginOutcome::Challenge(PendingChallenge {
                        name: name.as_str().to_owned(),
                        session: reply.session,
                        username: flow.username,
                        admin: flow.admin,
                        parameters: reply.parameters,
                    }));
                }
            };
            reply = self
                .respond_raw(flow.admin, name.as_str(), reply.session.take(), responses)
                .await?;
        }
    }

    /// The TIMESTAMP of an SRP answer, by the client's clock.
    fn timestamp(&self) -> Result<Timestamp> {
        Ok(Timestamp::from_unix(self.inner.now_unix())?)
    }

    fn with_secret_hash(
        &self,
        username: &str,
        mut responses: HashMap<String, String>,
    ) -> HashMap<String, String> {
        if let Some(hash) = self.secret_hash(username) {
            responses.insert("SECRET_HASH".into(), hash);
        }
        responses
    }

    fn password_verifier(&self, flow: &mut Flow, reply: &Reply) -> Result<HashMap<String, String>> {
        let (Some(ephemeral), Some(password)) = (flow.ephemeral.take(), flow.password.take())
        else {
            return Err(Error::UnexpectedResponse(
                "PASSWORD_VERIFIER without an SRP login".into(),
            ));
        };
        let challenge = VerifierChallenge::from_parameters(&reply.parameters)?;
        let claim =
            ephemeral.password_claim(&self.inner.pool, &password, &challenge, self.timestamp()?)?;
        let mut responses = claim.into_map();
        if let Some(device) = &flow.device {
            responses.insert("DEVICE_KEY".into(), device.device_key().to_owned());
        }
        Ok(self.with_secret_hash(&challenge.username, responses))
    }

    fn device_srp_auth(&self, flow: &mut Flow) -> Result<HashMap<String, String>> {
        let device = flow.device.as_ref().expect("checked by the caller");
        let ephemeral = srp_ephemeral();
        let responses = HashMap::from([
            ("USERNAME".to_owned(), flow.username.clone()),
            ("DEVICE_KEY".to_owned(), device.device_key().to_owned()),
            ("SRP_A".to_owned(), ephemeral.srp_a()),
        ]);
        flow.ephemeral = Some(ephemeral);
        Ok(self.with_secret_hash(&flow.username, responses))
    }

    fn device_password_verifier(
        &self,
        flow: &mut Flow,
        reply: &Reply,
    ) -> Result<HashMap<String, String>> {
        let (Some(ephemeral), Some(device)) = (flow.ephemeral.take(), flow.device.as_ref()) else {
            return Err(Error::UnexpectedResponse(
                "DEVICE_PASSWORD_VERIFIER without a device login".into(),
            ));
        };
        let challenge = VerifierChallenge::from_parameters(&reply.parameters)?;
        let claim = ephemeral.device_claim(&device.credentials(), &challenge, self.timestamp()?)?;
        Ok(self.with_secret_hash(&flow.username, claim.into_map()))
    }

    /// Verifies the tokens, remembers a new device when asked to, and stores the set.
    async fn finish(&self, flow: Flow, result: AuthenticationResultType) -> Result<TokenSet> {
        let device_key = flow.device.map(|d| d.device_key().to_owned());
        let mut tokens = self.token_set(&result, None, device_key).await?;
        if self.inner.remember_devices && tokens.new_device().is_some() {
            self.remember_device(&mut tokens).await?;
        }
        self.store_tokens(&tokens)?;
        Ok(tokens)
    }
}
