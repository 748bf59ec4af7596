#!/usr/bin/env bash
# cognito-local against moto's server: login throughput, p50/p99, cold start, idle memory.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/venv.sh
bench_venv 'moto[server]'
# Two builds: with --example, cargo builds only the examples of the packages named.
cargo build --release -q -p cognito-cli
cargo build --release -q -p cognito-local --example loadgen
"$PY" bench/local_bench.py target/release/examples/loadgen target/release/cognito "$(dirname "$PY")/moto_server" "${SECONDS_PER_RUN:-4}"
