//! `cognito`: a local Cognito server and the tools to use a user pool.

mod messages;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Amazon Cognito user pools from the command line, with a local server for offline work.
#[derive(Debug, Parser)]
#[command(name = "cognito", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success, 1 failure (the reason is printed on one line), 2 bad usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a local Cognito-compatible server (cognito-local).
    Serve(serve::ServeArgs),
    /// Show the emails and SMS a local server would have sent (codes, temporary passwords).
    Messages(messages::MessagesArgs),
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Messages(args) => messages::run(args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
