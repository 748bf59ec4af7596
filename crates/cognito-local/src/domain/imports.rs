//! User import jobs, by the developer guide ("Importing users into a user pool"):
//! created with a pre-signed URL "valid for 15 minutes" that takes the CSV (a PUT with
//! `x-amz-server-side-encryption: aws:kms`, here to this server itself); started, they
//! go Pending, then InProgress while a background worker imports the rows a chunk at a
//! time (`import_rows`), then Succeeded (or Failed when the file cannot be read).
//! Stopped, a running job goes Stopping and then, between two rows, Stopped ("After
//! you stop the job, it cannot be restarted"). A job not started within 24 hours is
//! Expired and its file deleted. "Only one import job can be active at a time." Every
//! row leaves a CloudWatch-style log line.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::import_rows::{self, Outcome};
use super::records::PoolRecord;
use super::state::{HashAlgorithm, ImportStatus};
use super::{Ctx, opaque, pools};
use crate::clock::UnixTime;
use crate::error::{CognitoError, ErrorKind, OpResult};
use crate::store::Record;

/// The scope of records that belong to no pool.
const GLOBAL: &str = "";
/// How long the upload URL works.
pub const UPLOAD_SECS: i64 = 15 * 60;
/// A job not started within this long expires (the guide says 24 to 48 hours).
pub const EXPIRY_SECS: i64 = 24 * 3600;
/// Rows imported in one transaction: a stop takes effect between two chunks.
pub const CHUNK_ROWS: usize = 200;
/// The largest file the upload URL takes (the guide's 100 MB).
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// A job. Its `Debug` hides the upload URL, which holds the upload token.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ImportJobRecord {
    /// `import-` and ten alphanumerics.
    pub id: String,
    pub name: String,
    pub pool_id: String,
    pub role_arn: String,
    pub hashing: Option<String>,
    pub status: ImportStatus,
    pub created: UnixTime,
    pub started: Option<UnixTime>,
    pub completed: Option<UnixTime>,
    pub imported: u64,
    pub skipped: u64,
    pub failed: u64,
    pub message: Option<String>,
    /// The pre-signed URL, as CreateUserImportJob gave it.
    pub url: String,
    /// SHA-256 of the upload token in the URL, hex.
    pub upload_hash: String,
    /// The next chunk of the file to import, and the line number of the last row read.
    pub offset: usize,
    pub line: usize,
}

impl Record for ImportJobRecord {
    const KIND: &'static str = "import_job";
}

/// An uploaded file: its header line; its rows are kept in [`CHUNK_ROWS`]-row
/// chunks ([`ImportChunkRecord`]), so that each step of the worker reads one.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ImportFileRecord {
    pub header: String,
    pub rows: usize,
    pub chunks: usize,
}

impl std::fmt::Debug for ImportFileRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // User data: its size only.
        write!(f, "ImportFileRecord({} rows)", self.rows)
    }
}

impl Record for ImportFileRecord {
    const KIND: &'static str = "import_file";
}

/// Rows of an uploaded file (user data: no `Debug`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ImportChunkRecord {
    pub lines: Vec<String>,
}

impl Record for ImportChunkRecord {
    const KIND: &'static str = "import_chunk";
}

fn chunk_key(job_id: &str, chunk: usize) -> String {
    format!("{job_id}\u{1f}{chunk:08}")
}

/// Deletes a job's file and its chunks.
fn delete_file(ctx: &Ctx<'_>, pool_id: &str, job_id: &str) -> OpResult<()> {
    if let Some(file) = ctx.tx().get::<ImportFileRecord>(pool_id, job_id)? {
        for chunk in 0..file.chunks {
            ctx.tx()
                .delete::<ImportChunkRecord>(pool_id, &chunk_key(job_id, chunk))?;
        }
        ctx.tx().delete::<ImportFileRecord>(pool_id, job_id)?;
    }
    Ok(())
}

/// Lines of a job's log, one record a chunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ImportLogRecord {
    pub lines: Vec<(UnixTime, String)>,
}

impl Record for ImportLogRecord {
    const KIND: &'static str = "import_log";
}

/// A job waiting for the worker (Pending, InProgress or Stopping), in the global scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ActiveImportRecord {
    pub pool_id: String,
    pub job_id: String,
}

