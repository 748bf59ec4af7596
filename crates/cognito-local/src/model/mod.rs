//! Wire shapes: what the API answers, built from the store's records.

pub mod client;
pub mod pool;
pub mod user;

use serde_json::{Map, Value};

/// Inserts `key: value` unless the value is null.
pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    if !value.is_null() {
        map.insert(key.to_owned(), value);
    }
}
