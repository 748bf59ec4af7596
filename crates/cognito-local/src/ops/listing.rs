//! Listing pages.

/// One page of `items` (already in key order) after `token`.
pub(super) fn page<T>(
    items: Vec<(String, T)>,
    token: Option<&str>,
    limit: usize,
) -> (Vec<T>, Option<String>) {
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(key, _)| token.is_none_or(|t| key.as_str() > t))
        .collect();
    let next = (rest.len() > limit).then(|| rest[limit - 1].0.clone());
    rest.truncate(limit);
    (rest.into_iter().map(|(_, v)| v).collect(), next)
}
