"""boto3 against cognito-local: pools, clients, users, sign-up, groups, and errors."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, outbox, secret_hash


def test_pools_and_clients(idp, pool):
    described = idp.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["Id"] == pool
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert any(p["Id"] == pool for p in idp.list_user_pools(MaxResults=60)["UserPools"])

    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="web", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert len(client["ClientSecret"]) == 51
    listed = idp.list_user_pool_clients(UserPoolId=pool, MaxResults=10)["UserPoolClients"]
    assert [c["ClientId"] for c in listed] == [client["ClientId"]]
    idp.update_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"], ClientName="web2")
    assert idp.describe_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"])["UserPoolClient"]["ClientName"] == "web2"

    with pytest.raises(ClientError) as excinfo:
        idp.create_user_pool_client(UserPoolId=pool, ClientName="mixed",
                                    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "USER_PASSWORD_AUTH"])
    assert error_code(excinfo) == "InvalidParameterException"
    idp.delete_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"])

    header = idp.get_csv_header(UserPoolId=pool)["CSVHeader"]
    assert header[-1] == "cognito:username"


def test_admin_users(endpoint, idp, pool):
    created = idp.admin_create_user(
        UserPoolId=pool, Username="alice",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    invitation = outbox(endpoint, pool, "alice")
    assert [m["purpose"] for m in invitation] == ["invitation"]

    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool, Username="alice")

    idp.admin_update_user_attributes(UserPoolId=pool, Username="alice",
                                     UserAttributes=[{"Name": "name", "Value": "Alice"}])
    user = idp.admin_get_user(UserPoolId=pool, Username="alice")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["name"] == "Alice"
    assert len(attributes["sub"]) == 36

    idp.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Passw0rdX", Permanent=True)
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "CONFIRMED"
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_set_user_password(UserPoolId=pool, Username="alice", Password="short", Permanent=True)

    idp.admin_disable_user(UserPoolId=pool, Username="alice")
    listed = idp.list_users(UserPoolId=pool, Filter='status = "Disabled"')["Users"]
    assert [u["Username"] for u in listed] == ["alice"]
    idp.admin_enable_user(UserPoolId=pool, Username="alice")
    assert idp.list_users(UserPoolId=pool, Filter='username ^= "al"')["Users"][0]["Enabled"]

    idp.admin_delete_user(UserPoolId=pool, Username="alice")
    with pytest.raises(idp.exceptions.UserNotFoundException) as excinfo:
        idp.admin_get_user(UserPoolId=pool, Username="alice")
    assert excinfo.value.response["Error"]["Message"] == "User does not exist."


def test_sign_up_confirm_and_reset(endpoint, idp, pool):
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="app", GenerateSecret=True)["UserPoolClient"]
    client_id, secret = client["ClientId"], client["ClientSecret"]
    signed = idp.sign_up(ClientId=client_id, SecretHash=secret_hash(secret, "bob", client_id),
                         Username="bob", Password="Passw0rdX",
                         UserAttributes=[{"Name": "email", "Value": "bob@example.com"}])
    assert signed["UserConfirmed"] is False
    assert signed["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"

    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.sign_up(ClientId=client_id, SecretHash="d3Jvbmc=", Username="eve", Password="Passw0rdX")
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_sign_up(ClientId=client_id, SecretHash=secret_hash(secret, "bob", client_id),
                            Username="bob", ConfirmationCode="not-it")
    code = outbox(endpoint, pool, "bob")[-1]["code"]
    idp.confirm_sign_up(ClientId=client_id, SecretHash=secret_hash(secret, "bob", client_id),
                        Username="bob", ConfirmationCode=code)
    assert idp.admin_get_user(UserPoolId=pool, Username="bob")["UserStatus"] == "CONFIRMED"

    idp.forgot_password(ClientId=client_id, SecretHash=secret_hash(secret, "bob", client_id), Username="bob")
    code = outbox(endpoint, pool, "bob")[-1]["code"]
    idp.confirm_forgot_password(ClientId=client_id, SecretHash=secret_hash(secret, "bob", client_id),
                                Username="bob", ConfirmationCode=code, Password="N3wPassw0rd")


def test_groups(idp, pool):
    idp.admin_create_user(UserPoolId=pool, Username="carol", MessageAction="SUPPRESS")
    idp.create_group(UserPoolId=pool, GroupName="admins", Precedence=0, Description="All powers")
    with pytest.raises(idp.exceptions.GroupExistsException):
        idp.create_group(UserPoolId=pool, GroupName="admins")
    idp.admin_add_user_to_group(UserPoolId=pool, Username="carol", GroupName="admins")
    groups = idp.admin_list_groups_for_user(UserPoolId=pool, Username="carol")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins"]
    members = idp.list_users_in_group(UserPoolId=pool, GroupName="admins")["Users"]
    assert [u["Username"] for u in members] == ["carol"]
    idp.admin_remove_user_from_group(UserPoolId=pool, Username="carol", GroupName="admins")
    idp.delete_group(UserPoolId=pool, GroupName="admins")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_group(UserPoolId=pool, GroupName="admins")


def test_validation_errors(idp):
    with pytest.raises(ClientError) as excinfo:
        idp.describe_user_pool(UserPoolId="bad-id")
    assert error_code(excinfo) == "InvalidParameterException"
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool(UserPoolId="us-east-1_Missing01")


def test_remaining_admin_operations(endpoint, idp, pool):
    idp.update_user_pool(UserPoolId=pool, MfaConfiguration="OFF", AutoVerifiedAttributes=["email"],
                         DeviceConfiguration={"ChallengeRequiredOnNewDevice": False,
                                              "DeviceOnlyRememberedOnUserPrompt": True})
    described = idp.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["DeviceConfiguration"]["DeviceOnlyRememberedOnUserPrompt"] is True
    idp.add_custom_attributes(UserPoolId=pool, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}])
    names = [a["Name"] for a in idp.describe_user_pool(UserPoolId=pool)["UserPool"]["SchemaAttributes"]]
    assert "custom:tier" in names

    idp.admin_create_user(UserPoolId=pool, Username="dan", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": "dan@example.com"},
                                          {"Name": "email_verified", "Value": "true"},
                                          {"Name": "custom:tier", "Value": "gold"}])
    idp.admin_delete_user_attributes(UserPoolId=pool, Username="dan", UserAttributeNames=["custom:tier"])
    attributes = {a["Name"] for a in idp.admin_get_user(UserPoolId=pool, Username="dan")["UserAttributes"]}
    assert "custom:tier" not in attributes
    idp.admin_set_user_settings(UserPoolId=pool, Username="dan",
                                MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}])
    # A user with only a temporary password cannot be reset (as AWS refuses it).
    with pytest.raises(ClientError) as excinfo:
        idp.admin_reset_user_password(UserPoolId=pool, Username="dan")
    assert error_code(excinfo) == "NotAuthorizedException"
    idp.admin_set_user_password(UserPoolId=pool, Username="dan", Password="Passw0rd-Perm1", Permanent=True)
    idp.admin_reset_user_password(UserPoolId=pool, Username="dan")
    assert idp.admin_get_user(UserPoolId=pool, Username="dan")["UserStatus"] == "RESET_REQUIRED"
    assert outbox(endpoint, pool, "dan")[-1]["purpose"] == "forgot_password"

    client_id = idp.create_user_pool_client(UserPoolId=pool, ClientName="app")["UserPoolClient"]["ClientId"]
    # UpdateUserPool above reset the password policy to the default, which wants a symbol.
    idp.sign_up(ClientId=client_id, Username="ed", Password="Passw0rd!X",
                UserAttributes=[{"Name": "email", "Value": "ed@example.com"}])
    idp.resend_confirmation_code(ClientId=client_id, Username="ed")
    assert [m["purpose"] for m in outbox(endpoint, pool, "ed")] == ["signup", "signup"]
    idp.admin_confirm_sign_up(UserPoolId=pool, Username="ed")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.admin_confirm_sign_up(UserPoolId=pool, Username="ed")

    idp.create_group(UserPoolId=pool, GroupName="readers")
    updated = idp.update_group(UserPoolId=pool, GroupName="readers", Description="Read only", Precedence=5)["Group"]
    assert updated["Precedence"] == 5
    assert idp.get_group(UserPoolId=pool, GroupName="readers")["Group"]["Description"] == "Read only"
    assert [g["GroupName"] for g in idp.list_groups(UserPoolId=pool)["Groups"]] == ["readers"]


@pytest.mark.parametrize("key, secret, expected", [
    ("AKIDLOCAL", "guessed-secret", "InvalidSignatureException"),
    ("AKIDSTRANGER", "local-secret", "UnrecognizedClientException"),
])
def test_signatures_are_verified(endpoint, key, secret, expected):
    """The interop server runs with --credentials AKIDLOCAL:local-secret."""
    import boto3
    from botocore.config import Config
    stranger = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}))
    with pytest.raises(ClientError) as excinfo:
        stranger.list_user_pools(MaxResults=1)
    assert error_code(excinfo) == expected


def test_mfa_turned_on_the_aws_way(idp, pool):
    """SetUserPoolMfaConfig / GetUserPoolMfaConfig, as Terraform and CDK call them."""
    assert idp.get_user_pool_mfa_config(UserPoolId=pool)["MfaConfiguration"] == "OFF"
    with pytest.raises(ClientError) as excinfo:
        idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="ON")
    assert error_code(excinfo) == "InvalidParameterException"
    idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="OPTIONAL",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})
    got = idp.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "OPTIONAL"
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert idp.describe_user_pool(UserPoolId=pool)["UserPool"]["MfaConfiguration"] == "OPTIONAL"


def test_admin_delete_software_token(idp, pool):
    """AdminDeleteSoftwareToken (newer than the AWS SDK for Rust this repo pins)."""
    import pyotp
    client_id = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="OPTIONAL",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})
    idp.admin_create_user(UserPoolId=pool, Username="zoe", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="zoe", Password="Passw0rd-Zoe1", Permanent=True)
    login = lambda: idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "zoe", "PASSWORD": "Passw0rd-Zoe1"})
    access = login()["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    idp.verify_software_token(AccessToken=access, UserCode=pyotp.TOTP(secret).now())
    idp.admin_set_user_mfa_preference(UserPoolId=pool, Username="zoe",
                                      SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert login()["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    idp.admin_delete_software_token(UserPoolId=pool, Username="zoe")
    user = idp.admin_get_user(UserPoolId=pool, Username="zoe")
    assert user.get("UserMFASettingList", []) == []
    assert "AuthenticationResult" in login()
    with pytest.raises(ClientError) as excinfo:
        idp.admin_delete_software_token(UserPoolId=pool, Username="nobody")
    assert error_code(excinfo) == "UserNotFoundException"


def test_signing_certificate_is_the_pools_key(endpoint, idp, pool):
    """GetSigningCertificate: a real X.509 certificate (read by `cryptography`, which
    pycognito brings) for the key whose JWKS the pool publishes, valid for ten years."""
    import base64
    import json
    import urllib.request

    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import padding

    encoded = idp.get_signing_certificate(UserPoolId=pool)["Certificate"]
    assert encoded == idp.get_signing_certificate(UserPoolId=pool)["Certificate"]
    certificate = x509.load_der_x509_certificate(base64.b64decode(encoded))
    assert certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == pool
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime.days >= 3650
    # Self-signed: its own key verifies its signature.
    key = certificate.public_key()
    key.verify(certificate.signature, certificate.tbs_certificate_bytes,
               padding.PKCS1v15(), certificate.signature_hash_algorithm)
    with urllib.request.urlopen(f"{endpoint}/{pool}/.well-known/jwks.json") as response:
        jwk = json.load(response)["keys"][0]
    n = int.from_bytes(base64.urlsafe_b64decode(jwk["n"] + "=="), "big")
    assert key.public_numbers().n == n
    with pytest.raises(ClientError) as excinfo:
        idp.get_signing_certificate(UserPoolId="us-east-1_nosuchpool")
    assert error_code(excinfo) == "ResourceNotFoundException"