impl Record for ActiveImportRecord {
    const KIND: &'static str = "active_import";
}

fn active_key(pool_id: &str, job_id: &str) -> String {
    format!("{pool_id}\u{1f}{job_id}")
}

/// CreateUserImportJob: a job, and the URL that takes its file.
pub fn create(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    name: &str,
    role_arn: &str,
    hashing: Option<String>,
    base_url: &str,
) -> OpResult<ImportJobRecord> {
    // "You can't create or start user import jobs" during a recovery.
    super::recovery::check_writable(ctx, pool)?;
    let id = format!("import-{}", super::random_string(super::ALPHANUMERIC, 10));
    let token = opaque(32).replace(['+', '/', '='], "");
    let url = format!(
        "{}/_local/imports/{}/{id}?token={token}&expires={}",
        base_url.trim_end_matches('/'),
        pool.id,
        ctx.now.plus_secs(UPLOAD_SECS).secs()
    );
    let job = ImportJobRecord {
        id,
        name: name.to_owned(),
        pool_id: pool.id.clone(),
        role_arn: role_arn.to_owned(),
        hashing,
        status: ImportStatus::Created,
        created: ctx.now,
        started: None,
        completed: None,
        imported: 0,
        skipped: 0,
        failed: 0,
        message: None,
        url,
        upload_hash: crate::tokens::refresh_hash(&token),
        offset: 0,
        line: 1,
    };
    save(ctx, &job)?;
    Ok(job)
}

fn save(ctx: &Ctx<'_>, job: &ImportJobRecord) -> OpResult<()> {
    Ok(ctx.tx().put(&job.pool_id, &job.id, job)?)
}

/// A job of the pool, expired first if its time has come.
pub fn get(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<ImportJobRecord> {
    let mut job = ctx
        .tx()
        .get::<ImportJobRecord>(&pool.id, id)?
        .ok_or_else(|| CognitoError::not_found(format!("Import job {id} does not exist.")))?;
    expire(ctx, &mut job)?;
    Ok(job)
}

fn expire(ctx: &Ctx<'_>, job: &mut ImportJobRecord) -> OpResult<()> {
    if job.status == ImportStatus::Created && ctx.now.secs() > job.created.secs() + EXPIRY_SECS {
        job.status = ImportStatus::Expired;
        delete_file(ctx, &job.pool_id.clone(), &job.id.clone())?;
        save(ctx, job)?;
    }
    Ok(())
}

/// The pool's jobs, "from last created to first created".
pub fn list(ctx: &Ctx<'_>, pool: &PoolRecord) -> OpResult<Vec<ImportJobRecord>> {
    let mut jobs = Vec::new();
    for (_, mut job) in ctx
        .tx()
        .list::<ImportJobRecord>(&pool.id, None, usize::MAX)?
    {
        expire(ctx, &mut job)?;
        jobs.push(job);
    }
    jobs.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.id.cmp(&a.id)));
    Ok(jobs)
}

/// The PUT of the pre-signed URL: the token must be the job's, the URL unexpired, the
/// job not started. (The wire answers of S3 are the server's business.)
pub fn upload(
    ctx: &Ctx<'_>,
    pool_id: &str,
    job_id: &str,
    token: &str,
    csv: String,
) -> Result<(), UploadRefusal> {
    let job = ctx
        .tx()
        .get::<ImportJobRecord>(pool_id, job_id)
        .ok()
        .flatten()
        .ok_or(UploadRefusal::Denied)?;
    let given = crate::tokens::refresh_hash(token);
    if aws_lc_rs::constant_time::verify_slices_are_equal(
        given.as_bytes(),
        job.upload_hash.as_bytes(),
    )
    .is_err()
    {
        return Err(UploadRefusal::Denied);
    }
    if ctx.now.secs() > job.created.secs() + UPLOAD_SECS {
        return Err(UploadRefusal::Expired);
    }
    if job.status != ImportStatus::Created {
        return Err(UploadRefusal::Denied);
    }
    store_file(ctx, pool_id, job_id, &csv).map_err(|_| UploadRefusal::Denied)
}

