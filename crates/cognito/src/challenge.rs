//! Challenges: what Cognito asks for before it hands out tokens, and how to answer.
//!
//! A [`PendingChallenge`] is plain data (serde): a web app can send it to the browser
//! or keep it in a session store, and answer it in a later request, in another process.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::attributes::Attributes;
use crate::login::{Flow, LoginOutcome};
use crate::{Cognito, Error, Result};

/// A second factor Cognito can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MfaType {
    /// A code sent by SMS (`SMS_MFA`).
    Sms,
    /// A TOTP code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    SoftwareToken,
}

impl MfaType {
    /// Cognito's name: `SMS_MFA` or `SOFTWARE_TOKEN_MFA`.
    pub fn as_str(self) -> &'static str {
        match self {
            MfaType::Sms => "SMS_MFA",
            MfaType::SoftwareToken => "SOFTWARE_TOKEN_MFA",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        match name {
            "SMS_MFA" | "SMS" => Some(MfaType::Sms),
            "SOFTWARE_TOKEN_MFA" | "SOFTWARE_TOKEN" => Some(MfaType::SoftwareToken),
            _ => None,
        }
    }
}

impl fmt::Display for MfaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a pending challenge asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Challenge {
    /// A new password (`NEW_PASSWORD_REQUIRED`), and values for the attributes the pool requires.
    NewPasswordRequired {
        /// Attributes that must be given with the new password (names without `userAttributes.`).
        required_attributes: Vec<String>,
        /// The user's current attributes, as Cognito sent them.
        user_attributes: HashMap<String, String>,
    },
    /// The code sent by SMS (`SMS_MFA`).
    SmsMfa {
        /// Where the code went (masked), when Cognito says.
        destination: Option<String>,
    },
    /// A TOTP code (`SOFTWARE_TOKEN_MFA`).
    SoftwareTokenMfa,
    /// A choice of second factor (`SELECT_MFA_TYPE`).
    SelectMfaType {
        /// The factors the user may choose.
        options: Vec<MfaType>,
    },
    /// A second factor must be set up first (`MFA_SETUP`): see [`Cognito::begin_mfa_setup`].
    MfaSetup {
        /// The factors that can be set up.
        options: Vec<MfaType>,
    },
    /// A custom challenge from the pool's Lambda triggers (`CUSTOM_CHALLENGE`).
    Custom {
        /// The public challenge parameters.
        parameters: HashMap<String, String>,
    },
    /// A challenge this crate does not model; answer it with [`Cognito::respond`].
    Other {
        /// The challenge name.
        name: String,
    },
}

/// A login waiting for an answer: the challenge, the session, and who is logging in.
///
/// Serialisable, so that it can be answered from another request or process:
///
/// ```
/// # fn run(pending: cognito::PendingChallenge) -> Result<(), serde_json::Error> {
/// let saved = serde_json::to_string(&pending)?;
/// let restored: cognito::PendingChallenge = serde_json::from_str(&saved)?;
/// assert_eq!(restored.challenge(), pending.challenge());
/// # Ok(()) }
/// ```
///
/// The session inside it is Cognito's (opaque, single-use, valid for three
/// minutes); `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChallenge {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<String>,
    pub(crate) username: String,
    #[serde(default)]
    pub(crate) admin: bool,
    #[serde(default)]
    pub(crate) parameters: HashMap<String, String>,
}

impl fmt::Debug for PendingChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingChallenge")
            .field("name", &self.name)
            .field("username", &self.username)
            .field("admin", &self.admin)
            .finish_non_exhaustive()
    }
}

fn json_list(value: Option<&String>) -> Vec<String> {
    value
        .and_then(|v| serde_json::from_str::<Vec<String>>(v).ok())
        .unwrap_or_default()
}

impl PendingChallenge {
    /// Cognito's challenge name, such as `SOFTWARE_TOKEN_MFA`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The user the challenge is for (the pool's user name once Cognito has said it).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The challenge parameters, as sent.
    pub fn parameters(&self) -> &HashMap<String, String> {
        &self.parameters
    }

