#!/usr/bin/env bash
# End-to-end SRP login against one `cognito serve`: our client versus pycognito's
# Cognito.authenticate (both verify the tokens), and our client's memory over 1,000 logins.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/venv.sh
bench_venv boto3 pycognito
cargo build --release -q -p cognito-cli -p cognito --example login_loop
"$PY" bench/client_bench.py target/release/cognito target/release/examples/login_loop "${LOGINS:-1000}" "${PY_LOGINS:-200}"