/// Keeps an uploaded file as its header and chunks of rows (a new upload replaces it).
fn store_file(ctx: &Ctx<'_>, pool_id: &str, job_id: &str, csv: &str) -> OpResult<()> {
    delete_file(ctx, pool_id, job_id)?;
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    let mut lines = csv.split('\n').map(|l| l.trim_end_matches('\r'));
    let header = lines.next().unwrap_or_default().to_owned();
    let rows: Vec<String> = lines.map(str::to_owned).collect();
    // A trailing newline ends the last row; it starts none.
    let rows = match rows.split_last() {
        Some((last, rest)) if last.is_empty() => rest.to_vec(),
        _ => rows,
    };
    // A file over the row limit fails as a whole when started: its rows are not kept.
    let kept: &[String] = if rows.len() > import_rows::MAX_ROWS {
        &[]
    } else {
        &rows
    };
    let chunks = kept.chunks(CHUNK_ROWS).count();
    for (n, chunk) in kept.chunks(CHUNK_ROWS).enumerate() {
        let record = ImportChunkRecord {
            lines: chunk.to_vec(),
        };
        ctx.tx().put(pool_id, &chunk_key(job_id, n), &record)?;
    }
    let file = ImportFileRecord {
        header,
        rows: rows.len(),
        chunks,
    };
    Ok(ctx.tx().put(pool_id, job_id, &file)?)
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    /// A wrong token, an unknown job, or one already started.
    Denied,
    /// The URL's 15 minutes are over.
    Expired,
}

fn precondition(message: String) -> CognitoError {
    CognitoError::new(ErrorKind::PreconditionNotMetException, message)
}

