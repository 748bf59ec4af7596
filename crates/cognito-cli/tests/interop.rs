//! Runs the Python interop suite (boto3, pycognito) against a `cognito serve` process that
//! verifies SigV4 signatures (`--credentials AKIDLOCAL:local-secret`).
//!
//! `.ci/run` installs the interpreter's packages into `.venv` (see `interop/requirements.txt`).
//! Without that venv the test is skipped locally, and fails under CI.

mod common;

use std::process::Command;

use common::{Serve, repo_root};

#[test]
fn python_clients_work_against_cognito_serve() {
    let root = repo_root();
    let python = root.join(".venv/bin/python");
    if !python.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the interop venv at {}",
            python.display()
        );
        eprintln!(
            "skipped: no {} (run `bash .ci/run` once to create it)",
            python.display()
        );
        return;
    }
    // Signatures verified: every admin call of boto3 and pycognito is checked for real.
    // The README's passwordless example's triggers, for interop/test_passwordless.py.
    let server = Serve::start(&[
        "--in-memory",
        "--credentials",
        "AKIDLOCAL:local-secret",
        "--lambda-file",
        "examples/passwordless/lambdas.txt",
    ]);
    let status = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "interop"])
        .current_dir(&root)
        .env("COGNITO_LOCAL_URL", &server.url)
        .status()
        .expect("pytest runs");
    assert!(status.success(), "the Python interop suite failed");
}
