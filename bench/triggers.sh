#!/usr/bin/env bash
# What a webhook Lambda trigger adds to a USER_PASSWORD_AUTH login: the same login with
# and without a PreAuthentication webhook, alternating, in one run (median and p99).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p cognito-local --example trigger_overhead
target/release/examples/trigger_overhead "${LOGINS:-2000}"
