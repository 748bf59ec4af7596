//! User import jobs through the AWS SDK for Rust: a CSV uploaded to the job's
//! pre-signed URL (which points at this server), imported in the background by AWS's
//! rules, its results counted and logged, stopped between rows, expired on time.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider as cip;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, UserImportJobStatusType as Status};
use cognito_local::{ManualClock, Server};
use common::{app_client, confirmed_user, error_of, params, pool_with, sdk, signed_call, start};

const ROLE: &str = "arn:aws:iam::123456789012:role/CognitoImport";

async fn create_job(sdk: &cip::Client, pool_id: &str, name: &str) -> cip::types::UserImportJobType {
    sdk.create_user_import_job()
        .user_pool_id(pool_id)
        .job_name(name)
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .unwrap()
        .user_import_job()
        .unwrap()
        .clone()
}

/// The upload `curl -T FILE -H "x-amz-server-side-encryption:aws:kms" URL` makes.
async fn upload(url: &str, csv: String, with_header: bool) -> u16 {
    let mut request = reqwest::Client::new().put(url).body(csv);
    if with_header {
        request = request.header("x-amz-server-side-encryption", "aws:kms");
    }
    request.send().await.unwrap().status().as_u16()
}

async fn wait_for(
    sdk: &cip::Client,
    pool_id: &str,
    job_id: &str,
    done: &[Status],
) -> cip::types::UserImportJobType {
    for _ in 0..400 {
        let job = sdk
            .describe_user_import_job()
            .user_pool_id(pool_id)
            .job_id(job_id)
            .send()
            .await
            .unwrap()
            .user_import_job()
            .unwrap()
            .clone();
        if done.contains(job.status().unwrap()) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("import job {job_id} did not finish");
}

/// A CSV of the pool's header (in reverse order, as any order is fine) and the rows.
async fn csv(sdk: &cip::Client, pool_id: &str, rows: &[Vec<(&str, &str)>]) -> String {
    let mut header = sdk
        .get_csv_header()
        .user_pool_id(pool_id)
        .send()
        .await
        .unwrap()
        .csv_header()
        .to_vec();
    header.reverse();
    let mut out = header.join(",") + "\n";
    for row in rows {
        let line: Vec<&str> = header
            .iter()
            .map(|column| {
                row.iter()
                    .find(|(c, _)| c == column)
                    .map_or("", |(_, v)| *v)
            })
            .collect();
        out += &(line.join(",") + "\n");
    }
    out
}

#[tokio::test]
async fn a_csv_is_uploaded_imported_counted_and_logged() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = app_client(sdk, &pool_id).await;
    confirmed_user(sdk, &pool_id, "existing", "Passw0rd-Ex1").await;

    let job = sdk
        .create_user_import_job()
        .user_pool_id(&pool_id)
        .job_name("first")
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .unwrap()
        .user_import_job()
        .unwrap()
        .clone();
    let job_id = job.job_id().unwrap().to_owned();
    assert_eq!(job.status(), Some(&Status::Created));
    let url = job.pre_signed_url().unwrap().to_owned();
    assert!(url.starts_with(&local.server.url()), "{url}");

    let (code, message) = error_of(
        sdk.start_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(&job_id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "PreconditionNotMetException");
    assert!(message.contains("No csv file was uploaded"), "{message}");

    let rows = vec![
        vec![
            ("cognito:username", "ann"),
            ("email", "ann@example.com"),
            ("email_verified", "true"),
            ("name", "Ann\\, the first"),
        ],
        vec![
            ("cognito:username", "existing"),
            ("email", "e@example.com"),
            ("email_verified", "true"),
        ],
        vec![
            ("cognito:username", "bob"),
            ("email", "bob@example.com"),
            ("email_verified", "false"),
        ],
        vec![("cognito:username", "cy"), ("email_verified", "true")],
        vec![
            ("cognito:username", "dee"),
            ("email", "dee@example.com"),
            ("email_verified", "TRUE"),
            ("cognito:mfa_enabled", "false"),
        ],
    ];
    let file = csv(sdk, &pool_id, &rows).await;
    assert_eq!(upload(&url, file.clone(), false).await, 403);
    assert_eq!(
        upload(&url.replace("token=", "token=x"), file.clone(), true).await,
        403
    );
    assert_eq!(upload(&url, file, true).await, 200);

    let started = sdk
        .start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(&job_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        started.user_import_job().unwrap().status(),
        Some(&Status::Pending)
    );
    let done = wait_for(sdk, &pool_id, &job_id, &[Status::Succeeded, Status::Failed]).await;
    assert_eq!(
        done.status(),
        Some(&Status::Succeeded),
        "{:?}",
        done.completion_message()
    );
    assert_eq!(
        (
            done.imported_users(),
            done.skipped_users(),
            done.failed_users()
        ),
        (2, 1, 2)
    );
    assert!(done.start_date().is_some() && done.completion_date().is_some());

    // Imported users must reset their password; the escaped comma is kept.
    let ann = sdk
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(
        ann.user_status().map(|s| s.as_str()),
        Some("RESET_REQUIRED")
    );
    let name = ann
        .user_attributes()
        .iter()
        .find(|a| a.name() == "name")
        .unwrap();
    assert_eq!(name.value(), Some("Ann, the first"));
    let (code, _) = error_of(
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(params(&[
                ("USERNAME", "ann"),
                ("PASSWORD", "anything-1A"),
            ])))
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "PasswordResetRequiredException");

    // The log names lines, never user data.
    let log = reqwest::get(format!(
        "{}/_local/imports/{pool_id}/{job_id}/log",
        local.server.url()
    ))
    .await
    .unwrap()
    .bytes()
    .await
    .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log).unwrap();
    let lines: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines[0],
        "[SUCCEEDED] Line Number 2 - The import succeeded."
    );
    assert_eq!(
        lines[1],
        "[SKIPPED] Line Number 3 - The user already exists."
    );
    assert!(lines[2].starts_with("[FAILED] Line Number 4 - The User Record does not set any of the auto verified attributes to true."));
    assert!(lines[3].starts_with("[FAILED] Line Number 5 - "));
    assert_eq!(lines.len(), 5);
    assert!(!log.to_string().contains("example.com"));
    assert_eq!(log["logStreamName"], format!("{job_id}/first"));

    // A finished job cannot start again; jobs list newest first.
    let (code, _) = error_of(
        sdk.start_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(&job_id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "PreconditionNotMetException");
    let second = create_job(sdk, &pool_id, "second").await;
    let listed = sdk
        .list_user_import_jobs()
        .user_pool_id(&pool_id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.user_import_jobs()[0].job_id(), second.job_id());
    let rest = sdk
        .list_user_import_jobs()
        .user_pool_id(&pool_id)
        .max_results(60)
        .pagination_token(listed.pagination_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.user_import_jobs()[0].job_id(), Some(job_id.as_str()));
}

