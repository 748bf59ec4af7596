//! Form and query parameters of the OAuth endpoints: each at most once (RFC 6749 §3.1,
//! §3.2: "Request and response parameters MUST NOT be included more than once"), each
//! of bounded size.

use std::collections::HashMap;

/// Longest parameter value accepted: longer ones are refused, not truncated.
pub const MAX_VALUE_CHARS: usize = 8192;

/// Why parameters could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A parameter given twice.
    #[error("{0} was given more than once")]
    Repeated(String),
    /// A value over [`MAX_VALUE_CHARS`].
    #[error("{0} is too long")]
    TooLong(String),
}

/// Parameters by name. Empty values count as absent (RFC 6749 §3.1: "Parameters sent
/// without a value MUST be treated as if they were omitted").
#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` bytes (a body or a query string).
    pub fn parse(bytes: &[u8]) -> Result<Self, FormError> {
        let mut out = HashMap::new();
        for (name, value) in form_urlencoded::parse(bytes) {
            if value.chars().count() > MAX_VALUE_CHARS {
                return Err(FormError::TooLong(name.into_owned()));
            }
            if out.contains_key(name.as_ref()) {
                return Err(FormError::Repeated(name.into_owned()));
            }
            if !value.is_empty() {
                out.insert(name.into_owned(), value.into_owned());
            }
        }
        Ok(Self(out))
    }

    /// A parameter's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A parameter's value, owned.
    pub fn owned(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    /// Space-separated values (`scope`), if the parameter is there.
    pub fn words(&self, name: &str) -> Option<Vec<String>> {
        self.get(name).map(|v| {
            v.split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_oversized_parameters_are_refused() {
        assert_eq!(
            Params::parse(b"a=1&a=2").unwrap_err(),
            FormError::Repeated("a".into())
        );
        let long = format!("a={}", "x".repeat(MAX_VALUE_CHARS + 1));
        assert_eq!(
            Params::parse(long.as_bytes()).unwrap_err(),
            FormError::TooLong("a".into())
        );
        let params = Params::parse(b"scope=a%20b+c&empty=").unwrap();
        assert_eq!(params.words("scope").unwrap(), ["a", "b", "c"]);
        assert_eq!(params.get("empty"), None);
    }
}
