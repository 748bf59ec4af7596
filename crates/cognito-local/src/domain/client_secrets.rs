//! The secrets of a confidential app client: the one CreateUserPoolClient generates and
//! those AddUserPoolClientSecret adds, at most two active at a time so that a secret can
//! be rotated without downtime (API reference, AddUserPoolClientSecret). SECRET_HASH and
//! ClientSecret are accepted with either. The last one cannot be deleted.

use serde::{Deserialize, Serialize};

use super::records::ClientRecord;
use super::{Ctx, LOWER_ALPHANUMERIC, random_string};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};

/// Active secrets an app client may have.
pub const MOST: usize = 2;

/// One secret, with the id and date ListUserPoolClientSecrets shows.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ClientSecret {
    /// `ClientSecretId`.
    pub id: String,
    /// The secret itself (the key of SECRET_HASH, so it is kept as given).
    pub value: String,
    /// When it was added.
    pub created: UnixTime,
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSecret")
            .field("id", &self.id)
            .field("value", &"<redacted>")
            .field("created", &self.created)
            .finish()
    }
}

/// A new secret's value, as CreateUserPoolClient generates one: 51 lowercase
/// alphanumerics.
pub fn generate() -> String {
    random_string(LOWER_ALPHANUMERIC, 51)
}

/// The client's active secrets, oldest first. A client written before there could be
/// two keeps its one secret in `secret` only; it is shown with an id derived from the
/// client, stable across reads.
pub fn of(client: &ClientRecord) -> Vec<ClientSecret> {
    match (&client.secret, client.secrets.is_empty()) {
        (Some(value), true) => vec![ClientSecret {
            id: format!("{}--{}", client.id, client.created.secs()),
            value: value.clone(),
            created: client.created,
        }],
        _ => client.secrets.clone(),
    }
}

/// Whether `check` holds for one of the client's secrets. Every secret is checked,
/// whichever matches, so that the time taken does not say which one did.
pub fn any(client: &ClientRecord, check: impl Fn(&str) -> bool) -> bool {
    of(client)
        .iter()
        .fold(false, |found, secret| check(&secret.value) | found)
}

/// The first secret of a new client.
pub fn first(client: &mut ClientRecord, now: UnixTime) {
    let secret = ClientSecret {
        id: new_id(client, now),
        value: generate(),
        created: now,
    };
    client.secret = Some(secret.value.clone());
    client.secrets = vec![secret];
}

/// AddUserPoolClientSecret: the given value, or a generated one.
pub fn add(
    ctx: &Ctx<'_>,
    client: &mut ClientRecord,
    value: Option<String>,
) -> OpResult<ClientSecret> {
    let mut secrets = of(client);
    if secrets.is_empty() {
        return Err(CognitoError::invalid_parameter(format!(
            "Client {} is not configured with a secret.",
            client.id
        )));
    }
    if secrets.len() >= MOST {
        return Err(CognitoError::new(
            ErrorKind::LimitExceededException,
            format!(
                "Client {} already has the maximum of {MOST} active client secrets.",
                client.id
            ),
        ));
    }
    let secret = ClientSecret {
        id: new_id(client, ctx.now),
        value: value.unwrap_or_else(generate),
        created: ctx.now,
    };
    secrets.push(secret.clone());
    set(client, secrets);
    Ok(secret)
}

/// DeleteUserPoolClientSecret.
pub fn delete(client: &mut ClientRecord, id: &str) -> OpResult<()> {
    let mut secrets = of(client);
    let before = secrets.len();
    secrets.retain(|s| s.id != id);
    if secrets.len() == before {
        return Err(CognitoError::not_found(format!(
            "Client secret {id} does not exist."
        )));
    }
    if secrets.is_empty() {
        return Err(CognitoError::invalid_parameter(
            "The last client secret of an app client cannot be deleted.",
        ));
    }
    set(client, secrets);
    Ok(())
}

fn set(client: &mut ClientRecord, secrets: Vec<ClientSecret>) {
    // DescribeUserPoolClient shows the oldest active secret.
    client.secret = secrets.first().map(|s| s.value.clone());
    client.secrets = secrets;
}

fn new_id(client: &ClientRecord, now: UnixTime) -> String {
    format!(
        "{}--{}{}",
        client.id,
        now.secs(),
        random_string(LOWER_ALPHANUMERIC, 6)
    )
}
