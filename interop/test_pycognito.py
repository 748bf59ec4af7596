"""pycognito against cognito-local: SRP login, token verification, refresh, sign-out."""
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

PASSWORD = "Correct-Horse-1"


def make_client(idp, pool, secret=False):
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="pycognito", GenerateSecret=secret,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    return client["ClientId"], client.get("ClientSecret")


def make_user(idp, pool, name):
    idp.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}])
    idp.admin_set_user_password(UserPoolId=pool, Username=name, Password=PASSWORD, Permanent=True)


def cognito(endpoint, pool, client_id, username, secret=None):
    return Cognito(pool, client_id, username=username, client_secret=secret,
                   boto3_client_kwargs={"endpoint_url": endpoint,
                                        "aws_access_key_id": "AKIDLOCAL",
                                        "aws_secret_access_key": "local-secret"})


@pytest.mark.parametrize("secret", [False, True])
def test_srp_login_and_token_verification(endpoint, idp, pool, secret):
    client_id, client_secret = make_client(idp, pool, secret)
    make_user(idp, pool, "alice")
    user = cognito(endpoint, pool, client_id, "alice", client_secret)
    user.authenticate(password=PASSWORD)
    user.verify_tokens()  # signature against our JWKS, issuer, audience, token_use
    assert user.id_claims["cognito:username"] == "alice"
    assert user.access_claims["client_id"] == client_id
    assert user.get_user().username == "alice"


def test_a_wrong_password_fails(endpoint, idp, pool):
    client_id, _ = make_client(idp, pool)
    make_user(idp, pool, "bob")
    with pytest.raises(ClientError) as excinfo:
        cognito(endpoint, pool, client_id, "bob").authenticate(password="not-bobs")
    assert excinfo.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert excinfo.value.response["Error"]["Message"] == "Incorrect username or password."


def test_refresh_and_global_sign_out(endpoint, idp, pool):
    client_id, _ = make_client(idp, pool)
    make_user(idp, pool, "carol")
    user = cognito(endpoint, pool, client_id, "carol")
    user.authenticate(password=PASSWORD)
    old_access = user.access_token
    user.renew_access_token()
    assert user.access_token != old_access
    refresh = user.refresh_token
    idp.global_sign_out(AccessToken=user.access_token)
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                          AuthParameters={"REFRESH_TOKEN": refresh})
    assert excinfo.value.response["Error"]["Message"] == "Refresh Token has been revoked"