    /// What the challenge asks for.
    pub fn challenge(&self) -> Challenge {
        let params = &self.parameters;
        let mfas = |key: &str| {
            json_list(params.get(key))
                .iter()
                .filter_map(|name| MfaType::parse(name))
                .collect()
        };
        match self.name.as_str() {
            "NEW_PASSWORD_REQUIRED" => Challenge::NewPasswordRequired {
                required_attributes: json_list(params.get("requiredAttributes"))
                    .into_iter()
                    .map(|name| {
                        name.strip_prefix("userAttributes.")
                            .map(str::to_owned)
                            .unwrap_or(name)
                    })
                    .collect(),
                user_attributes: params
                    .get("userAttributes")
                    .and_then(|v| serde_json::from_str::<HashMap<String, String>>(v).ok())
                    .unwrap_or_default(),
            },
            "SMS_MFA" => Challenge::SmsMfa {
                destination: params.get("CODE_DELIVERY_DESTINATION").cloned(),
            },
            "SOFTWARE_TOKEN_MFA" => Challenge::SoftwareTokenMfa,
            "SELECT_MFA_TYPE" => Challenge::SelectMfaType {
                options: mfas("MFAS_CAN_CHOOSE"),
            },
            "MFA_SETUP" => Challenge::MfaSetup {
                options: mfas("MFAS_CAN_SETUP"),
            },
            "CUSTOM_CHALLENGE" => Challenge::Custom {
                parameters: params.clone(),
            },
            other => Challenge::Other {
                name: other.to_owned(),
            },
        }
    }

    fn expect(&self, names: &[&'static str]) -> Result<()> {
        if names.contains(&self.name.as_str()) {
            Ok(())
        } else {
            Err(Error::WrongChallenge {
                pending: self.name.clone(),
                answered: names[0],
            })
        }
    }
}

impl Cognito {
    /// Answers `NEW_PASSWORD_REQUIRED` with a new password and the required attributes.
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// use cognito::Attributes;
    /// let outcome = cognito
    ///     .answer_new_password(pending, "N3w-Password!", Attributes::new().set("name", "Ada"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn answer_new_password(
        &self,
        pending: PendingChallenge,
        new_password: &str,
        attributes: Attributes,
    ) -> Result<LoginOutcome> {
        pending.expect(&["NEW_PASSWORD_REQUIRED"])?;
        let mut responses = HashMap::from([("NEW_PASSWORD".to_owned(), new_password.to_owned())]);
        for (name, value) in attributes.into_pairs() {
            responses.insert(format!("userAttributes.{name}"), value);
        }
        self.respond(pending, responses).await
    }

    /// Answers `SMS_MFA` or `SOFTWARE_TOKEN_MFA` with the code.
    ///
    /// ```no_run
    /// # async fn run(cognito: cognito::Cognito, pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// let tokens = cognito.answer_mfa(pending, "123456").await?.into_tokens()?;
    /// # Ok(()) }
    /// ```
    pub async fn answer_mfa(&self, pending: PendingChallenge, code: &str) -> Result<LoginOutcome> {
        pending.expect(&["SOFTWARE_TOKEN_MFA", "SMS_MFA"])?;
        let key = format!("{}_CODE", pending.name);
        self.respond(pending, HashMap::from([(key, code.to_owned())]))
            .await
    }

    /// Answers `SELECT_MFA_TYPE`; Cognito then asks for that factor's code.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// let outcome = cognito.select_mfa_type(pending, cognito::MfaType::SoftwareToken).await?;
    /// # Ok(()) }
    /// ```
    pub async fn select_mfa_type(
        &self,
        pending: PendingChallenge,
        mfa: MfaType,
    ) -> Result<LoginOutcome> {
        pending.expect(&["SELECT_MFA_TYPE"])?;
        self.respond(
            pending,
            HashMap::from([("ANSWER".to_owned(), mfa.as_str().to_owned())]),
        )
        .await
    }

