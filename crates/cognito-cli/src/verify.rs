//! `cognito verify`: checks a token and prints its claims, or why it was refused.

use std::io::Read;

use clap::{Args, ValueEnum};
use cognito_jwt::{ClientIds, CognitoJwtVerifier, PoolConfig, TokenUse};

/// Which token is expected.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Use {
    Id,
    Access,
    Any,
}

/// Options of `cognito verify`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  cognito verify \"$COGNITO_ID_TOKEN\" --pool-id us-east-1_AbCdEfGhI --client-id 1example23456789
  cognito verify - --pool-id us-east-1_AbCdEfGhI --endpoint http://127.0.0.1:9229 < token.txt

Exit codes: 0 the token is valid (its claims are printed as JSON), 1 it is not (the reason
is printed), 2 bad usage.")]
pub struct VerifyArgs {
    /// The token, or `-` to read it from stdin.
    token: String,
    /// The user pool that must have issued it.
    #[arg(long, env = "COGNITO_POOL_ID")]
    pool_id: String,
    /// The app client it must be for (any client when absent).
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    client_id: Option<String>,
    /// The token use required.
    #[arg(long, value_enum, default_value = "any")]
    token_use: Use,
    /// The JWKS to verify with (default: the issuer's).
    #[arg(long, conflicts_with = "endpoint")]
    jwks_url: Option<String>,
    /// A local server's URL: the issuer is then `<endpoint>/<pool id>`.
    #[arg(long, env = "COGNITO_ENDPOINT")]
    endpoint: Option<String>,
}

/// Verifies the token.
pub async fn run(args: VerifyArgs) -> Result<(), String> {
    let token = if args.token == "-" {
        // Read one byte past the largest token the verifier takes: never more.
        let cap = cognito_jwt::DEFAULT_MAX_TOKEN_BYTES + 1;
        let mut text = String::new();
        std::io::stdin()
            .take(cap as u64 + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        if text.len() > cap {
            return Err(format!(
                "the token on stdin is longer than {} bytes",
                cognito_jwt::DEFAULT_MAX_TOKEN_BYTES
            ));
        }
        text.trim().to_owned()
    } else {
        args.token.trim().to_owned()
    };
    let token_use = match args.token_use {
        Use::Id => TokenUse::Id,
        Use::Access => TokenUse::Access,
        Use::Any => TokenUse::Any,
    };
    let clients = args.client_id.map_or(ClientIds::Any, ClientIds::one);
    let config = |e: cognito_jwt::ConfigError| e.to_string();
    let mut pool = PoolConfig::new(&args.pool_id, token_use, clients).map_err(config)?;
    if let Some(endpoint) = &args.endpoint {
        pool = pool.issuer_base(endpoint).map_err(config)?;
    }
    if let Some(jwks) = &args.jwks_url {
        pool = pool.jwks_uri(jwks).map_err(config)?;
    }
    let verifier = CognitoJwtVerifier::new(pool).map_err(config)?;
    let verified = verifier
        .verify(&token)
        .await
        .map_err(|e| format!("token rejected: {e}"))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&verified.raw()).unwrap_or_default()
    );
    Ok(())
}
