"""SRP login latency, end to end against the same cognito-local: cognito (Rust) vs pycognito.

The server's share is the same for both, so the ratio shows the client's own cost.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time

import boto3
from pycognito import Cognito

SERVER, LOOP, LOGINS, PY_LOGINS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
PASSWORD = "Correct-Horse-1!"

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
endpoint = f"http://127.0.0.1:{port}"
server = subprocess.Popen([SERVER, "serve", "--port", str(port), "--in-memory"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"})
try:
    keys = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1", **keys)
    for _ in range(500):
        try:
            pool = idp.create_user_pool(PoolName="bench")["UserPool"]["Id"]
            break
        except Exception:
            time.sleep(0.01)
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="bench",
                                         ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    client_id = client["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="bench", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="bench", Password=PASSWORD, Permanent=True)

    out = subprocess.run([LOOP, endpoint, pool, client_id, "bench", PASSWORD, str(LOGINS)],
                         capture_output=True, text=True, check=True)
    ours = json.loads(out.stdout.strip().splitlines()[-1])

    user = Cognito(pool, client_id, username="bench", boto3_client_kwargs={"endpoint_url": endpoint, **keys})
    user.authenticate(password=PASSWORD)  # warm-up: JWKS fetched, connection open
    times = []
    for _ in range(PY_LOGINS):
        started = time.perf_counter()
        user.authenticate(password=PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    py_p50 = statistics.median(times)
finally:
    server.terminate()
    server.wait()

print(f"end-to-end SRP login (median): cognito {ours['p50_ms']:.2f} ms, pycognito {py_p50:.2f} ms "
      f"-> {py_p50 / ours['p50_ms']:.1f}x faster (goal >= 5x)")
print(f"p99: cognito {ours['p99_ms']:.2f} ms, pycognito {times[int(len(times) * 0.99) - 1]:.2f} ms")
print(f"cognito resident memory: {ours['rss_after_warm_up_kib'] / 1024:.1f} MiB after {ours['warm_up']} logins, "
      f"{ours['rss_end_kib'] / 1024:.1f} MiB after {ours['logins']}")
