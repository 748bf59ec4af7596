"""Times PyJWT on the bench token, two ways, and prints both medians in nanoseconds:

1. pycognito's own `Cognito.verify_token` (PyJWT as pycognito uses it: header parse,
   key built from the JWK, decode with issuer and required claims, token_use check),
   with the JWKS given through `COGNITO_JWKS` so nothing is fetched;
2. bare `jwt.decode` with a key built once, the least work PyJWT can do.
"""
import json
import os
import statistics
import sys
import time

d = sys.argv[1]
token = open(f"{d}/token").read()
jwks = json.load(open(f"{d}/jwks.json"))
params = json.load(open(f"{d}/params.json"))
os.environ["COGNITO_JWKS"] = json.dumps(jwks)
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import jwt  # noqa: E402
from pycognito import Cognito  # noqa: E402

cognito = Cognito(params["pool"], params["client"], user_pool_region="us-east-1")
key = jwt.PyJWK(jwks["keys"][0]).key
issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{params['pool']}"


def pycognito_verify():
    cognito.verify_token(token, "access_token", "access")


def bare_pyjwt():
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=issuer,
                        options={"require": ["iss", "exp"], "verify_aud": False})
    if claims["token_use"] != "access" or claims["client_id"] != params["client"]:
        raise ValueError("claims")


def median_ns(fn, batches=40, batch=50):
    for _ in range(200):
        fn()
    samples = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter_ns() - start) / batch)
    return statistics.median(samples)


print(median_ns(pycognito_verify), median_ns(bare_pyjwt))
