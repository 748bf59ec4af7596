//! The HTTP side of user import jobs: `PUT /_local/imports/{pool}/{job}?token=...`,
//! where a job's pre-signed URL points (the upload of its CSV, with the
//! `x-amz-server-side-encryption: aws:kms` header the real URL is signed with);
//! `GET /_local/imports/{pool}/{job}/log`, the job's CloudWatch log; and the background
//! worker that imports started jobs a chunk of rows at a time.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::domain::imports::{self, UploadRefusal};
use crate::listen::blocking;
use crate::ops::Service;
use crate::protocol;

/// How long the worker rests when no job is waiting.
const IDLE: Duration = Duration::from_millis(100);

/// The upload URL's query (no `Debug`: it holds the upload token).
#[derive(serde::Deserialize)]
pub(crate) struct UploadQuery {
    token: String,
}

/// An S3-style refusal.
fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    (status, [("content-type", "application/xml")], body).into_response()
}

/// `PUT /_local/imports/{pool}/{job}?token=...`: the job's CSV file.
pub(crate) async fn upload(
    State(state): State<Arc<Service>>,
    Path((pool_id, job_id)): Path<(String, String)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // The real URL is signed with this header: S3 refuses a request without it.
    if headers
        .get("x-amz-server-side-encryption")
        .and_then(|v| v.to_str().ok())
        != Some("aws:kms")
    {
        return s3_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request must carry the header x-amz-server-side-encryption: aws:kms.",
        );
    }
    let Ok(csv) = std::str::from_utf8(&body).map(str::to_owned) else {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "The CSV file must be UTF-8.",
        );
    };
    let result = blocking(move || {
        state.local(|ctx| Ok(imports::upload(ctx, &pool_id, &job_id, &query.token, csv)))
    })
    .await;
    match result {
        Ok(Ok(())) => StatusCode::OK.into_response(),
        Ok(Err(UploadRefusal::Expired)) => {
            s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired")
        }
        Ok(Err(UploadRefusal::Denied)) => {
            s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Access Denied")
        }
        Err(e) => protocol::encode(Err(e)),
    }
}

/// `GET /_local/imports/{pool}/{job}/log`: the job's log, as CloudWatch would hold it.
pub(crate) async fn log(
    State(state): State<Arc<Service>>,
    Path((pool_id, job_id)): Path<(String, String)>,
) -> Response {
    let result = blocking(move || {
        state.local(|ctx| {
            let pool = crate::domain::pools::get(ctx, &pool_id)?;
            let job = imports::get(ctx, &pool, &job_id)?;
            imports::log(ctx, &pool, &job)
        })
    })
    .await;
    match result {
        Ok(log) => axum::Json(log).into_response(),
        Err(e) => protocol::encode(Err(e)),
    }
}

/// Imports the rows of started jobs, for as long as the server runs.
pub(crate) async fn work_forever(state: Arc<Service>) {
    loop {
        let service = state.clone();
        let busy = blocking(move || service.local(imports::step)).await;
        match busy {
            Ok(true) => tokio::task::yield_now().await,
            Ok(false) => tokio::time::sleep(IDLE).await,
            Err(e) => {
                tracing::warn!(error = %e, "importing users failed");
                tokio::time::sleep(IDLE).await;
            }
        }
    }
}