    /// Answers `CUSTOM_CHALLENGE`.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// let outcome = cognito.answer_custom(pending, "42").await?;
    /// # Ok(()) }
    /// ```
    pub async fn answer_custom(
        &self,
        pending: PendingChallenge,
        answer: &str,
    ) -> Result<LoginOutcome> {
        pending.expect(&["CUSTOM_CHALLENGE"])?;
        self.respond(
            pending,
            HashMap::from([("ANSWER".to_owned(), answer.to_owned())]),
        )
        .await
    }

    /// First half of `MFA_SETUP` for TOTP: associates a new secret with the user
    /// (`AssociateSoftwareToken` with the challenge's session) and returns it, to
    /// show the user (see [`totp_uri`](crate::totp_uri)).
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, mut pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// let secret = cognito.begin_mfa_setup(&mut pending).await?;
    /// println!("{}", cognito::totp_uri(&secret, "ada", "My App"));
    /// # Ok(()) }
    /// ```
    pub async fn begin_mfa_setup(&self, pending: &mut PendingChallenge) -> Result<String> {
        pending.expect(&["MFA_SETUP"])?;
        let output = self
            .sdk()
            .associate_software_token()
            .set_session(pending.session.clone())
            .send()
            .await?;
        pending.session = output.session().map(str::to_owned);
        output.secret_code().map(str::to_owned).ok_or_else(|| {
            Error::UnexpectedResponse("AssociateSoftwareToken gave no secret".into())
        })
    }

    /// Second half of `MFA_SETUP`: verifies a code of the new secret
    /// (`VerifySoftwareToken`), then completes the login.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// let tokens = cognito.finish_mfa_setup(pending, "123456", Some("phone")).await?.into_tokens()?;
    /// # Ok(()) }
    /// ```
    pub async fn finish_mfa_setup(
        &self,
        mut pending: PendingChallenge,
        code: &str,
        friendly_device_name: Option<&str>,
    ) -> Result<LoginOutcome> {
        pending.expect(&["MFA_SETUP"])?;
        let output = self
            .sdk()
            .verify_software_token()
            .set_session(pending.session.clone())
            .user_code(code)
            .set_friendly_device_name(friendly_device_name.map(str::to_owned))
            .send()
            .await?;
        pending.session = output.session().map(str::to_owned).or(pending.session);
        self.respond(pending, HashMap::new()).await
    }

    /// Answers any challenge with the given responses; `USERNAME`, `SECRET_HASH` and
    /// the remembered device's `DEVICE_KEY` are added when missing.
    ///
    /// ```no_run
    /// # #![allow(unused)]
    /// # async fn run(cognito: cognito::Cognito, pending: cognito::PendingChallenge) -> cognito::Result<()> {
    /// use std::collections::HashMap;
    /// let answer = HashMap::from([("ANSWER".to_owned(), "SMS_MFA".to_owned())]);
    /// let outcome = cognito.respond(pending, answer).await?;
    /// # Ok(()) }
    /// ```
    pub async fn respond(
        &self,
        pending: PendingChallenge,
        mut responses: HashMap<String, String>,
    ) -> Result<LoginOutcome> {
        let device = self.remembered_device(&pending.username)?;
        responses
            .entry("USERNAME".to_owned())
            .or_insert_with(|| pending.username.clone());
        if let Some(hash) = self.secret_hash(&pending.username) {
            responses.entry("SECRET_HASH".to_owned()).or_insert(hash);
        }
        if let Some(device) = &device {
            responses
                .entry("DEVICE_KEY".to_owned())
                .or_insert_with(|| device.device_key().to_owned());
        }
        let flow = Flow::resume(&pending, device);
        let reply = self
            .respond_raw(pending.admin, &pending.name, pending.session, responses)
            .await?;
        self.advance(flow, reply).await
    }
}
