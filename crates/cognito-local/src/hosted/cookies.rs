//! The login pages' cookies: the hosted session (`cognito`) and the CSRF token
//! (`XSRF-TOKEN`, which every form posts back as `_csrf`: a page of another origin can
//! neither read the cookie nor set the field). Both are HttpOnly and SameSite=Lax, and
//! scoped to the pool's path when the pool is addressed by path.

use axum::http::HeaderMap;

/// The hosted session cookie's name, as Cognito names it.
pub const SESSION: &str = "cognito";
/// The CSRF cookie's name, as Cognito names it.
pub const CSRF: &str = "XSRF-TOKEN";

/// A cookie's value from the request's `Cookie` headers.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value; `max_age` `None` for a browser-session cookie.
pub fn set(name: &str, value: &str, path: &str, max_age: Option<i64>) -> String {
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax{age}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, path: &str) -> String {
    set(name, "", path, Some(0))
}

/// The CSRF token a page's forms carry: the request's own if it has a well-formed one,
/// else a new one and the cookie that sets it.
pub fn csrf_token(headers: &HeaderMap, path: &str) -> (String, Option<String>) {
    match get(headers, CSRF).filter(|t| well_formed(t)) {
        Some(token) => (token.to_owned(), None),
        None => {
            let token = crate::tokens::new_refresh_token();
            let cookie = set(CSRF, &token, path, None);
            (token, Some(cookie))
        }
    }
}

fn well_formed(token: &str) -> bool {
    (32..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a form's `_csrf` is the request's CSRF cookie (compared in constant time).
pub fn csrf_matches(headers: &HeaderMap, given: Option<&str>) -> bool {
    match (get(headers, CSRF), given) {
        (Some(cookie), Some(given)) if well_formed(cookie) => {
            crate::domain::clients::same(cookie, given)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_from_every_header() {
        let mut headers = HeaderMap::new();
        headers.append("cookie", "a=1; cognito=xyz".parse().unwrap());
        headers.append("cookie", "XSRF-TOKEN=".parse().unwrap());
        assert_eq!(get(&headers, "cognito"), Some("xyz"));
        assert_eq!(get(&headers, "a"), Some("1"));
        assert_eq!(get(&headers, CSRF), None);
        assert!(!csrf_matches(&headers, Some("")));
        let (token, cookie) = csrf_token(&headers, "/p");
        assert!(
            cookie
                .unwrap()
                .starts_with(&format!("XSRF-TOKEN={token}; Path=/p; HttpOnly"))
        );
    }
}
