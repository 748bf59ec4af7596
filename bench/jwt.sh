#!/usr/bin/env bash
# Token verification: cognito-jwt against the raw RS256 check of its crypto library,
# PyJWT (as pycognito uses it) and aws-jwt-verify on Node, on the same token, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/venv.sh
bench_venv pycognito cryptography
(cd bench && npm install --silent --no-audit --no-fund >/dev/null)

cargo bench -p cognito-jwt --bench verify -- --noplot >/dev/null
ours=$(criterion_median_ns verify/cognito-jwt)
raw=$(criterion_median_ns verify/raw-rs256)
read -r pycognito pyjwt < <("$PY" bench/jwt_pyjwt.py target/jwt-bench)
read -r node node_raw < <(node bench/jwt_node.mjs target/jwt-bench)

"$PY" - "$ours" "$raw" "$pycognito" "$pyjwt" "$node" "$node_raw" <<'PY'
import sys
ours, raw, pycognito, pyjwt, node, node_raw = map(float, sys.argv[1:])
us = lambda ns: f"{ns / 1e3:8.1f} us"
print("RS256 Cognito access token, cached key, medians per verification")
print(f"  cognito-jwt (full verification)   {us(ours)}")
print(f"  raw RS256 signature (aws-lc-rs)   {us(raw)}   cognito-jwt / raw = {ours / raw:.2f}x (goal <= 1.25x)")
print(f"  PyJWT as pycognito uses it        {us(pycognito)}   (Cognito.verify_token) / cognito-jwt = {pycognito / ours:.1f}x (goal >= 6x)")
print(f"  bare PyJWT decode, key built once {us(pyjwt)}   bare PyJWT / cognito-jwt = {pyjwt / ours:.1f}x")
print(f"  aws-jwt-verify verifySync (Node)  {us(node)}   aws-jwt-verify / cognito-jwt = {node / ours:.2f}x (goal >= 1.2x)")
print(f"  Node crypto.verify + JSON.parse   {us(node_raw)}")
PY
