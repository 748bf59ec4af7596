//! The authorization_code grant: a code exchanged once, by the client it was granted
//! to, with the redirect URI it was sent to and, if the authorize request had a PKCE
//! challenge, the verifier whose S256 hash it is. Every refusal is `invalid_grant`
//! and leaves the code as it was, but a replay of an exchanged code, which revokes the
//! sign-in the code gave.

use super::{TokenReply, user_tokens};
use crate::domain::client_oauth::OAuthSettings;
use crate::domain::records::{ClientRecord, PoolRecord};
use crate::domain::state::OAuthFlow;
use crate::domain::{Ctx, clients, oauth_codes, sign_ins, users};
use crate::error::{CognitoError, OAuthError, OAuthErrorCode};
use crate::ops::auth::HostedGrant;

/// The S256 challenge of a verifier: base64url of its SHA-256 (RFC 7636 §4.2).
pub(crate) fn s256(verifier: &str) -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// A PKCE verifier or challenge as RFC 7636 §4.1 and §4.2 allow them: 43 to 128
/// unreserved characters (an S256 challenge is 43).
pub(super) fn valid_pkce(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

pub(super) fn exchange(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    client: &ClientRecord,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
    resource: Option<&str>,
) -> Result<TokenReply, OAuthError> {
    let invalid = || OAuthError::new(OAuthErrorCode::InvalidGrant);
    if !OAuthSettings::of(client).allows(OAuthFlow::Code) {
        return Err(OAuthError::new(OAuthErrorCode::UnauthorizedClient));
    }
    let mut record = oauth_codes::find(ctx, pool, code)?.ok_or_else(invalid)?;
    if record.client_id != client.id {
        return Err(invalid());
    }
    super::resource::repeated(resource, record.resource.as_deref())?;
    if let Some(origin) = &record.exchanged_for {
        if let Some(mut sign_in) = sign_ins::get(ctx, pool, origin)? {
            sign_ins::revoke(ctx, pool, &mut sign_in)?;
            ctx.commit_so_far()?;
            tracing::info!(pool = %pool.id, "a replayed code revoked its sign-in");
        }
        return Err(invalid());
    }
    if redirect_uri != Some(record.redirect_uri.as_str()) {
        return Err(invalid());
    }
    if let Some(challenge) = &record.challenge {
        let verifier = verifier.filter(|v| valid_pkce(v)).ok_or_else(invalid)?;
        if !clients::same(&s256(verifier), challenge) {
            return Err(invalid());
        }
    }
    let mut user = users::by_username(ctx, pool, &record.username)?
        .filter(|user| user.sub == record.sub && user.enabled)
        .ok_or_else(invalid)?;
    let grant = HostedGrant {
        scopes: &record.scopes,
        nonce: record.nonce.as_deref(),
        auth_time: record.auth_time,
        resource: record.resource.as_deref(),
    };
    let mut reply = user_tokens(ctx, pool, client, &mut user, &grant)?;
    let origin = reply
        .access_token
        .claim("origin_jti")
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| CognitoError::internal("an access token without origin_jti"))?;
    oauth_codes::exchanged(ctx, pool, code, &mut record, &origin)?;
    // A metadata document without the refresh_token grant gets no refresh token.
    if client.metadata.as_ref().is_some_and(|m| !m.refresh) {
        reply.refresh_token = None;
    }
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_is_rfc_7636s_example() {
        // RFC 7636, Appendix B.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(valid_pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!valid_pkce("short"));
        assert!(!valid_pkce(&"a b".repeat(20)));
    }
}
