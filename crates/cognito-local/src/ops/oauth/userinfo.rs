//! `/oauth2/userInfo`: the attributes of the user an access token with `openid`
//! belongs to, as the developer guide's userInfo endpoint describes them: with `openid`
//! alone every attribute the client may read; with `profile`, `email` or `phone`, those
//! scopes' claims; `sub` and `username` always; `*_verified` as the strings `"true"`
//! and `"false"` ("Currently, Amazon Cognito returns the values for email_verified and
//! phone_number_verified as strings").

use serde_json::{Map, Value, json};

use crate::domain::access;
use crate::domain::records::PoolRecord;
use crate::domain::{Ctx, client_documents};
use crate::error::{OAuthError, OAuthErrorCode};

/// The claims of the `profile` scope (OpenID Connect Core §5.4), custom attributes too.
const PROFILE: &[&str] = &[
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

/// The user's claims for the access token, which must be this pool's, live, and carry
/// `openid`; anything else is `invalid_token`.
pub fn userinfo(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    token: &str,
) -> Result<Map<String, Value>, OAuthError> {
    let invalid = || OAuthError::new(OAuthErrorCode::InvalidToken);
    let verified = access::verified(ctx, token).map_err(|_| invalid())?;
    let has = |scope: &str| verified.scopes.iter().any(|s| s == scope);
    if verified.pool.id != pool.id || !has("openid") {
        return Err(invalid());
    }
    let client = client_documents::app_client_of(ctx, pool, &verified.sign_in.client_id)?
        .ok_or_else(invalid)?;
    let readable = |name: &str| {
        client.read_attributes.is_empty() || client.read_attributes.iter().any(|a| a == name)
    };
    let narrowed = has("profile") || has("email") || has("phone");
    let in_scopes = |name: &str| {
        !narrowed
            || (has("profile") && (PROFILE.contains(&name) || name.starts_with("custom:")))
            || (has("email") && matches!(name, "email" | "email_verified"))
            || (has("phone") && matches!(name, "phone_number" | "phone_number_verified"))
    };
    let user = &verified.user;
    let mut out = Map::new();
    out.insert("sub".into(), json!(user.sub));
    for (name, value) in &user.attributes {
        if name != "sub" && readable(name) && in_scopes(name) {
            out.insert(name.clone(), json!(value));
        }
    }
    out.insert("username".into(), json!(user.username));
    Ok(out)
}
