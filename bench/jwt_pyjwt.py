"""Times PyJWT verifying the bench token the way pycognito does (RS256, issuer, token_use, client).

Prints the median in nanoseconds per verification.
"""
import json
import statistics
import sys
import time

import jwt

d = sys.argv[1]
token = open(f"{d}/token").read()
jwks = json.load(open(f"{d}/jwks.json"))
params = json.load(open(f"{d}/params.json"))
key = jwt.PyJWK(jwks["keys"][0]).key
issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{params['pool']}"


def verify():
    claims = jwt.decode(
        token, key, algorithms=["RS256"], issuer=issuer,
        options={"require": ["iat", "exp", "iss", "sub"], "verify_aud": False},
    )
    if claims["token_use"] != "access" or claims["client_id"] != params["client"]:
        raise ValueError("claims")


for _ in range(200):
    verify()
samples = []
for _ in range(40):
    start = time.perf_counter_ns()
    for _ in range(50):
        verify()
    samples.append((time.perf_counter_ns() - start) / 50)
print(statistics.median(samples))
