#!/usr/bin/env bash
# SRP client handshake: cognito-srp against pycognito's AWSSRP and an OpenSSL-BN
# implementation of the same exponent sizes, in one run. Prints medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/venv.sh
bench_venv pycognito

cargo bench -p cognito-srp --bench srp -- --noplot >/dev/null
ours=$(criterion_median_ns client_handshake/cognito-srp)
openssl=$(criterion_median_ns client_handshake/openssl-bn)
server=$(criterion_median_ns server_verification)
device=$(criterion_median_ns device_verifier_generation)
pycognito=$("$PY" bench/srp_pycognito.py crates/cognito-srp/tests/data/srp.json 40)

"$PY" - "$ours" "$openssl" "$pycognito" "$server" "$device" <<'PY'
import sys
ours, openssl, py, server, device = map(float, sys.argv[1:])
ms = lambda ns: f"{ns / 1e6:8.3f} ms"
print("SRP client handshake (A + PASSWORD_VERIFIER answer), medians")
print(f"  cognito-srp            {ms(ours)}")
print(f"  OpenSSL BN, same sizes {ms(openssl)}   cognito-srp / OpenSSL = {ours / openssl:.2f}x (goal <= 2.5x)")
print(f"  pycognito AWSSRP       {ms(py)}   pycognito / cognito-srp = {py / ours:.1f}x (goal >= 10x)")
print(f"  server share of a login (B + verify) {ms(server)}")
print(f"  device verifier generation           {ms(device)}")
PY
