//! The messages of the verifier step: what the server sends, what the client answers.

use std::collections::HashMap;

use crate::SrpError;

/// The parameters of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierChallenge {
    /// `USER_ID_FOR_SRP` (password flow) or `USERNAME` (device flow): the user the server means.
    pub username: String,
    /// `SALT`, hex.
    pub salt: String,
    /// `SRP_B`, hex.
    pub srp_b: String,
    /// `SECRET_BLOCK`, base64, opaque to the client.
    pub secret_block: String,
}

impl VerifierChallenge {
    /// Reads the challenge from Cognito's `ChallengeParameters`.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use cognito_srp::VerifierChallenge;
    ///
    /// let params: HashMap<String, String> = [
    ///     ("USER_ID_FOR_SRP", "alice"), ("USERNAME", "alice"), ("SALT", "ab12"),
    ///     ("SRP_B", "cd34"), ("SECRET_BLOCK", "c2VjcmV0"),
    /// ].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    /// let challenge = VerifierChallenge::from_parameters(&params)?;
    /// assert_eq!(challenge.username, "alice");
    /// # Ok::<(), cognito_srp::SrpError>(())
    /// ```
    pub fn from_parameters(params: &HashMap<String, String>) -> Result<Self, SrpError> {
        let get = |name: &'static str| {
            params
                .get(name)
                .cloned()
                .ok_or(SrpError::MissingParameter(name))
        };
        Ok(Self {
            username: get("USER_ID_FOR_SRP").or_else(|_| get("USERNAME"))?,
            salt: get("SALT")?,
            srp_b: get("SRP_B")?,
            secret_block: get("SECRET_BLOCK")?,
        })
    }
}

/// The client's answer to a verifier challenge, ready for `ChallengeResponses`.
///
/// `SECRET_HASH`, when the app client has a secret, is the caller's to add
/// (computed with [`secret_hash`](crate::secret_hash) over `username`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeResponses {
    /// `USERNAME`.
    pub username: String,
    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the challenge's secret block, echoed.
    pub password_claim_secret_block: String,
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub password_claim_signature: String,
    /// `TIMESTAMP`, the instant that was signed.
    pub timestamp: String,
    /// `DEVICE_KEY`, in the device flow.
    pub device_key: Option<String>,
}

impl ChallengeResponses {
    /// The responses as Cognito's `ChallengeResponses` map.
    pub fn into_map(self) -> HashMap<String, String> {
        let mut map = HashMap::from([
            ("USERNAME".to_owned(), self.username),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                self.password_claim_secret_block,
            ),
            (
                "PASSWORD_CLAIM_SIGNATURE".to_owned(),
                self.password_claim_signature,
            ),
            ("TIMESTAMP".to_owned(), self.timestamp),
        ]);
        if let Some(key) = self.device_key {
            map.insert("DEVICE_KEY".to_owned(), key);
        }
        map
    }
}
