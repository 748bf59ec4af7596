//! Listings that Cognito answers page by page.

use crate::Result;

/// Reads every page of a listing: `fetch` takes the next token and returns the page's
/// items with the token of the page after.
pub(crate) async fn all_pages<T, F, Fut>(mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>)>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (page, next) = fetch(token).await?;
        items.extend(page);
        match next {
            Some(next) => token = Some(next),
            None => return Ok(items),
        }
    }
}
