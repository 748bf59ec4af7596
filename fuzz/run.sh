#!/usr/bin/env bash
# Runs each fuzz target for a bounded time: bash fuzz/run.sh [SECONDS_EACH] [TARGET...]
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
# Corpora grow in fuzz/corpus/TARGET; crashes land in fuzz/artifacts/TARGET, and each
# one found becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(srp jwt server)
cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="$(mktemp)"
    if cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
        echo "fuzz $target: ${seconds}s clean, $runs executions, $cov coverage edges"
        rm -f "$log"
    else
        tail -40 "$log" >&2
        echo "fuzz $target failed: see fuzz/artifacts/$target and $log" >&2
        exit 1
    fi
done
