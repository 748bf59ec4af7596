//! User attributes: what is sent (with custom attributes and an attribute map), and
//! where verification codes went.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::types::{AttributeType, CodeDeliveryDetailsType};

/// Attributes to send with a sign-up, a profile update or a new password.
///
/// Custom attributes get their `custom:` prefix; an attribute map (pycognito's
/// `attr_map`) renames the app's names to Cognito's:
///
/// ```
/// use std::collections::HashMap;
/// use cognito::Attributes;
///
/// let map = HashMap::from([("mail".to_owned(), "email".to_owned())]);
/// let attrs = Attributes::new()
///     .set("mail", "ada@example.com")
///     .custom("city", "London")
///     .mapped(&map);
/// assert_eq!(attrs.get("email"), Some("ada@example.com"));
/// assert_eq!(attrs.get("custom:city"), Some("London"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    pairs: Vec<(String, String)>,
}

impl Attributes {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets an attribute by its full name (`email`, `custom:city`…).
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.pairs.retain(|(n, _)| *n != name);
        self.pairs.push((name, value.into()));
        self
    }

    /// Sets a custom attribute: `custom:` is added to the name unless it is there.
    pub fn custom(self, name: &str, value: impl Into<String>) -> Self {
        if name.starts_with("custom:") {
            self.set(name, value)
        } else {
            self.set(format!("custom:{name}"), value)
        }
    }

    /// Renames attributes through an attribute map (app name → Cognito name).
    pub fn mapped(self, attr_map: &HashMap<String, String>) -> Self {
        Attributes {
            pairs: self
                .pairs
                .into_iter()
                .map(|(name, value)| (attr_map.get(&name).cloned().unwrap_or(name), value))
                .collect(),
        }
    }

    /// The value of an attribute.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs, in the order set.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    pub(crate) fn to_sdk(&self) -> Vec<AttributeType> {
        self.pairs
            .iter()
            .map(|(name, value)| {
                AttributeType::builder()
                    .name(name)
                    .value(value)
                    .build()
                    .expect("the name is set")
            })
            .collect()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        iter.into_iter()
            .fold(Attributes::new(), |attrs, (k, v)| attrs.set(k, v))
    }
}

/// Where Cognito sent a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDelivery {
    /// The destination, masked (`a***@e***`).
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    pub medium: Option<String>,
    /// The attribute the code verifies.
    pub attribute: Option<String>,
}

impl From<&CodeDeliveryDetailsType> for CodeDelivery {
    fn from(details: &CodeDeliveryDetailsType) -> Self {
        CodeDelivery {
            destination: details.destination().map(str::to_owned),
            medium: details.delivery_medium().map(|m| m.as_str().to_owned()),
            attribute: details.attribute_name().map(str::to_owned),
        }
    }
}

pub(crate) fn attribute_map(attributes: &[AttributeType]) -> BTreeMap<String, String> {
    attributes
        .iter()
        .map(|a| {
            (
                a.name().to_owned(),
                a.value().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

pub(crate) fn to_system_time(
    date: &aws_sdk_cognitoidentityprovider::primitives::DateTime,
) -> Option<SystemTime> {
    let seconds = u64::try_from(date.secs()).ok()?;
    Some(
        UNIX_EPOCH
            + Duration::from_secs(seconds)
            + Duration::from_nanos(date.subsec_nanos().into()),
    )
}
