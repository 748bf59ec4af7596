//! Data written to a data directory is there after a restart.

mod common;

use cognito_local::Server;

#[tokio::test]
async fn pools_and_clients_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("cognito-local-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    let server = Server::builder().data_dir(&dir).start().await.unwrap();
    let sdk = common::sdk(&server.url(), "us-east-1");
    let pool = sdk
        .create_user_pool()
        .pool_name("durable")
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_owned();
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .generate_secret(true)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap().clone();
    server.shutdown().await;

    let server = Server::builder().data_dir(&dir).start().await.unwrap();
    let sdk = common::sdk(&server.url(), "us-east-1");
    let described = sdk
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.user_pool().unwrap().name(), Some("durable"));
    let again = sdk
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(client.client_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.user_pool_client().unwrap().client_secret(),
        client.client_secret()
    );
    server.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
