"""Login throughput and latency of cognito-local against moto's server, in one run.

For each server: cold start (spawn to first answer), idle memory (VmRSS), then logins/s
and p50/p99 for USER_PASSWORD_AUTH and full SRP logins with 1 and 16 concurrent clients
(the Rust load generator, `crates/cognito-local/examples/loadgen.rs`, drives both alike).
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

LOADGEN, COGNITO, MOTO, SECONDS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url):
    request = urllib.request.Request(url, data=b'{"MaxResults": 1}', method="POST", headers={
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
        "authorization": "AWS4-HMAC-SHA256 Credential=AKID/20250203/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
    })
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def start(name):
    port = free_port()
    if name == "cognito-local":
        command = [COGNITO, "serve", "--port", str(port), "--in-memory"]
    else:
        command = [MOTO, "-p", str(port)]
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "RUST_LOG": "warn"})
    while not answers(url):
        if time.perf_counter() - started > 30:
            raise SystemExit(f"{name} did not answer within 30 s")
        time.sleep(0.002)
    cold_ms = (time.perf_counter() - started) * 1000
    time.sleep(0.5)
    rss_kib = int(next(line.split()[1] for line in open(f"/proc/{process.pid}/status") if line.startswith("VmRSS")))
    return process, url, cold_ms, rss_kib / 1024


def load(url, flow, concurrency, pid):
    out = subprocess.run([LOADGEN, url, flow, str(concurrency), SECONDS, str(pid)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


results = {}
for name in ["cognito-local", "moto"]:
    process, url, cold_ms, idle_mib = start(name)
    try:
        runs = {(flow, c): load(url, flow, c, process.pid) for flow in ["password", "srp"] for c in [1, 16]}
    finally:
        process.terminate()
        process.wait()
    results[name] = (cold_ms, idle_mib, runs)

ours, moto = results["cognito-local"], results["moto"]
print(f"cold start to first answer: cognito-local {ours[0]:.0f} ms, moto {moto[0]:.0f} ms (goal < 100 ms)")
print(f"idle memory (VmRSS): cognito-local {ours[1]:.1f} MiB, moto {moto[1]:.1f} MiB (goal < 30 MiB)")
print(f"{'flow':<9} {'clients':>7} | {'cognito-local /s':>16} {'p50 ms':>7} {'p99 ms':>7} | {'moto /s':>8} {'p50 ms':>7} {'p99 ms':>7} | ratio")
for flow in ["password", "srp"]:
    for c in [1, 16]:
        a, b = ours[2][(flow, c)], moto[2][(flow, c)]
        print(f"{flow:<9} {c:>7} | {a['per_second']:>16.0f} {a['p50_ms']:>7.1f} {a['p99_ms']:>7.1f} | "
              f"{b['per_second']:>8.0f} {b['p50_ms']:>7.1f} {b['p99_ms']:>7.1f} | {a['per_second'] / b['per_second']:.2f}x")
print("(password: USER_PASSWORD_AUTH; srp: USER_SRP_AUTH + PASSWORD_VERIFIER. cognito-local verifies the")
print(" password or SRP proof and signs RS256 tokens; moto checks no SRP signature.)")

floor = json.loads(subprocess.run([LOADGEN, "floor"], capture_output=True, text=True, check=True).stdout.strip())
floors = {
    "password": 2 * floor["rs256_ms"] + floor["password_check_ms"],
    "srp": 2 * floor["rs256_ms"] + floor["srp_server_ms"],
}
print()
print(f"crypto floor, measured here: RS256 signature {floor['rs256_ms']:.3f} ms, password check "
      f"{floor['password_check_ms']:.3f} ms, server SRP share (B + proof) {floor['srp_server_ms']:.3f} ms")
print(f"{'flow':<9} {'clients':>7} | {'server CPU ms/login':>19} | {'floor ms':>8} | ratio (goal <= 1.2)")
for flow in ["password", "srp"]:
    for c in [1, 16]:
        cpu = ours[2][(flow, c)]["server_cpu_ms_per_login"]
        print(f"{flow:<9} {c:>7} | {cpu:>19.3f} | {floors[flow]:>8.3f} | {cpu / floors[flow]:.2f}x")
print("(floor: two RS256 signatures, plus the password check or the server's SRP share)")
for flow in ["password", "srp"]:
    one, many = ours[2][(flow, 1)]["per_second"], ours[2][(flow, 16)]["per_second"]
    print(f"{flow}: 16 clients give {many / one:.2f}x the 1-client rate")
