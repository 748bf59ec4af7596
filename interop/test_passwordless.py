"""The README's passwordless sign-in: three small trigger scripts run through `exec:`
(examples/passwordless), driven by boto3. The server is started with
`--lambda-file examples/passwordless/lambdas.txt` from the repository root."""
import pathlib
import uuid

import pytest
from botocore.exceptions import ClientError

ARN = "arn:aws:lambda:us-east-1:123456789012:function:"
CODES = pathlib.Path(__file__).resolve().parent.parent / "examples" / "passwordless" / "codes"


@pytest.fixture
def passwordless(idp):
    pool_id = idp.create_user_pool(
        PoolName=f"passwordless-{uuid.uuid4().hex[:8]}",
        LambdaConfig={
            "DefineAuthChallenge": ARN + "define",
            "CreateAuthChallenge": ARN + "create",
            "VerifyAuthChallengeResponse": ARN + "verify",
        },
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH"]
    )["UserPoolClient"]["ClientId"]
    name = f"ann-{uuid.uuid4().hex[:6]}"
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=name,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password="Unused-Passw0rd", Permanent=True)
    return client_id, name


def test_an_emailed_code_signs_the_user_in(idp, passwordless):
    client_id, name = passwordless
    started = idp.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": name})
    assert started["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert started["ChallengeParameters"]["email"] == "a***@example.com"

    # A wrong code: another round, with a new code.
    retry = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": name, "ANSWER": "000000x"},
    )
    assert retry["ChallengeName"] == "CUSTOM_CHALLENGE"
    code = (CODES / name).read_text()
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=retry["Session"],
        ChallengeResponses={"USERNAME": name, "ANSWER": code},
    )
    user = idp.get_user(AccessToken=done["AuthenticationResult"]["AccessToken"])
    assert user["Username"] == name


def test_three_wrong_codes_end_the_sign_in(idp, passwordless):
    client_id, name = passwordless
    session = idp.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": name})["Session"]
    for _ in range(2):
        session = idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=session,
            ChallengeResponses={"USERNAME": name, "ANSWER": "nope"},
        )["Session"]
    with pytest.raises(ClientError) as refused:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=session,
            ChallengeResponses={"USERNAME": name, "ANSWER": "nope"},
        )
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"
