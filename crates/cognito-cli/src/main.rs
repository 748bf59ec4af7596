//! `cognito`: a local Cognito server and the tools to use a user pool.

mod admin;
mod config;
mod demo;
mod messages;
mod oauth;
mod prompt;
mod serve;
mod session;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Amazon Cognito user pools from the command line, with a local server for offline work.
#[derive(Debug, Parser)]
#[command(name = "cognito", version, about, long_about = None)]
#[command(after_help = "Examples:
  cognito demo                                   # the whole story, offline, in a few seconds
  cognito serve                                  # a local Cognito on http://127.0.0.1:9229
  cognito pool create dev --mfa optional         # then: cognito user create ..., cognito login ...
  cognito login --pool-id ID --client-id ID --username ada --endpoint http://127.0.0.1:9229
  cognito login --browser --pool-id ID --client-id ID --endpoint http://127.0.0.1:9229
  cognito token --client-credentials --endpoint URL --pool-id ID --client-id ID --client-secret S
  cognito verify \"$COGNITO_ID_TOKEN\" --pool-id ID --endpoint http://127.0.0.1:9229

Exit codes: 0 success, 1 failure (the reason is printed on one line), 2 bad usage.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a local Cognito-compatible server (cognito-local).
    Serve(serve::ServeArgs),
    /// Run the whole story offline: local server, sign-up, SRP login, MFA, devices, API call, refresh, sign-out.
    Demo(demo::DemoArgs),
    /// Log in (SRP), answer challenges, save the tokens in a profile and print them.
    Login(session::LoginArgs),
    /// Print a machine-to-machine access token (the client_credentials grant).
    Token(oauth::TokenArgs),
    /// Renew the profile's tokens with its refresh token.
    Refresh(session::SessionArgs),
    /// Show the profile's user (GetUser).
    Whoami(session::SessionArgs),
    /// Sign the profile's user out everywhere (GlobalSignOut).
    Logout(session::SessionArgs),
    /// Verify a token and print its claims.
    Verify(verify::VerifyArgs),
    /// Show the emails and SMS a local server would have sent (codes, temporary passwords).
    Messages(messages::MessagesArgs),
    /// User pools of a local server.
    #[command(subcommand)]
    Pool(admin::PoolCommand),
    /// Users of a local pool.
    #[command(subcommand)]
    User(admin::UserCommand),
}

/// Logs to stderr: `RUST_LOG` when set, else `default` (the server's activity for
/// `serve`, only warnings for the other commands).
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(match cli.command {
        Command::Serve(_) => "info",
        _ => "warn",
    });
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
            Command::Demo(args) => demo::run(args).await,
            Command::Login(args) => session::login(args).await,
            Command::Token(args) => oauth::token(args).await,
            Command::Refresh(args) => session::refresh(args).await,
            Command::Whoami(args) => session::whoami(args).await,
            Command::Logout(args) => session::logout(args).await,
            Command::Verify(args) => verify::run(args).await,
            Command::Pool(command) => admin::pool(command).await,
            Command::User(command) => admin::user(command).await,
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
