//! The authorization code grant with PKCE: the URL the browser is sent to, and what is
//! done with the callback it comes back with.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::{OAuthClient, OAuthError, OAuthTokens};

/// An authorization request on its way: the URL to send the browser to, and the
/// secrets its callback is checked against. Keep it (it serialises, for a server-side
/// session) until the browser comes back; use it once.
#[derive(Clone, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    /// The authorize URL, with `state`, `nonce` and the PKCE challenge (S256).
    pub url: String,
    /// The `state` sent: the callback must carry it back.
    pub state: String,
    /// The `nonce` sent: the id token must carry it.
    pub nonce: String,
    /// The PKCE code verifier, sent only with the code (wiped on drop).
    verifier: String,
    /// The redirect URI the code is bound to.
    redirect_uri: String,
    /// Whether `openid` was asked for: then an id token must come.
    #[serde(default)]
    openid: bool,
}

impl Drop for AuthorizationRequest {
    fn drop(&mut self) {
        self.verifier.zeroize();
    }
}

impl std::fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.url)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// What the browser brought back to the redirect URI: a code, or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// The authorization code, and the `state` it came with.
    Code {
        /// The code.
        code: String,
        /// The state.
        state: Option<String>,
    },
    /// The sign-in was refused.
    Error {
        /// The OAuth error code.
        error: String,
        /// Its description.
        description: Option<String>,
        /// The state.
        state: Option<String>,
    },
}

impl Callback {
    /// Reads a callback from the redirect URI's query (with or without `?`) or from
    /// the whole URL.
    ///
    /// ```
    /// use cognito::oauth::Callback;
    ///
    /// let callback = Callback::parse("https://app.example.com/cb?code=abc&state=xyz").unwrap();
    /// assert_eq!(callback, Callback::Code { code: "abc".into(), state: Some("xyz".into()) });
    /// ```
    pub fn parse(query_or_url: &str) -> Result<Self, OAuthError> {
        let query = match query_or_url.split_once('?') {
            Some((_, query)) => query,
            None => query_or_url,
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                "code" => &mut code,
                "state" => &mut state,
                "error" => &mut error,
                "error_description" => &mut description,
                _ => continue,
            };
            if slot.is_some() {
                return Err(OAuthError::UnexpectedResponse(format!(
                    "the callback repeats {key}"
                )));
            }
            *slot = Some(value.into_owned());
        }
        match (code, error) {
            (_, Some(error)) => Ok(Callback::Error {
                error,
                description,
                state,
            }),
            (Some(code), None) => Ok(Callback::Code { code, state }),
            (None, None) => Err(OAuthError::NoCode),
        }
    }
}

/// 32 random bytes, base64url: a `state`, a `nonce` or a PKCE verifier (43 characters,
/// RFC 7636's recommended length).
fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

impl OAuthClient {
    /// Starts a code grant asking for `scopes`: the URL to send the browser to.
    pub fn authorize(&self, scopes: &[&str]) -> AuthorizationRequest {
        self.authorize_with(scopes, &[])
    }

    /// [`authorize`](Self::authorize) straight through one of the pool's identity
    /// providers (`identity_provider`): the browser goes to the provider's sign-in,
    /// not the pool's login page.
    ///
    /// ```
    /// # fn main() -> Result<(), cognito::oauth::OAuthError> {
    /// let oauth = cognito::oauth::OAuthClient::builder()
    ///     .local("http://127.0.0.1:9229", "us-east-1_example")
    ///     .client_id("app")
    ///     .redirect_uri("http://localhost:8080/cb")
    ///     .build()?;
    /// let request = oauth.authorize_through("Okta", &["openid", "email"]);
    /// assert!(request.url.contains("identity_provider=Okta"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn authorize_through(&self, provider: &str, scopes: &[&str]) -> AuthorizationRequest {
        self.authorize_with(scopes, &[("identity_provider", provider)])
    }

    /// [`authorize`](Self::authorize) with more parameters of the authorize endpoint:
    /// `identity_provider`, `idp_identifier`, `prompt`, `lang`, or `resource` (RFC 8707),
    /// which binds the access token's `aud` to one resource server of the pool.
    ///
    /// ```
    /// # fn main() -> Result<(), cognito::oauth::OAuthError> {
    /// let oauth = cognito::oauth::OAuthClient::builder()
    ///     .local("http://127.0.0.1:9229", "us-east-1_example")
    ///     .client_id("app")
    ///     .redirect_uri("http://localhost:8080/cb")
    ///     .build()?;
    /// let scopes = ["openid", "https://api.example.com/read"];
    /// let request = oauth.authorize_with(&scopes, &[("resource", "https://api.example.com")]);
    /// assert!(request.url.contains("resource=https%3A%2F%2Fapi.example.com"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn authorize_with(&self, scopes: &[&str], extra: &[(&str, &str)]) -> AuthorizationRequest {
        let state = random_token();
        let nonce = random_token();
        let verifier = random_token();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let redirect_uri = self.redirect_uri.clone().unwrap_or_default();
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        if !scopes.is_empty() {
            query.append_pair("scope", &scopes.join(" "));
        }
        for (k, v) in extra {
            query.append_pair(k, v);
        }
        AuthorizationRequest {
            url: format!("{}?{}", self.endpoint("oauth2/authorize"), query.finish()),
            state,
            nonce,
            verifier,
            redirect_uri,
            openid: scopes.contains(&"openid"),
        }
    }

    /// Finishes a code grant from the callback's query (or URL): checks its `state`,
    /// exchanges the code with the PKCE verifier, and verifies the id token (nonce
    /// and at_hash included).
    pub async fn finish(
        &self,
        request: &AuthorizationRequest,
        callback: &str,
    ) -> Result<OAuthTokens, OAuthError> {
        let (code, state, refused) = match Callback::parse(callback)? {
            Callback::Code { code, state } => (code, state, None),
            Callback::Error {
                error,
                description,
                state,
            } => (String::new(), state, Some((error, description))),
        };
        let state = state.unwrap_or_default();
        if !bool::from(state.as_bytes().ct_eq(request.state.as_bytes())) {
            return Err(OAuthError::StateMismatch);
        }
        if let Some((error, description)) = refused {
            return Err(OAuthError::Refused { error, description });
        }
        self.exchange(request, &code).await
    }

    /// Exchanges an authorization code of `request` for tokens (the state already
    /// checked), the id token verified against the request's nonce.
    pub async fn exchange(
        &self,
        request: &AuthorizationRequest,
        code: &str,
    ) -> Result<OAuthTokens, OAuthError> {
        if self.redirect_uri.is_none() {
            return Err(OAuthError::Config("the redirect URI is required".into()));
        }
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", request.redirect_uri.as_str()),
            ("code_verifier", request.verifier.as_str()),
        ];
        let answer = self.token_request(&form).await?;
        if request.openid && answer.id_token.is_none() {
            return Err(OAuthError::UnexpectedResponse(
                "openid was asked for, and no id token came".into(),
            ));
        }
        self.verified(answer, Some(&request.nonce)).await
    }
}
