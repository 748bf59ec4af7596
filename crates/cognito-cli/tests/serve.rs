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

#[tokio::test]
async fn cognito_messages_reads_the_outbox() {
    let server = Serve::start(&["--in-memory"]);
    let (_, created) = call(
        &server.url,
        "CreateUserPool",
        json!({"PoolName": "mail", "AutoVerifiedAttributes": ["email"]}),
    )
    .await;
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &server.url,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "lee", "TemporaryPassword": "Temp-Pass-123",
               "DesiredDeliveryMediums": ["EMAIL"], "UserAttributes": [{"Name": "email", "Value": "lee@example.com"}]}),
    )
    .await;
    assert_eq!(status, 200);
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cognito"))
            .args([
                "messages",
                "--endpoint",
                &server.url,
                "--pool-id",
                &pool_id,
                "--username",
                "lee",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(run(&["--code"]).trim(), "Temp-Pass-123");
    let listing = run(&[]);
    assert!(
        listing.contains("EMAIL invitation to lee@example.com"),
        "{listing}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&run(&["--json"])).unwrap();
    assert_eq!(parsed[0]["code"], "Temp-Pass-123");

    let unreachable = std::process::Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["messages", "--endpoint", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(1));
    let stderr = String::from_utf8(unreachable.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot reach") && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[tokio::test]
async fn credentials_come_from_a_file_and_bad_lines_stop_the_server() {
    let dir = temp_dir("credentials");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("keys");
    std::fs::write(&file, "# admins\nAKIDFILE:file-secret\n\n").unwrap();
    let server = Serve::start(&["--in-memory", "--credentials-file", file.to_str().unwrap()]);
    // The fake signature of `call` is now refused: AKID is no key of the file.
    let (status, body) = call(&server.url, "ListUserPools", json!({"MaxResults": 1})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (403, Some("UnrecognizedClientException"))
    );
    drop(server);

    std::fs::write(&file, "AKIDFILE:file-secret\nno-colon-secret-text\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["serve", "--port", "0", "--in-memory", "--credentials-file"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 2: credentials must be ACCESS_KEY:SECRET_KEY"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("no-colon-secret-text"),
        "the line is not echoed: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn lambda_targets_come_from_flags_and_files() {
    let dir = temp_dir("lambda");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("confirm.py");
    std::fs::write(
        &script,
        "import json, sys\nevent = json.load(sys.stdin)\nevent['response']['autoConfirmUser'] = True\nprint(json.dumps(event))\n",
    )
    .unwrap();
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:confirm";
    let file = dir.join("lambdas.txt");
    std::fs::write(
        &file,
        format!(
            "# the sign-up trigger\n{arn}=exec:python3 {}\n",
            script.display()
        ),
    )
    .unwrap();
    let server = Serve::start(&["--in-memory", "--lambda-file", file.to_str().unwrap()]);
    let (_, created) = call(
        &server.url,
        "CreateUserPool",
        json!({"PoolName": "hooked", "LambdaConfig": {"PreSignUp": arn}}),
    )
    .await;
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let (_, client) = call(
        &server.url,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "app"}),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    let (status, signed_up) = call(
        &server.url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "kim", "Password": "Passw0rd-Kim1"}),
    )
    .await;
    assert_eq!(status, 200, "{signed_up}");
    assert_eq!(signed_up["UserConfirmed"], true);
    std::fs::remove_dir_all(&dir).unwrap();
}
