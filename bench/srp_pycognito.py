"""Times pycognito's AWSSRP doing the client's SRP work: a and A, then the PASSWORD_VERIFIER answer.

Prints the median in nanoseconds. The challenge comes from the shared test vectors, so no server is involved.
"""
import json
import statistics
import sys
import time

from pycognito.aws_srp import AWSSRP

vectors = json.load(open(sys.argv[1]))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 40
case = vectors["password_srp"]
common = vectors["common_inputs"]
challenge = {
    "USERNAME": case["inputs"]["user_id_for_srp"],
    "USER_ID_FOR_SRP": case["inputs"]["user_id_for_srp"],
    "SALT": case["inputs"]["salt_hex_from_server"],
    "SRP_B": case["SRP_B"],
    "SECRET_BLOCK": common["secret_block_b64"],
}
request = {"USERNAME": case["inputs"]["login_username"]}
not_a_client = object()  # AWSSRP only stores it; this keeps boto3 out of the timing

samples = []
for _ in range(runs):
    start = time.perf_counter_ns()
    srp = AWSSRP(
        username=case["inputs"]["login_username"],
        password=case["inputs"]["password"],
        pool_id=common["pool_id"],
        client_id=common["client_id"],
        client=not_a_client,
    )
    srp.get_auth_params()
    srp.process_challenge(challenge, request)
    samples.append(time.perf_counter_ns() - start)
print(statistics.median(samples))
