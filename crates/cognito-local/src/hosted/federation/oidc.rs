//! The pool as an OpenID Connect relying party of one of its OIDC providers, as the
//! developer guide's "OIDC user pool IdP authentication flow" describes: the
//! provider's endpoints from its discovery document (unless its details give them),
//! the authorization code exchanged at its token endpoint with `client_secret_post`
//! ("Amazon Cognito doesn't support client_secret_basic"), the ID token verified
//! (signature by a `kid` of the provider's JWKS, fetched for each token; `iss`, `aud`,
//! `exp`; and the nonce this server sent), then the userInfo endpoint read with the
//! access token, the ID token's claims taking precedence ("Amazon Cognito prioritizes
//! information in an ID token over information from userInfo").
//!
//! Unlike AWS, which asks for an `https` issuer on port 443, any issuer is accepted, so
//! that a provider on loopback can be used.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
use serde_json::{Map, Value};

use crate::clock::UnixTime;
use crate::domain::federation::Vouched;
use crate::outbound::read;

/// The most of a provider's answer read (a discovery document, keys, tokens).
const MOST_BYTES: usize = 1 << 20;

/// Why a provider's answer was not taken: the `error_description` the app's redirect
/// gets (with `error=invalid_request`, as the authorize endpoint's page lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failed(pub String);

/// A provider's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoints {
    /// The issuer its ID tokens name.
    pub issuer: String,
    pub authorization: String,
    pub token: String,
    pub jwks: String,
    pub user_info: Option<String>,
    /// Whether it takes PKCE's S256 challenges (`code_challenge_methods_supported`).
    pub pkce: bool,
}

/// A provider's client settings, from its details.
#[derive(Debug, Clone)]
pub(crate) struct Provider<'a> {
    /// The provider's name in the pool (in error descriptions).
    pub name: &'a str,
    pub details: &'a std::collections::BTreeMap<String, String>,
    /// The server's client for identity providers.
    pub http: &'a reqwest::Client,
}