/// StartUserImportJob.
pub fn start(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<ImportJobRecord> {
    super::recovery::check_writable(ctx, pool)?;
    let mut job = get(ctx, pool, id)?;
    if job.status != ImportStatus::Created {
        return Err(precondition(format!(
            "Import job {id} is {} and cannot be started.",
            job.status
        )));
    }
    if ctx.tx().get::<ImportFileRecord>(&pool.id, id)?.is_none() {
        return Err(precondition(format!("No csv file was uploaded for {id}.")));
    }
    if !ctx
        .tx()
        .list::<ActiveImportRecord>(GLOBAL, None, 1)?
        .is_empty()
    {
        return Err(CognitoError::new(
            ErrorKind::LimitExceededException,
            "Only one import job can be active at a time.",
        ));
    }
    job.status = ImportStatus::Pending;
    job.started = Some(ctx.now);
    save(ctx, &job)?;
    let active = ActiveImportRecord {
        pool_id: pool.id.clone(),
        job_id: job.id.clone(),
    };
    ctx.tx()
        .put(GLOBAL, &active_key(&pool.id, &job.id), &active)?;
    Ok(job)
}

/// StopUserImportJob: a running job stops between two rows.
pub fn stop(ctx: &Ctx<'_>, pool: &PoolRecord, id: &str) -> OpResult<ImportJobRecord> {
    let mut job = get(ctx, pool, id)?;
    if !matches!(job.status, ImportStatus::Pending | ImportStatus::InProgress) {
        return Err(precondition(format!(
            "Import job {id} is {} and cannot be stopped.",
            job.status
        )));
    }
    job.status = ImportStatus::Stopping;
    save(ctx, &job)?;
    Ok(job)
}

/// One step of the worker: a chunk of the first active job's rows, in this transaction.
/// `false` when no job is waiting.
pub fn step(ctx: &Ctx<'_>) -> OpResult<bool> {
    let Some((key, active)) = ctx.tx().list::<ActiveImportRecord>(GLOBAL, None, 1)?.pop() else {
        return Ok(false);
    };
    let finished = |ctx: &Ctx<'_>| ctx.tx().delete::<ActiveImportRecord>(GLOBAL, &key);
    let pool = pools::find(ctx, &active.pool_id)?;
    let job = match &pool {
        Some(pool) => ctx.tx().get::<ImportJobRecord>(&pool.id, &active.job_id)?,
        None => None,
    };
    let (Some(pool), Some(mut job)) = (pool, job) else {
        // The pool (and its jobs) were deleted.
        finished(ctx)?;
        return Ok(true);
    };
    let file = ctx.tx().get::<ImportFileRecord>(&pool.id, &job.id)?;
    let mut log = Vec::new();
    match (job.status, file) {
        (ImportStatus::Pending | ImportStatus::InProgress, Some(file)) => {
            job.status = ImportStatus::InProgress;
            import_chunk(ctx, &pool, &mut job, &file, &mut log)?;
        }
        (ImportStatus::Stopping, _) => {
            end(
                &mut job,
                ctx.now,
                ImportStatus::Stopped,
                "The Import Job was stopped by the developer.",
            );
        }
        (ImportStatus::Pending | ImportStatus::InProgress, None) => {
            end(
                &mut job,
                ctx.now,
                ImportStatus::Failed,
                "The CSV file could not be found.",
            );
        }
        // Ended already: nothing left to do.
        _ => {}
    }
    if job.completed.is_none()
        && !matches!(
            job.status,
            ImportStatus::Pending | ImportStatus::InProgress | ImportStatus::Stopping
        )
    {
        job.completed = Some(ctx.now);
    }
    if job.completed.is_some() {
        finished(ctx)?;
        delete_file(ctx, &pool.id, &job.id)?;
    }
    if !log.is_empty() {
        let key = format!("{}\u{1f}{:010}", job.id, job.line);
        ctx.tx()
            .put(&pool.id, &key, &ImportLogRecord { lines: log })?;
    }
    save(ctx, &job)?;
    Ok(true)
}

fn end(job: &mut ImportJobRecord, now: UnixTime, status: ImportStatus, message: &str) {
    job.status = status;
    job.completed = Some(now);
    job.message = Some(message.to_owned());
}

/// Imports the next chunk of rows ([`CHUNK_ROWS`]).
fn import_chunk(
    ctx: &Ctx<'_>,
    pool: &PoolRecord,
    job: &mut ImportJobRecord,
    file: &ImportFileRecord,
    log: &mut Vec<(UnixTime, String)>,
) -> OpResult<()> {
    let header = import_rows::fields(&file.header);
    let hashing = job.hashing.as_deref().and_then(HashAlgorithm::parse);
    if job.offset == 0 {
        // The file as a whole, once: its header, its size, the pool's rules.
        let problem = import_rows::check_header(pool, &header, hashing)
            .err()
            .or_else(|| {
                if file.rows > import_rows::MAX_ROWS {
                    Some("The CSV file has more than 500000 rows.".to_owned())
                } else if pool.auto_verified_attributes.is_empty() {
                    Some("The user pool has no auto-verified attributes.".to_owned())
                } else {
                    None
                }
            });
        if let Some(problem) = problem {
            end(job, ctx.now, ImportStatus::Failed, &problem);
            return Ok(());
        }
    }
    let chunk = ctx
        .tx()
        .get::<ImportChunkRecord>(&pool.id, &chunk_key(&job.id, job.offset))?;
    for line in chunk.map(|c| c.lines).unwrap_or_default() {
        job.line += 1;
        if line.trim().is_empty() {
            continue;
        }
        let outcome = import_rows::import(ctx, pool, &header, &line, hashing)?;
        match outcome {
            Outcome::Imported => job.imported += 1,
            Outcome::Skipped => job.skipped += 1,
            Outcome::Failed(_) => job.failed += 1,
        }
        log.push((ctx.now, outcome.log_line(job.line)));
    }
    job.offset += 1;
    if job.offset >= file.chunks {
        end(
            job,
            ctx.now,
            ImportStatus::Succeeded,
            "Import Job Completed Successfully.",
        );
    }
    Ok(())
}

/// A job's log as CloudWatch would hold it: group, stream and events, oldest first.
pub fn log(ctx: &Ctx<'_>, pool: &PoolRecord, job: &ImportJobRecord) -> OpResult<Value> {
    let prefix = format!("{}\u{1f}", job.id);
    let mut events = Vec::new();
    let mut after = prefix.clone();
    loop {
        let page = ctx
            .tx()
            .list::<ImportLogRecord>(&pool.id, Some(&after), 100)?;
        let Some((last, _)) = page.last() else { break };
        after = last.clone();
        let mut done = false;
        for (key, record) in page {
            if !key.starts_with(&prefix) {
                done = true;
                break;
            }
            for (time, message) in record.lines {
                events.push(json!({ "timestamp": time.millis(), "message": message }));
            }
        }
        if done {
            break;
        }
    }
    Ok(json!({
        "logGroupName": format!("/aws/cognito/userpools/{}/{}", pool.id, pool.name),
        "logStreamName": format!("{}/{}", job.id, job.name),
        "events": events,
    }))
}
