#!/usr/bin/env bash
# Machine-to-machine tokens/s (client_credentials at /oauth2/token) next to
# USER_PASSWORD_AUTH logins/s, 16 connections, alternating rounds in one run: rates,
# medians, p99s and their ratio (goal: at least 1.8x).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p cognito-local --example oauth_load
target/release/examples/oauth_load "${ROUNDS:-6}" "${SECONDS_PER_ROUND:-2}"
