//! Who an SRP credential belongs to: user pool ids and SRP identities.

use std::fmt;
use std::str::FromStr;

use crate::SrpError;

/// A validated user pool id, `<region>_<name>`, such as `us-east-1_AbCdEfGhI`.
///
/// The one pool-id rule of the workspace (the client, the token verifier and the local
/// server all use it): the AWS service model's pattern `[\w-]+_[0-9a-zA-Z]+`, at most
/// 55 characters. The name is what follows the last `_`.
///
/// ```
/// use cognito_srp::PoolId;
///
/// let pool: PoolId = "us-east-1_AbCdEfGhI".parse()?;
/// assert_eq!(pool.region(), "us-east-1");
/// assert_eq!(pool.name(), "AbCdEfGhI");
/// assert!("us-east-1".parse::<PoolId>().is_err());
/// # Ok::<(), cognito_srp::SrpError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PoolId {
    id: String,
    underscore: usize,
}

impl PoolId {
    /// Checks `id` against Cognito's pattern `[\w-]+_[0-9a-zA-Z]+` (at most 55 characters).
    pub fn parse(id: &str) -> Result<Self, SrpError> {
        let invalid = || SrpError::InvalidPoolId(id.to_owned());
        // The name has no `_`, so the pattern splits at the last one.
        let underscore = id.rfind('_').ok_or_else(invalid)?;
        let (region, name) = (&id[..underscore], &id[underscore + 1..]);
        let region_ok = !region.is_empty()
            && region
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
        let name_ok = !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric());
        if !region_ok || !name_ok || id.len() > 55 {
            return Err(invalid());
        }
        Ok(Self {
            id: id.to_owned(),
            underscore,
        })
    }

    /// The region, the part before `_`.
    pub fn region(&self) -> &str {
        &self.id[..self.underscore]
    }

    /// The pool name, the part after `_`: what Cognito's SRP hashes.
    pub fn name(&self) -> &str {
        &self.id[self.underscore + 1..]
    }

    /// The whole id.
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

impl FromStr for PoolId {
    type Err = SrpError;
    fn from_str(s: &str) -> Result<Self, SrpError> {
        Self::parse(s)
    }
}

impl fmt::Display for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl fmt::Debug for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PoolId({:?})", self.id)
    }
}

/// The pair an SRP credential is bound to, hashed into x and the claim signature.
///
/// * A user's password: the pool name and `USER_ID_FOR_SRP` (never the alias the user typed).
/// * A remembered device: the device group key and the device key.
///
/// ```
/// use cognito_srp::{Identity, PoolId};
///
/// let pool = PoolId::parse("us-east-1_AbCdEfGhI")?;
/// let user = Identity::for_user(&pool, "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
/// assert_eq!(user.realm(), "AbCdEfGhI");
/// let device = Identity::for_device("-Zt9Kq3Lw", "us-east-1_0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0");
/// assert_eq!(device.realm(), "-Zt9Kq3Lw");
/// # Ok::<(), cognito_srp::SrpError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    realm: String,
    user: String,
}

impl Identity {
    /// A user's password identity: pool name and `USER_ID_FOR_SRP`.
    pub fn for_user(pool: &PoolId, user_id_for_srp: &str) -> Self {
        Self {
            realm: pool.name().to_owned(),
            user: user_id_for_srp.to_owned(),
        }
    }

    /// A device's identity: device group key and device key.
    pub fn for_device(device_group_key: &str, device_key: &str) -> Self {
        Self {
            realm: device_group_key.to_owned(),
            user: device_key.to_owned(),
        }
    }

    /// Pool name or device group key.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// `USER_ID_FOR_SRP` or device key.
    pub fn user(&self) -> &str {
        &self.user
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_are_checked() {
        for bad in [
            "",
            "_",
            "us-east-1",
            "us-east-1_",
            "_abc",
            "us-east-1_ab-c",
            "us east-1_abc",
            "us-east-1_abc_",
            "us-east-1_ab.c",
        ] {
            assert_eq!(
                PoolId::parse(bad),
                Err(SrpError::InvalidPoolId(bad.into())),
                "{bad:?}"
            );
        }
        let long = format!("eu-west-1_{}", "a".repeat(46));
        assert!(PoolId::parse(&long).is_err());
        assert_eq!(PoolId::parse("eu-west-1_abc123").unwrap().name(), "abc123");
        // The model's `[\w-]+` admits capitals and `_` before the name.
        let odd = PoolId::parse("US-EAST-1_x_abc").unwrap();
        assert_eq!((odd.region(), odd.name()), ("US-EAST-1_x", "abc"));
    }
}
