//! Wire shapes: what the API answers, built from the domain's records.

pub(crate) mod auth;
pub(crate) mod client;
pub(crate) mod delivery;
pub(crate) mod device;
pub(crate) mod group;
pub(crate) mod pool;
pub(crate) mod user;

use serde::Serialize;
use serde_json::{Map, Value, json};

/// A page of a listing: `{items_key: items}` and, when there is more, `{token_key: next}`.
pub fn page<T: Serialize>(
    items_key: &str,
    items: &[T],
    token_key: &str,
    next: Option<String>,
) -> Value {
    let mut out = Map::new();
    out.insert(items_key.to_owned(), json!(items));
    if let Some(next) = next {
        out.insert(token_key.to_owned(), Value::String(next));
    }
    Value::Object(out)
}

/// Inserts `key: value` unless the value is null.
pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    if !value.is_null() {
        map.insert(key.to_owned(), value);
    }
}
