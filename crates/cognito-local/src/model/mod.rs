//! Wire shapes: what the API answers, built from the store's records.

pub mod client;
pub mod pool;
pub mod user;

use serde_json::{Map, Value};

/// A page of a listing: `{items_key: items}` and, when there is more, `{token_key: next}`.
pub fn page(items_key: &str, items: Vec<Value>, token_key: &str, next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(items_key.to_owned(), Value::Array(items));
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
