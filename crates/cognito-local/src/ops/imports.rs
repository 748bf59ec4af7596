//! CreateUserImportJob, DescribeUserImportJob, ListUserImportJobs, StartUserImportJob,
//! StopUserImportJob (`domain::imports`; the rows are imported by the server's
//! background worker).

use serde::Deserialize;
use serde_json::{Value, json};

use super::listing::{newest_first, page};
use crate::domain::imports::{self, ImportJobRecord};
use crate::domain::{Ctx, pools};
use crate::error::OpResult;
use crate::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateRequest {
    job_name: String,
    user_pool_id: String,
    cloud_watch_logs_role_arn: String,
    password_hashing_algorithm: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobRequest {
    user_pool_id: String,
    job_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRequest {
    user_pool_id: String,
    max_results: i64,
    pagination_token: Option<String>,
}

/// A `UserImportJobType`.
fn job_type(job: &ImportJobRecord) -> Value {
    let mut out = json!({
        "JobName": job.name,
        "JobId": job.id,
        "UserPoolId": job.pool_id,
        "PreSignedUrl": job.url,
        "CreationDate": job.created,
        "Status": job.status,
        "CloudWatchLogsRoleArn": job.role_arn,
        "ImportedUsers": job.imported,
        "SkippedUsers": job.skipped,
        "FailedUsers": job.failed,
    });
    for (name, value) in [
        ("StartDate", job.started),
        ("CompletionDate", job.completed),
    ] {
        if let Some(value) = value {
            out[name] = json!(value);
        }
    }
    if let Some(message) = &job.message {
        out["CompletionMessage"] = json!(message);
    }
    if let Some(hashing) = &job.hashing {
        out["PasswordHashingAlgorithm"] = json!(hashing);
    }
    out
}

/// The pre-signed URL points at this server as the caller reached it.
pub fn create_user_import_job(ctx: &Ctx<'_>, req: CreateRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let base = match &ctx.caller.host {
        Some(host) => format!("http://{host}"),
        None => ctx.issuer_base.to_owned(),
    };
    let job = imports::create(
        ctx,
        &pool,
        &req.job_name,
        &req.cloud_watch_logs_role_arn,
        req.password_hashing_algorithm,
        &base,
    )?;
    Ok(json!({ "UserImportJob": job_type(&job) }))
}

pub fn describe_user_import_job(ctx: &Ctx<'_>, req: JobRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    Ok(json!({ "UserImportJob": job_type(&imports::get(ctx, &pool, &req.job_id)?) }))
}

/// Newest first, in pages of MaxResults (1 to 60).
pub fn list_user_import_jobs(ctx: &Ctx<'_>, req: ListRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    let keyed = imports::list(ctx, &pool)?
        .into_iter()
        .map(|job| (newest_first(job.created, &job.id), job))
        .collect();
    let (jobs, next) = page(
        keyed,
        req.pagination_token.as_deref(),
        validate::page_size(Some(req.max_results)),
    );
    let jobs: Vec<Value> = jobs.iter().map(job_type).collect();
    let mut out = json!({ "UserImportJobs": jobs });
    if let Some(next) = next {
        out["PaginationToken"] = json!(next);
    }
    Ok(out)
}

pub fn start_user_import_job(ctx: &Ctx<'_>, req: JobRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    Ok(json!({ "UserImportJob": job_type(&imports::start(ctx, &pool, &req.job_id)?) }))
}

pub fn stop_user_import_job(ctx: &Ctx<'_>, req: JobRequest) -> OpResult<Value> {
    let pool = pools::get(ctx, &req.user_pool_id)?;
    Ok(json!({ "UserImportJob": job_type(&imports::stop(ctx, &pool, &req.job_id)?) }))
}
