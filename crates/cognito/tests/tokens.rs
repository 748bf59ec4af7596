//! Token sets: verification, renewal, `check_token` on a verified expiry only,
//! sign-out, revocation, and the token stores.

mod common;

use std::sync::Arc;
use std::time::Duration;

use cognito::{Error, FileStore, MemoryStore, TokenStore};
use common::{PASSWORD, PoolSpec, start, start_on_manual_clock};

#[tokio::test]
async fn renewal_keeps_the_refresh_token_and_check_token_renews_when_due() {
    let local = start_on_manual_clock(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    let mut tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let refresh = tokens.refresh_token().unwrap().to_owned();
    let first_access = tokens.access_token().to_owned();

    // Not due: an hour-long token with the default one-minute leeway.
    assert!(!cognito.check_token(&mut tokens).await.unwrap());
    assert_eq!(tokens.access_token(), first_access);

    cognito.renew(&mut tokens).await.unwrap();
    assert_eq!(
        tokens.refresh_token(),
        Some(refresh.as_str()),
        "kept when none is returned"
    );
    assert_ne!(tokens.access_token(), first_access);
    assert!(tokens.claims().is_some());

    // Due: a leeway longer than the token's life.
    let eager = local
        .builder()
        .leeway(Duration::from_secs(2 * 3600))
        .build()
        .unwrap();
    let before = tokens.access_token().to_owned();
    local.advance(Duration::from_millis(1100)); // a new iat, so a new token
    assert!(eager.check_token(&mut tokens).await.unwrap());
    assert_ne!(tokens.access_token(), before);
}

#[tokio::test]
async fn a_tampered_token_is_never_trusted_for_its_expiry() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();

    // Forge a token set whose access token claims to expire far in the future.
    let mut json: serde_json::Value = serde_json::to_value(&tokens).unwrap();
    let access = json["access_token"].as_str().unwrap().to_owned();
    let mut parts: Vec<String> = access.split('.').map(str::to_owned).collect();
    parts[1].replace_range(0..4, "eyJ4"); // the payload is no longer what was signed
    json["access_token"] = parts.join(".").into();
    let mut forged: cognito::TokenSet = serde_json::from_value(json).unwrap();
    assert!(
        forged.claims().is_none(),
        "claims are not trusted from storage"
    );

    let err = cognito.check_token(&mut forged).await.unwrap_err();
    assert!(matches!(err, Error::Verify(_)), "{err}");
    let err = cognito.verify_tokens(&mut forged).await.unwrap_err();
    assert!(matches!(err, Error::Verify(_)), "{err}");

    // The genuine set verifies again after a round trip through JSON.
    let mut restored: cognito::TokenSet =
        serde_json::from_str(&serde_json::to_string(&tokens).unwrap()).unwrap();
    let claims = cognito.verify_tokens(&mut restored).await.unwrap();
    assert_eq!(claims.access.username.as_deref(), Some("ada"));
}

#[tokio::test]
async fn sign_out_and_revoke_end_the_session() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();

    let mut tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    cognito.sign_out(&tokens).await.unwrap();
    let err = cognito.renew(&mut tokens).await.unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err}");
    let err = cognito.get_user(&tokens).await.unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err}");

    let mut tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    cognito.revoke(&tokens).await.unwrap();
    let err = cognito.renew(&mut tokens).await.unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err}");
}

#[tokio::test]
async fn tokens_are_kept_in_the_store_by_the_pools_user_name() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let dir = std::env::temp_dir().join(format!("cognito-store-{}", std::process::id()));
    let path = dir.join("tokens.json");
    let store = Arc::new(FileStore::new(&path));
    let cognito = local.cognito_with_store(store.clone(), false);

    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let mut stored = cognito
        .stored_tokens("ada")
        .unwrap()
        .expect("stored at login");
    assert_eq!(stored.access_token(), tokens.access_token());
    cognito.renew(&mut stored).await.unwrap();
    assert_eq!(
        cognito
            .stored_tokens("ada")
            .unwrap()
            .unwrap()
            .access_token(),
        stored.access_token(),
        "stored after renewal"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Another process (here: another store on the same file) sees them.
    let other = local.cognito_with_store(Arc::new(FileStore::new(&path)), false);
    assert!(other.stored_tokens("ada").unwrap().is_some());
    cognito.sign_out(&stored).await.unwrap();
    assert!(
        cognito.stored_tokens("ada").unwrap().is_none(),
        "forgotten at sign-out"
    );
    std::fs::remove_dir_all(&dir).ok();

    // The memory store behaves the same.
    let memory = Arc::new(MemoryStore::default());
    let cognito = local.cognito_with_store(memory.clone(), false);
    cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let key = format!("{}/{}/ada", local.pool_id, local.client_id);
    assert!(memory.load(&key).unwrap().unwrap().tokens.is_some());
    // A corrupt file is an error, not a panic.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&path, b"{not json").unwrap();
    assert!(matches!(
        FileStore::new(&path).load("k"),
        Err(Error::Store(_))
    ));
    std::fs::remove_dir_all(&dir).ok();
}
