# Sourced by the bench scripts: a Python venv under bench/.venv (git-ignored) with the given packages.
bench_venv() {
    local dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.venv"
    [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
    PY="$dir/bin/python"
}

# Median of a criterion benchmark, in nanoseconds.
criterion_median_ns() {
    "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"])' \
        "target/criterion/$1/new/estimates.json"
}
