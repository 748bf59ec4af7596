"""pycognito against cognito-local: TOTP answered with pyotp, and a remembered device.

pycognito's own `confirm_device` posts to the real AWS host, so ConfirmDevice goes through
boto3 here, with the verifier from pycognito's `generate_hash_device`.
"""
import time
import uuid

import pyotp
import pytest
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP, generate_hash_device
from pycognito.exceptions import SoftwareTokenMFAChallengeException

PASSWORD = "Correct-Horse-1"


def setup_pool(idp, **settings):
    pool = idp.create_user_pool(PoolName=f"mfa-{uuid.uuid4().hex[:8]}", **settings)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool, ClientName="py")["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="zoe", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="zoe", Password=PASSWORD, Permanent=True)
    return pool, client_id


def cognito(endpoint, pool, client_id):
    return Cognito(pool, client_id, username="zoe",
                   boto3_client_kwargs={"endpoint_url": endpoint, "aws_access_key_id": "AKIDLOCAL",
                                        "aws_secret_access_key": "local-secret"})


def test_totp_mfa_with_pyotp(endpoint, idp):
    pool, client_id = setup_pool(idp, MfaConfiguration="OPTIONAL")
    user = cognito(endpoint, pool, client_id)
    user.authenticate(password=PASSWORD)
    secret = user.associate_software_token()
    totp = pyotp.TOTP(secret)
    assert user.verify_software_token(totp.now(), device_name="phone") is True
    user.set_user_mfa_preference(sms_mfa=False, software_token_mfa=True, preferred="SOFTWARE_TOKEN")

    fresh = cognito(endpoint, pool, client_id)
    with pytest.raises(SoftwareTokenMFAChallengeException) as challenge:
        fresh.authenticate(password=PASSWORD)
    # The code used to verify the token is spent: answer with the next step's code.
    fresh.respond_to_software_token_mfa_challenge(totp.at(time.time() + 30), mfa_tokens=challenge.value.get_tokens())
    fresh.verify_tokens()
    assert fresh.access_claims["username"] == "zoe"


def test_device_srp_with_pycognito(endpoint, idp):
    pool, client_id = setup_pool(
        idp, DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False})
    first = AWSSRP("zoe", PASSWORD, pool, client_id, client=idp)
    tokens = first.authenticate_user()["AuthenticationResult"]
    metadata = tokens["NewDeviceMetadata"]
    device_key, group_key = metadata["DeviceKey"], metadata["DeviceGroupKey"]
    device_password, config = generate_hash_device(group_key, device_key)
    confirmed = idp.confirm_device(AccessToken=tokens["AccessToken"], DeviceKey=device_key,
                                   DeviceSecretVerifierConfig=config, DeviceName="pytest")
    assert confirmed["UserConfirmationNecessary"] is False

    again = AWSSRP("zoe", PASSWORD, pool, client_id, client=idp, device_key=device_key,
                   device_group_key=group_key, device_password=device_password)
    result = again.authenticate_user()["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    me = cognito(endpoint, pool, client_id)
    me.access_token = result["AccessToken"]
    me.id_token = result["IdToken"]
    me.verify_tokens()
    assert me.access_claims["device_key"] == device_key

    renewed = idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                AuthParameters={"REFRESH_TOKEN": result["RefreshToken"], "DEVICE_KEY": device_key})
    assert "AccessToken" in renewed["AuthenticationResult"]

    wrong = AWSSRP("zoe", PASSWORD, pool, client_id, client=idp, device_key=device_key,
                   device_group_key=group_key, device_password="not-the-device-password")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        wrong.authenticate_user()
