//! The `identities` attribute: the identities at a pool's identity providers a user
//! signs in with. AWS keeps it as a JSON string in the user's attributes
//! (`[{"userId":"...","providerName":"Google","providerType":"Google","issuer":null,
//! "primary":true,"dateCreated":1658604803064}]`) and puts it in ID tokens as an array
//! whose values are strings (`"primary":"true"`, `"dateCreated":"1658604803064"`). An
//! auto-created federated user's own identity is `primary`; identities linked onto an
//! existing user are not.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::records::UserRecord;
use super::state::ProviderType;
use crate::clock::UnixTime;

/// The attribute's name.
pub const ATTRIBUTE: &str = "identities";

/// One identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Identity {
    /// The provider's subject.
    pub user_id: String,
    /// The provider's name in the pool.
    pub provider_name: String,
    /// Its type, as the API names it.
    pub provider_type: String,
    /// The provider's issuer (AWS shows `null` for social and OIDC providers).
    pub issuer: Option<String>,
    /// The identity the user was created for.
    pub primary: bool,
    /// When it was first seen, in milliseconds.
    pub date_created: i64,
}

impl Identity {
    /// An identity first seen `now`.
    pub fn new(
        provider: &str,
        kind: ProviderType,
        user_id: &str,
        primary: bool,
        now: UnixTime,
    ) -> Self {
        Identity {
            user_id: user_id.to_owned(),
            provider_name: provider.to_owned(),
            provider_type: kind.as_str().to_owned(),
            issuer: None,
            primary,
            date_created: now.secs().saturating_mul(1000),
        }
    }
}

/// A user's identities (none when the attribute is missing or unreadable).
pub fn of(user: &UserRecord) -> Vec<Identity> {
    user.attributes
        .get(ATTRIBUTE)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// Writes a user's identities (the attribute removed when there are none).
pub fn set(user: &mut UserRecord, identities: &[Identity]) {
    if identities.is_empty() {
        user.attributes.remove(ATTRIBUTE);
    } else {
        let text = serde_json::to_string(identities).unwrap_or_default();
        user.attributes.insert(ATTRIBUTE.to_owned(), text);
    }
}

/// Adds an identity to a user unless it has it (same provider and subject).
pub fn add(user: &mut UserRecord, identity: Identity) {
    let mut all = of(user);
    if !all
        .iter()
        .any(|i| i.provider_name == identity.provider_name && i.user_id == identity.user_id)
    {
        all.push(identity);
        set(user, &all);
    }
}

/// Removes a provider's identity from a user; whether it had it.
pub fn remove(user: &mut UserRecord, provider: &str, user_id: &str) -> bool {
    let mut all = of(user);
    let before = all.len();
    all.retain(|i| !(i.provider_name == provider && i.user_id == user_id));
    let removed = all.len() != before;
    if removed {
        set(user, &all);
    }
    removed
}

/// The attribute's value as the ID token's `identities` claim: an array whose values
/// are strings (`null` stays `null`).
pub fn claim(text: &str) -> Value {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Value::String(text.to_owned());
    };
    let items = items
        .into_iter()
        .map(|item| match item {
            Value::Object(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(name, value)| {
                        let value = match value {
                            Value::Bool(b) => Value::String(b.to_string()),
                            Value::Number(n) => Value::String(n.to_string()),
                            other => other,
                        };
                        (name, value)
                    })
                    .collect(),
            ),
            other => other,
        })
        .collect();
    Value::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claim_has_string_values_as_aws_tokens_do() {
        let text = r#"[{"userId":"1","providerName":"Google","providerType":"Google","issuer":null,"primary":true,"dateCreated":1658604803064}]"#;
        assert_eq!(
            claim(text),
            serde_json::json!([{"userId":"1","providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1658604803064"}])
        );
    }
}
