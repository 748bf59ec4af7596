//! Listing pages.

/// A page key that sorts newest first and stays put as newer items come: the time
/// counted down, then the id.
pub(super) fn newest_first(time: crate::clock::UnixTime, id: &str) -> String {
    format!("{:020}-{id}", i64::MAX - time.millis())
}

/// One page of `items` in key order after `token`.
pub(super) fn page<T>(
    mut items: Vec<(String, T)>,
    token: Option<&str>,
    limit: usize,
) -> (Vec<T>, Option<String>) {
    // Stable, and nearly free on the store's lists, which come in key order already.
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(key, _)| token.is_none_or(|t| key.as_str() > t))
        .collect();
    let next = (rest.len() > limit).then(|| rest[limit - 1].0.clone());
    rest.truncate(limit);
    (rest.into_iter().map(|(_, v)| v).collect(), next)
}