impl Provider<'_> {
    fn detail(&self, key: &str) -> Option<&str> {
        self.details
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Its endpoints: as its details give them (`authorize_url`, `token_url`,
    /// `jwks_uri`, `attributes_url`), else from its issuer's discovery document.
    pub async fn endpoints(&self) -> Result<Endpoints, Failed> {
        let issuer = self
            .detail("oidc_issuer")
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        if let (Some(authorization), Some(token), Some(jwks)) = (
            self.detail("authorize_url"),
            self.detail("token_url"),
            self.detail("jwks_uri"),
        ) {
            return Ok(Endpoints {
                issuer,
                authorization: authorization.to_owned(),
                token: token.to_owned(),
                jwks: jwks.to_owned(),
                user_info: self.detail("attributes_url").map(str::to_owned),
                pkce: false,
            });
        }
        let url = format!("{issuer}/.well-known/openid-configuration");
        let failed = || {
            Failed(format!(
                "{} Error - unable to read the discovery document",
                self.name
            ))
        };
        let response = self.http.get(&url).send().await.map_err(|_| failed())?;
        if !response.status().is_success() {
            return Err(failed());
        }
        let document: Value =
            serde_json::from_slice(&read(response, MOST_BYTES).await.map_err(|_| failed())?)
                .map_err(|_| failed())?;
        let text = |key: &str| document.get(key).and_then(Value::as_str).map(str::to_owned);
        let pkce = document
            .get("code_challenge_methods_supported")
            .and_then(Value::as_array)
            .is_some_and(|methods| methods.iter().any(|m| m == "S256"));
        Ok(Endpoints {
            // Tokens must name the issuer configured ("Compare the iss claim to the
            // OIDC issuer configured for the IdP"), whatever the document says.
            issuer,
            authorization: text("authorization_endpoint").ok_or_else(failed)?,
            token: text("token_endpoint").ok_or_else(failed)?,
            jwks: text("jwks_uri").ok_or_else(failed)?,
            user_info: text("userinfo_endpoint")
                .or_else(|| self.detail("attributes_url").map(str::to_owned)),
            pkce,
        })
    }

    /// Exchanges `code` and verifies what the provider answers: the user's claims.
    pub async fn redeem(
        &self,
        endpoints: &Endpoints,
        code: &str,
        redeem: Redeem<'_>,
    ) -> Result<Vouched, Failed> {
        let client_id = self.detail("client_id").unwrap_or_default();
        let secret = self.detail("client_secret").unwrap_or_default();
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redeem.redirect_uri),
            ("client_id", client_id),
        ];
        if !secret.is_empty() {
            form.push(("client_secret", secret));
        }
        if let Some(verifier) = redeem.verifier {
            form.push(("code_verifier", verifier));
        }
        let body = {
            let mut body = form_urlencoded::Serializer::new(String::new());
            for (name, value) in &form {
                body.append_pair(name, value);
            }
            body.finish()
        };
        let response = self
            .http
            .post(&endpoints.token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                Failed(if e.is_timeout() {
                    "Timeout occurred in calling IdP token endpoint".to_owned()
                } else {
                    format!("{} Error - error getting token", self.name)
                })
            })?;
        let status = response.status();
        let body = read(response, MOST_BYTES).await.unwrap_or_default();
        if !status.is_success() {
            return Err(Failed(format!(
                "{} Error - {} error getting token",
                self.name,
                status.as_u16()
            )));
        }
        let token_response: Value = serde_json::from_slice(&body)
            .map_err(|_| Failed(format!("{} Error - error getting token", self.name)))?;
        let id_token = token_response
            .get("id_token")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Failed(format!(
                    "{} Error - the token response has no id_token",
                    self.name
                ))
            })?;
        let claims = self
            .verify(endpoints, id_token, client_id, secret, redeem)
            .await?;
        let access_token = token_response.get("access_token").and_then(Value::as_str);
        let user_info = match (&endpoints.user_info, access_token) {
            (Some(url), Some(token)) => self.user_info(url, token).await?,
            _ => Value::Object(Map::new()),
        };
        let mut merged = user_info.as_object().cloned().unwrap_or_default();
        for (name, value) in &claims {
            merged.insert(name.clone(), value.clone());
        }
        Ok(Vouched {
            claims: merged,
            token_response,
            id_token: Value::Object(claims),
            user_info,
        })
    }

    /// The ID token's claims, once verified.
    async fn verify(
        &self,
        endpoints: &Endpoints,
        id_token: &str,
        client_id: &str,
        secret: &str,
        redeem: Redeem<'_>,
    ) -> Result<Map<String, Value>, Failed> {
        let keys = async {
            let response = self.http.get(&endpoints.jwks).send().await.ok()?;
            let body = read(response, MOST_BYTES).await.ok()?;
            serde_json::from_slice::<CoreJsonWebKeySet>(&body).ok()
        }
        .await
        .ok_or_else(|| Failed("Timeout in calling jwks uri".to_owned()))?;
        let issuer = IssuerUrl::new(endpoints.issuer.clone())
            .map_err(|_| Failed(format!("Bad id_token issuer {}", endpoints.issuer)))?;
        let now = redeem.now.secs();
        let client_id = ClientId::new(client_id.to_owned());
        // HMAC tokens are keyed by the client secret: without one, none is taken (an
        // empty key would let anyone sign).
        let verifier = if secret.is_empty() {
            CoreIdTokenVerifier::new_public_client(client_id, issuer, keys)
        } else {
            CoreIdTokenVerifier::new_confidential_client(
                client_id,
                ClientSecret::new(secret.to_owned()),
                issuer,
                keys,
            )
        }
        // RSA, HMAC and EC, as AWS takes; never `none`.
        .allow_any_alg()
        // "the aud claim ... contains the configured client ID if there are multiple
        // values in the aud claim": the others are not held against the token.
        .set_other_audience_verifier_fn(|_| true)
        .set_time_fn(move || chrono::DateTime::from_timestamp(now, 0).unwrap_or_default());
        let token: CoreIdToken = id_token
            .parse()
            .map_err(|_| Failed("invalid_token: the id_token is not a JWT".to_owned()))?;
        let nonce = Nonce::new(redeem.nonce.to_owned());
        token
            .claims(&verifier, &nonce)
            .map_err(|e| Failed(format!("invalid_token: {e}")))?;
        // Verified: its payload is read as it is, every claim kept.
        let payload = id_token.split('.').nth(1).unwrap_or_default();
        URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| Failed("invalid_token: unreadable claims".to_owned()))
    }

    /// The userInfo endpoint's answer, by `attributes_request_method` (GET unless POST).
    async fn user_info(&self, url: &str, access_token: &str) -> Result<Value, Failed> {
        let request = match self.detail("attributes_request_method") {
            Some("POST") => self.http.post(url),
            _ => self.http.get(url),
        };
        let failed = |why: &str| Failed(format!("{} Error - {why} getting user info", self.name));
        let response = request
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|_| failed("error"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(failed(&format!("{} error", status.as_u16())));
        }
        let body = read(response, MOST_BYTES)
            .await
            .map_err(|_| failed("error"))?;
        serde_json::from_slice::<Value>(&body)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| failed("an unreadable answer"))
    }
}

/// What redeeming a code needs besides the code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Redeem<'a> {
    /// The `redirect_uri` the provider was sent (this server's idpresponse).
    pub redirect_uri: &'a str,
    /// The nonce the provider was sent.
    pub nonce: &'a str,
    /// The PKCE verifier, when a challenge was sent.
    pub verifier: Option<&'a str>,
    /// Now, by the server's clock (for `exp`).
    pub now: UnixTime,
}
