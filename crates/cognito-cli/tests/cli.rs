//! The `cognito` command end to end against `cognito serve`: pools and users, login with
//! a TOTP challenge answered from stdin, a remembered device, refresh, whoami, verify,
//! logout, exit codes; and the demo.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Serve, call, totp};
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-Horse-1!";

fn cognito(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("COGNITO_ENDPOINT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        stderr(&output)
    );
    stdout(&output)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn login_with_totp_from_stdin_device_refresh_verify_logout() {
    let server = Serve::start(&["--in-memory"]);
    let url = server.url.as_str();
    let dir = std::env::temp_dir().join(format!("cognito-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = dir.to_str().unwrap();

    let created: Value = serde_json::from_str(&ok(cognito(
        &[
            "pool",
            "create",
            "dev",
            "--mfa",
            "optional",
            "--device-tracking",
            "--client-secret",
            "--endpoint",
            url,
        ],
        "",
    )))
    .unwrap();
    let pool_id = created["pool_id"].as_str().unwrap().to_owned();
    let client_id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    assert!(ok(cognito(&["pool", "list", "--endpoint", url], "")).contains(&pool_id));
    ok(cognito(
        &[
            "user",
            "create",
            "--pool-id",
            &pool_id,
            "--username",
            "ada",
            "--password",
            PASSWORD,
            "--email",
            "ada@example.com",
            "--endpoint",
            url,
        ],
        "",
    ));
    assert!(
        ok(cognito(
            &["user", "list", "--pool-id", &pool_id, "--endpoint", url],
            ""
        ))
        .contains("ada\tCONFIRMED")
    );

    let login_args = |remember: bool| {
        let mut args = vec![
            "login",
            "--pool-id",
            &pool_id,
            "--client-id",
            &client_id,
            "--client-secret",
            &secret,
            "--endpoint",
            url,
            "--username",
            "ada",
            "--password-stdin",
            "--config-dir",
            config,
        ];
        if remember {
            args.push("--remember-device");
        }
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let run_login = |remember: bool, stdin: &str| {
        let args = login_args(remember);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cognito(&args, stdin)
    };

    // A wrong password: one line, exit 1.
    let failed = run_login(false, "not-the-Password-1\n");
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        stderr(&failed).trim(),
        "error: NotAuthorizedException: Incorrect username or password."
    );

    // First login: no MFA yet.
    let tokens: Value =
        serde_json::from_str(&ok(run_login(false, &format!("{PASSWORD}\n")))).unwrap();
    assert_eq!(tokens["username"], "ada");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let whoami: Value =
        serde_json::from_str(&ok(cognito(&["whoami", "--config-dir", config], ""))).unwrap();
    assert_eq!(whoami["attributes"]["email"], "ada@example.com");

    // TOTP turned on with the access token the command printed.
    let (_, associated) = call(
        url,
        "AssociateSoftwareToken",
        json!({"AccessToken": access}),
    )
    .await;
    let totp_secret = associated["SecretCode"].as_str().unwrap().to_owned();
    let (status, _) = call(
        url,
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": totp(&totp_secret, 0)}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        url,
        "SetUserMFAPreference",
        json!({"AccessToken": access,
        "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    )
    .await;
    assert_eq!(status, 200);

    // Without a code on stdin the challenge cannot be answered.
    let failed = run_login(false, &format!("{PASSWORD}\n"));
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("stdin is closed"),
        "{}",
        stderr(&failed)
    );
    // With the code on the next line, and the device remembered.
    let output = run_login(true, &format!("{PASSWORD}\n{}\n", totp(&totp_secret, 1)));
    let tokens: Value = serde_json::from_str(&ok(output)).unwrap();
    assert!(tokens["device_key"].is_string(), "{tokens}");
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir.join("tokens.json")), 0o600);
        assert_eq!(mode(&dir.join("profiles.json")), 0o600);
    }
    // The remembered device answers for itself: no code needed.
    let tokens: Value =
        serde_json::from_str(&ok(run_login(false, &format!("{PASSWORD}\n")))).unwrap();
    let id_token = tokens["id_token"].as_str().unwrap().to_owned();

    // Refresh, as env lines.
    let env = ok(cognito(
        &["refresh", "--output", "env", "--config-dir", config],
        "",
    ));
    assert!(env.contains("export COGNITO_ID_TOKEN='ey"), "{env}");
    assert!(env.contains("export COGNITO_ACCESS_TOKEN='ey"), "{env}");

    // Verify: the claims of a good token, the reason for a tampered one.
    let claims: Value = serde_json::from_str(&ok(cognito(
        &[
            "verify",
            &id_token,
            "--pool-id",
            &pool_id,
            "--client-id",
            &client_id,
            "--endpoint",
            url,
        ],
        "",
    )))
    .unwrap();
    assert_eq!(claims["cognito:username"], "ada");
    let mut tampered = id_token.clone();
    let at = tampered.len() - 5;
    tampered.replace_range(
        at..at + 1,
        if &id_token[at..at + 1] == "A" {
            "B"
        } else {
            "A"
        },
    );
    let refused = cognito(
        &["verify", "-", "--pool-id", &pool_id, "--endpoint", url],
        &tampered,
    );
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(stderr(&refused).lines().count(), 1, "{}", stderr(&refused));
    assert!(
        stderr(&refused).starts_with("error: token rejected: invalid signature"),
        "{}",
        stderr(&refused)
    );

    // Logout: signed out everywhere, and the profile's tokens are forgotten.
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    ok(cognito(&["logout", "--config-dir", config], ""));
    let (status, refused) = call(url, "GetUser", json!({"AccessToken": access})).await;
    assert_eq!(
        (status, refused["__type"].as_str()),
        (400, Some("NotAuthorizedException"))
    );
    let refused = cognito(&["refresh", "--config-dir", config], "");
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused).trim(),
        "error: no tokens for ada: log in again"
    );

    // Bad usage is exit 2; a profile that does not exist is a clear error.
    assert_eq!(cognito(&["login"], "").status.code(), Some(2));
    let missing = cognito(&["whoami", "--profile", "nope", "--config-dir", config], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no profile \"nope\""));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_demo_runs_offline_and_exits_zero() {
    let output = cognito(&["demo"], "");
    let out = ok(output);
    assert!(out.contains("All 12 steps passed"), "{out}");
    assert!(out.contains("MFA is skipped"));
    assert!(out.contains("refresh refused: NotAuthorizedException"));
}

#[test]
fn help_has_examples() {
    for command in [
        &["--help"][..],
        &["login", "--help"],
        &["verify", "--help"],
        &["pool", "create", "--help"],
    ] {
        let out = ok(cognito(command, ""));
        assert!(out.contains("Example"), "{command:?}: {out}");
    }
}

#[test]
fn verify_reads_no_more_of_stdin_than_a_token_can_be() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["verify", "-", "--pool-id", "us-east-1_Example1"])
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Up to 64 MiB, for as long as the command reads.
    let writer = std::thread::spawn(move || {
        let block = vec![b'a'; 64 * 1024];
        let mut written = 0usize;
        while written < 64 * 1024 * 1024 && stdin.write_all(&block).is_ok() {
            written += block.len();
        }
        written
    });
    let output = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("longer than 16384 bytes"),
        "{}",
        stderr(&output)
    );
    assert!(written < 1024 * 1024, "{written} bytes were taken");
}
