//! What a client's pages show besides their forms: the pool's name (the issuer of
//! authenticator apps), whether users may sign up, buttons for the client's identity
//! providers, the links to its terms documents (on the sign-up page), and whether
//! managed login has a style to show them with.

use crate::domain::client_oauth::OAuthSettings;
use crate::domain::pool_domains::DomainRecord;
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::{Ctx, branding, terms};
use crate::error::{OAuthError, OAuthErrorCode};
use crate::ops::oauth::authorize::Refusal;

/// The extras of a client's pages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Look {
    /// The pool's name.
    pub issuer: String,
    /// Whether users may sign themselves up.
    pub sign_up: bool,
    /// The client's identity providers besides the pool's own users.
    pub providers: Vec<String>,
    /// `(terms of use, privacy policy)` URLs, once the client has both documents.
    pub terms: Option<(String, String)>,
}

/// What `client`'s pages show, reached through `domain`, in the `lang` asked for. With
/// managed login (version 2) a client needs a branding style: without one, AWS says,
/// "your managed login pages for that app client are nonfunctional until you create a
/// new style or switch the domain branding version".
pub(crate) fn of(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    domain: &DomainRecord,
    client: &ClientRecord,
    lang: Option<&str>,
) -> Result<Look, Refusal> {
    if domain.managed_login_version == 2 && branding::of_client(ctx, pool, &client.id)?.is_none() {
        return Err(Refusal::Page(OAuthError::described(
            OAuthErrorCode::InvalidRequest,
            "Login pages unavailable. Please contact an administrator.",
        )));
    }
    let language = lang.and_then(terms::language_key);
    let providers = OAuthSettings::of(client)
        .identity_providers
        .into_iter()
        .filter(|p| p != "COGNITO")
        .collect();
    Ok(Look {
        issuer: pool.name.clone(),
        sign_up: !pool.admin_create_user_only,
        providers,
        terms: terms::links_for(ctx, pool, &client.id, language)?,
    })
}