#[tokio::test]
async fn a_running_job_stops_between_rows_and_only_one_runs_at_a_time() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let names: Vec<String> = (0..3000).map(|i| format!("user{i:05}")).collect();
    let emails: Vec<String> = names.iter().map(|n| format!("{n}@example.com")).collect();
    let rows: Vec<Vec<(&str, &str)>> = names
        .iter()
        .zip(&emails)
        .map(|(n, e)| {
            vec![
                ("cognito:username", n.as_str()),
                ("email", e.as_str()),
                ("email_verified", "true"),
            ]
        })
        .collect();
    let file = csv(sdk, &pool_id, &rows).await;
    let big = create_job(sdk, &pool_id, "big").await;
    let small = create_job(sdk, &pool_id, "small").await;
    for job in [&big, &small] {
        assert_eq!(
            upload(job.pre_signed_url().unwrap(), file.clone(), true).await,
            200
        );
    }
    let big_id = big.job_id().unwrap();
    sdk.start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(big_id)
        .send()
        .await
        .unwrap();
    let (code, _) = error_of(
        sdk.start_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(small.job_id().unwrap())
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "LimitExceededException");
    let stopping = sdk
        .stop_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(big_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        stopping.user_import_job().unwrap().status(),
        Some(&Status::Stopping)
    );
    let stopped = wait_for(sdk, &pool_id, big_id, &[Status::Stopped]).await;
    assert_eq!(
        stopped.completion_message(),
        Some("The Import Job was stopped by the developer.")
    );
    assert!(
        stopped.imported_users() < 3000,
        "{}",
        stopped.imported_users()
    );
    let (code, _) = error_of(
        sdk.start_user_import_job()
            .user_pool_id(&pool_id)
            .job_id(big_id)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "PreconditionNotMetException");
    // Now the other may run.
    sdk.start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(small.job_id().unwrap())
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn upload_urls_and_unstarted_jobs_expire() {
    let clock = ManualClock::at(UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let server = Server::builder()
        .in_memory()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let sdk = sdk(&server.url(), "us-east-1");
    let pool_id = pool_with(&sdk, |b| b).await;
    let job = create_job(&sdk, &pool_id, "late").await;
    let file = csv(&sdk, &pool_id, &[]).await;
    // Files far over the API's 1 MB request limit are taken (up to the guide's 100 MB).
    let large = create_job(&sdk, &pool_id, "large").await;
    let padding = format!("{file}{}\n", "x".repeat(3 << 20));
    assert_eq!(
        upload(large.pre_signed_url().unwrap(), padding, true).await,
        200
    );
    clock.advance(Duration::from_secs(16 * 60));
    assert_eq!(upload(job.pre_signed_url().unwrap(), file, true).await, 403);
    clock.advance(Duration::from_secs(24 * 3600));
    let described = sdk
        .describe_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(job.job_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_import_job().unwrap().status(),
        Some(&Status::Expired)
    );
}

#[tokio::test]
async fn password_hashes_are_imported_and_become_the_users_password() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    let client_id = app_client(sdk, &pool_id).await;
    // The pinned SDK predates PasswordHashingAlgorithm: plain HTTP.
    let (status, created) = signed_call(
        &reqwest::Client::new(),
        &local.server.url(),
        "CreateUserImportJob",
        &serde_json::json!({"UserPoolId": pool_id, "JobName": "hashes",
            "CloudWatchLogsRoleArn": ROLE, "PasswordHashingAlgorithm": "BCRYPT"}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let job = &created["UserImportJob"];
    assert_eq!(job["PasswordHashingAlgorithm"], "BCRYPT");
    let job_id = job["JobId"].as_str().unwrap().to_owned();

    // The header of GetCSVHeader and the hash column; each row's hash goes last.
    let hash = bcrypt::hash("Passw0rd-Imported1", 4).unwrap();
    let too_costly = format!("$2b$13${}", "a".repeat(53));
    let users = [
        ("ann", hash.as_str()),
        ("bob", ""),
        ("cy", "not-a-hash"),
        ("dee", &too_costly),
    ];
    let emails: Vec<String> = users
        .iter()
        .map(|(n, _)| format!("{n}@example.com"))
        .collect();
    let rows: Vec<Vec<(&str, &str)>> = users
        .iter()
        .zip(&emails)
        .map(|((name, _), email)| {
            vec![
                ("cognito:username", *name),
                ("email", email.as_str()),
                ("email_verified", "true"),
            ]
        })
        .collect();
    let plain = csv(sdk, &pool_id, &rows).await;
    let mut lines = plain.lines();
    let mut file = format!("{},password_hash\n", lines.next().unwrap());
    for (line, (_, hash)) in lines.zip(users) {
        file += &format!("{line},{hash}\n");
    }
    assert_eq!(
        upload(job["PreSignedUrl"].as_str().unwrap(), file, true).await,
        200
    );
    sdk.start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(&job_id)
        .send()
        .await
        .unwrap();
    let done = wait_for(sdk, &pool_id, &job_id, &[Status::Succeeded, Status::Failed]).await;
    assert_eq!(
        done.status(),
        Some(&Status::Succeeded),
        "{:?}",
        done.completion_message()
    );
    assert_eq!((done.imported_users(), done.failed_users()), (2, 2));

    for (name, expected) in [("ann", "CONFIRMED"), ("bob", "RESET_REQUIRED")] {
        let user = sdk
            .admin_get_user()
            .user_pool_id(&pool_id)
            .username(name)
            .send()
            .await
            .unwrap();
        assert_eq!(user.user_status().map(|s| s.as_str()), Some(expected));
    }
    let sign_in = |password: &'static str| {
        sdk.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .set_auth_parameters(Some(params(&[("USERNAME", "ann"), ("PASSWORD", password)])))
            .send()
    };
    let (code, _) = error_of(sign_in("Passw0rd-Wrong1").await.unwrap_err());
    assert_eq!(code, "NotAuthorizedException");
    sign_in("Passw0rd-Imported1").await.unwrap();
    // Now an SRP verifier: the same password again, without the imported hash.
    sign_in("Passw0rd-Imported1").await.unwrap();
}
