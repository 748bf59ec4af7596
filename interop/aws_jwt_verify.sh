#!/usr/bin/env bash
# The README's aws-jwt-verify recipe, run for real: `cognito serve` with the AWS issuer,
# a user signed in through boto3, and aws-jwt-verify (Node, from bench/node_modules)
# verifying the access token with the local JWKS. Needs node and npm; not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd bench && npm install --silent --no-audit --no-fund >/dev/null)
cargo build -q -p cognito-cli
port=9599
target/debug/cognito serve --port "$port" --in-memory \
    --issuer-base https://cognito-idp.us-east-1.amazonaws.com >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
.venv/bin/python - "$port" > target/aws-jwt-verify.json <<'PY'
import json, sys
import boto3
idp = boto3.client("cognito-idp", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                   aws_access_key_id="local", aws_secret_access_key="local")
pool = idp.create_user_pool(PoolName="dev")["UserPool"]["Id"]
client = idp.create_user_pool_client(UserPoolId=pool, ClientName="app",
                                     ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
idp.admin_create_user(UserPoolId=pool, Username="ann", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=pool, Username="ann", Password="Passw0rd-Ann1", Permanent=True)
tokens = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "ann", "PASSWORD": "Passw0rd-Ann1"})["AuthenticationResult"]
print(json.dumps({"url": f"http://127.0.0.1:{sys.argv[1]}", "pool": pool, "client": client,
                  "token": tokens["AccessToken"]}))
PY
(cd bench && node --input-type=module -e '
import { readFileSync } from "node:fs";
import { CognitoJwtVerifier } from "aws-jwt-verify";
const { url, pool: userPoolId, client: clientId, token: accessToken } =
  JSON.parse(readFileSync("../target/aws-jwt-verify.json", "utf8"));
const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: "access", clientId });
verifier.cacheJwks(await (await fetch(`${url}/${userPoolId}/.well-known/jwks.json`)).json());
const claims = await verifier.verify(accessToken);
console.log(`aws-jwt-verify accepted the token of ${claims.username}, issued by ${claims.iss}`);
')
