"""Interop tests: clients nobody here wrote (boto3, pycognito) against `cognito serve`.

COGNITO_LOCAL_URL names the server; the Rust test `cognito-cli/tests/interop.rs` starts
one and runs pytest with it.
"""
import base64
import hashlib
import hmac
import json
import os
import urllib.request
import uuid

import boto3
import pytest


@pytest.fixture(scope="session")
def endpoint():
    url = os.environ.get("COGNITO_LOCAL_URL")
    if not url:
        pytest.fail("COGNITO_LOCAL_URL is not set: start `cognito serve` and point at it")
    return url


@pytest.fixture(scope="session")
def idp(endpoint):
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDLOCAL",
        aws_secret_access_key="local-secret",
    )


@pytest.fixture
def pool(idp):
    created = idp.create_user_pool(
        PoolName=f"interop-{uuid.uuid4().hex[:8]}",
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True,
                                     "RequireLowercase": True, "RequireNumbers": True,
                                     "RequireSymbols": False}},
    )
    pool_id = created["UserPool"]["Id"]
    yield pool_id
    idp.delete_user_pool(UserPoolId=pool_id)


def outbox(endpoint, pool_id, username):
    url = f"{endpoint}/_local/messages?pool_id={pool_id}&username={username}"
    with urllib.request.urlopen(url) as response:
        return json.load(response)["messages"]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def secret_hash(secret, username, client_id):
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
