//! `cognito serve` as a process: the endpoint line, durability across kill -9, clean SIGTERM.

mod common;

use common::{Serve, call};
use serde_json::json;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cognito-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let dir = temp_dir("kill");
    let server = Serve::start(&["--data-dir", dir.to_str().unwrap()]);
    assert!(server.url.starts_with("http://127.0.0.1:"));
    let (status, created) = call(
        &server.url,
        "CreateUserPool",
        json!({"PoolName": "durable"}),
    )
    .await;
    assert_eq!(status, 200);
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &server.url,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "kim", "MessageAction": "SUPPRESS"}),
    )
    .await;
    assert_eq!(status, 200);
    let status = server.signal("KILL");
    assert!(!status.success());

    let server = Serve::start(&["--data-dir", dir.to_str().unwrap()]);
    let (status, user) = call(
        &server.url,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "kim"}),
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["Username"], "kim");
    assert!(
        server.signal("TERM").success(),
        "SIGTERM shuts down cleanly"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn in_memory_servers_keep_nothing() {
    let server = Serve::start(&["--in-memory"]);
    let (status, _) = call(&server.url, "CreateUserPool", json!({"PoolName": "gone"})).await;
    assert_eq!(status, 200);
    assert!(server.signal("INT").success(), "Ctrl-C shuts down cleanly");
    let server = Serve::start(&["--in-memory"]);
    let (_, pools) = call(&server.url, "ListUserPools", json!({"MaxResults": 10})).await;
    assert_eq!(pools["UserPools"], json!([]));
}
