//! The `openidconnect` crate as a relying party nobody here wrote, against a real
//! server: discovery from the pool's issuer, the code flow with PKCE, and the ID token
//! verified (signature from the JWKS, issuer, audience, expiry, nonce, at_hash).

mod common;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};

use common::hosted::{Browser, hosted_pool};
use common::{confirmed_user, sdk};

const CALLBACK: &str = "http://localhost:9/cb";
const PASSWORD: &str = "Passw0rd-Oidc1";

#[tokio::test]
async fn discovery_the_code_flow_with_pkce_and_id_token_verification() {
    let server = cognito_local::Server::builder()
        .in_memory()
        .start()
        .await
        .unwrap();
    let url = server.url();
    let sdk = sdk(&url, "us-east-1");
    let (pool_id, client_id) = hosted_pool(&sdk, |b| b, &["openid", "email"], CALLBACK).await;
    confirmed_user(&sdk, &pool_id, "oli", PASSWORD).await;

    let issuer = IssuerUrl::new(format!("{url}/{pool_id}")).unwrap();
    let metadata = CoreProviderMetadata::discover_async(issuer, &common::rp_http)
        .await
        .unwrap();
    let client = CoreClient::from_provider_metadata(metadata, ClientId::new(client_id), None)
        .set_redirect_uri(RedirectUrl::new(CALLBACK.to_owned()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();

    // The user signs in on the hosted page.
    let mut browser = Browser::default();
    let login = browser.get(authorize.as_str()).await;
    let page = browser
        .get(&format!("{url}{}", login.location.unwrap()))
        .await;
    let form = [
        ("_csrf", page.input("_csrf").unwrap()),
        ("username", "oli".to_owned()),
        ("password", PASSWORD.to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let back = browser
        .post(&format!("{url}{}", page.action()), &form)
        .await;
    assert_eq!(
        back.redirect_param("state").as_deref(),
        Some(csrf.secret().as_str())
    );
    let code = back.redirect_param("code").unwrap();

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&common::rp_http)
        .await
        .unwrap();
    let id_token = tokens.id_token().expect("an ID token with openid");
    let id_verifier = client.id_token_verifier();
    let claims = id_token.claims(&id_verifier, &nonce).unwrap();
    assert_eq!(claims.email().map(|e| e.as_str()), Some("oli@example.com"));
    let expected = claims.access_token_hash().expect("at_hash");
    let actual = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&id_verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(&actual, expected);
    assert!(tokens.refresh_token().is_some());
    // A nonce other than the one sent does not verify.
    assert!(
        id_token
            .claims(&id_verifier, &Nonce::new("other".into()))
            .is_err()
    );
}
