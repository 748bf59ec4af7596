//! `cognito serve`: the local server in the foreground.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Args;
use cognito_local::{Server, Storage, Target};

/// Options of `cognito serve`; each can also be set by the environment variable shown.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  cognito serve                          # http://127.0.0.1:9229, data in ./.cognito-local
  cognito serve --port 0 --in-memory     # a free port, nothing kept
  AWS_ENDPOINT_URL=http://127.0.0.1:9229 aws cognito-idp list-user-pools --max-results 10
  cognito serve --lambda 'arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up=exec:python3 pre_sign_up.py'
  cognito serve --lambda arn:aws:lambda:us-east-1:123456789012:function:post-confirmation=http://127.0.0.1:3000/hook
  cognito serve --lambda-endpoint http://127.0.0.1:3001    # sam local start-lambda

Lambda triggers: a pool's LambdaConfig holds ARNs, as on AWS; --lambda ARN=TARGET says
where each goes. With http:// or https://, the event is POSTed as JSON and a 2xx
answer's body is the returned event (a non-2xx status or an X-Amz-Function-Error header
is the function's error, {\"errorMessage\": ...} as the body). With exec:COMMAND ARGS,
the command gets the event on stdin and prints the returned event on stdout (a
non-zero exit is an error: an errorMessage on stdout, else stderr's last line). With
lambda:URL, the AWS Lambda Invoke API at URL is called for the ARN's function (what
sam local start-lambda, LocalStack or moto serve); --lambda-endpoint sends every ARN
without a target there. A trigger whose ARN has no target fails with
UnexpectedLambdaException, as AWS does when it cannot invoke the function; each call
has 5 seconds. Custom sender triggers get their code in plaintext (there is no KMS).

Any AWS credentials are accepted unless --credentials or --credentials-file name
some: then the SigV4 signatures of admin operations are verified against them.
Emails and SMS are not sent: read them at
GET /_local/messages?pool_id=...&username=... or with `cognito messages`.")]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "COGNITO_LOCAL_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "COGNITO_LOCAL_PORT", default_value_t = 9229)]
    port: u16,
    /// Directory of the SQLite database.
    #[arg(
        long,
        env = "COGNITO_LOCAL_DATA_DIR",
        default_value = ".cognito-local",
        conflicts_with = "in_memory"
    )]
    data_dir: PathBuf,
    /// Keep everything in memory; nothing survives a restart.
    #[arg(long, env = "COGNITO_LOCAL_IN_MEMORY")]
    in_memory: bool,
    /// Region of unsigned requests (signed ones use their credential scope).
    #[arg(long, env = "COGNITO_LOCAL_REGION", default_value = "us-east-1")]
    region: String,
    /// Base of token issuers, `{base}/{pool_id}` (default: this server's URL).
    #[arg(long, env = "COGNITO_LOCAL_ISSUER_BASE")]
    issuer_base: Option<String>,
    /// An access key and its secret, `ACCESS_KEY:SECRET_KEY`, whose SigV4 signatures
    /// admin operations must carry (repeatable; comma-separated in the variable).
    #[arg(long, env = "COGNITO_LOCAL_CREDENTIALS", value_delimiter = ',')]
    credentials: Vec<KeyPair>,
    /// A file of `ACCESS_KEY:SECRET_KEY` lines (blank lines and `#` comments ignored),
    /// as --credentials.
    #[arg(long, env = "COGNITO_LOCAL_CREDENTIALS_FILE")]
    credentials_file: Option<PathBuf>,
    /// Where a Lambda trigger's events go, `ARN=TARGET`, TARGET being http(s)://URL,
    /// exec:COMMAND ARGS or lambda:URL (repeatable; `;`-separated in the variable).
    #[arg(
        long = "lambda",
        value_name = "ARN=TARGET",
        env = "COGNITO_LOCAL_LAMBDAS",
        value_delimiter = ';'
    )]
    lambdas: Vec<String>,
    /// A file of `ARN=TARGET` lines (blank lines and `#` comments ignored), as --lambda.
    #[arg(long, env = "COGNITO_LOCAL_LAMBDA_FILE")]
    lambda_file: Option<PathBuf>,
    /// The AWS Lambda Invoke API that triggers without a --lambda target are sent to.
    #[arg(long, env = "COGNITO_LOCAL_LAMBDA_ENDPOINT")]
    lambda_endpoint: Option<String>,
    /// A PEM file of certificate authorities to trust, besides the system's, when the
    /// server fetches from HTTPS peers (OIDC providers, client ID metadata documents).
    #[arg(long, env = "COGNITO_LOCAL_CA_CERT")]
    ca_cert: Option<PathBuf>,
}

/// An access key and its secret, from `ACCESS_KEY:SECRET_KEY`; the secret is never
/// shown (not in `Debug`, not in errors).
#[derive(Clone)]
struct KeyPair {
    access_key: String,
    secret_key: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:<redacted>", self.access_key)
    }
}

impl std::str::FromStr for KeyPair {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().split_once(':') {
            Some((key, secret)) if !key.is_empty() && !secret.is_empty() => Ok(Self {
                access_key: key.to_owned(),
                secret_key: secret.to_owned(),
            }),
            _ => Err("credentials must be ACCESS_KEY:SECRET_KEY".to_owned()),
        }
    }
}

/// The key pairs of `--credentials` and of `--credentials-file`.
fn key_pairs(args: &ServeArgs) -> Result<Vec<KeyPair>, String> {
    let mut pairs = args.credentials.clone();
    if let Some(path) = &args.credentials_file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let pair = line
                .parse()
                .map_err(|e| format!("{} line {}: {e}", path.display(), number + 1))?;
            pairs.push(pair);
        }
    }
    Ok(pairs)
}

/// The trigger targets of `--lambda` and of `--lambda-file`.
fn lambdas(args: &ServeArgs) -> Result<Vec<(String, Target)>, String> {
    let mut lines: Vec<(String, String)> = args
        .lambdas
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| ("--lambda".to_owned(), line.clone()))
        .collect();
    if let Some(path) = &args.lambda_file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                lines.push((
                    format!("{} line {}", path.display(), number + 1),
                    line.to_owned(),
                ));
            }
        }
    }
    lines
        .into_iter()
        .map(|(place, line)| Target::parse_mapping(&line).map_err(|e| format!("{place}: {e}")))
        .collect()
}

/// Waits for Ctrl-C or SIGTERM.
async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// Serves until stopped by a signal.
pub async fn run(args: ServeArgs) -> Result<(), String> {
    let pairs = key_pairs(&args)?;
    let targets = lambdas(&args)?;
    let storage = if args.in_memory {
        Storage::Memory
    } else {
        Storage::Dir(args.data_dir)
    };
    let mut builder = Server::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .storage(storage)
        .region(args.region);
    for pair in pairs {
        builder = builder.credentials(pair.access_key, pair.secret_key);
    }
    for (arn, target) in targets {
        builder = builder.lambda(arn, target);
    }
    if let Some(endpoint) = args.lambda_endpoint {
        builder = builder.lambda_endpoint(endpoint);
    }
    if let Some(base) = args.issuer_base {
        builder = builder.issuer_base(base);
    }
    if let Some(path) = &args.ca_cert {
        let pem =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        builder = builder.trust_certificates(pem);
    }
    let server = builder.start().await.map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "cognito-local listening on {}", server.url());
    let _ = stdout.flush();
    stop_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}
