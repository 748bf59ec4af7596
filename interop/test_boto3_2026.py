"""boto3 against cognito-local: operations newer than the AWS SDK for Rust this repo pins
(client secret rotation, session configuration, user sessions)."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, secret_hash


def confidential_client(idp, pool):
    created = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="server", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return created["ClientId"], created["ClientSecret"]


def user(idp, pool, name="ann", password="Passw0rd-Ann1"):
    idp.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=name, Password=password, Permanent=True)
    return name, password


def test_client_secrets_rotate_without_downtime(idp, pool):
    client_id, first = confidential_client(idp, pool)
    name, password = user(idp, pool)

    def login(secret):
        return idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": password,
                            "SECRET_HASH": secret_hash(secret, name, client_id)})

    listed = idp.list_user_pool_client_secrets(UserPoolId=pool, ClientId=client_id)["ClientSecrets"]
    assert len(listed) == 1 and "ClientSecretValue" not in listed[0]
    first_id = listed[0]["ClientSecretId"]

    # A generated second secret is shown once; both work.
    added = idp.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id)["ClientSecretDescriptor"]
    second = added["ClientSecretValue"]
    assert added["ClientSecretId"] != first_id and "ClientSecretCreateDate" in added
    assert "AuthenticationResult" in login(first)
    assert "AuthenticationResult" in login(second)

    # Two is the most.
    with pytest.raises(ClientError) as excinfo:
        idp.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id)
    assert error_code(excinfo) == "LimitExceededException"

    # The first retired: only the second works, and the client shows it.
    idp.delete_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecretId=first_id)
    with pytest.raises(ClientError) as excinfo:
        login(first)
    assert error_code(excinfo) == "NotAuthorizedException"
    assert "AuthenticationResult" in login(second)
    described = idp.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == second

    # A custom value is accepted and not echoed; the last secret cannot be deleted.
    custom = "my0custom0secret0value0abcdef"
    added = idp.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id,
                                            ClientSecret=custom)["ClientSecretDescriptor"]
    assert "ClientSecretValue" not in added
    assert "AuthenticationResult" in login(custom)
    ids = [s["ClientSecretId"] for s in
           idp.list_user_pool_client_secrets(UserPoolId=pool, ClientId=client_id)["ClientSecrets"]]
    assert ids[1] == added["ClientSecretId"]
    idp.delete_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecretId=ids[0])
    with pytest.raises(ClientError) as excinfo:
        idp.delete_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecretId=ids[1])
    assert error_code(excinfo) == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        idp.delete_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecretId="nope")
    assert error_code(excinfo) == "ResourceNotFoundException"

    # A public client has no secret to rotate.
    public = idp.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        idp.add_user_pool_client_secret(UserPoolId=pool, ClientId=public)
    assert error_code(excinfo) == "InvalidParameterException"


def test_user_sessions_are_tracked_listed_evicted_and_revoked(idp, pool):
    client_id = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    name, password = user(idp, pool)

    def login():
        return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": name, "PASSWORD": password})["AuthenticationResult"]

    def refresh(tokens):
        return idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                 AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})

    def refused(call, **kwargs):
        with pytest.raises(ClientError) as excinfo:
            call(**kwargs)
        return error_code(excinfo)

    # The documented defaults, and nothing tracked while tracking is off.
    config = idp.get_user_pool_session_configuration(UserPoolId=pool)
    assert (config["UserSessionTracking"], config["TokenSession"]["MaxPerUser"]) == ("DISABLED", 20)
    sso = idp.get_user_pool_client_session_configuration(UserPoolId=pool, ClientId=client_id)
    assert sso["SSOSession"]["MaxValidityMinutes"] == 60
    untracked = login()
    assert refused(idp.admin_list_user_sessions, UserPoolId=pool, Username=name) == "OperationNotEnabledException"
    assert refused(idp.set_user_pool_client_session_configuration, UserPoolId=pool, ClientId=client_id,
                   SSOSession={"MaxValidityMinutes": 30}) == "OperationNotEnabledException"

    idp.set_user_pool_session_configuration(UserPoolId=pool, UserSessionTracking="ENABLED",
                                            TokenSession={"MaxPerUser": 2})
    idp.set_user_pool_client_session_configuration(UserPoolId=pool, ClientId=client_id,
                                                   SSOSession={"MaxValidityMinutes": 30})
    assert idp.get_user_pool_client_session_configuration(
        UserPoolId=pool, ClientId=client_id)["SSOSession"]["MaxValidityMinutes"] == 30
    assert idp.admin_list_user_sessions(UserPoolId=pool, Username=name)["Sessions"] == []
    assert "AuthenticationResult" in refresh(untracked)

    # MaxPerUser 2: the third sign-in evicts the least recently used session.
    first, second = login(), login()
    assert "AuthenticationResult" in refresh(first)
    third = login()
    sessions = idp.admin_list_user_sessions(UserPoolId=pool, Username=name)["Sessions"]
    assert len(sessions) == 2
    assert all(s["SessionId"].startswith("tkn") and len(s["SessionId"]) == 28 for s in sessions)
    assert all(s["SessionType"] == "TOKEN" and s["ClientId"] == client_id for s in sessions)
    assert not any(s["IsCurrentSession"] for s in sessions)
    assert all(s["LastIPAddress"] == "127.0.0.1" and "Boto3" in s["DeviceType"] for s in sessions)
    assert refused(refresh, tokens=second) == "NotAuthorizedException"
    assert "AuthenticationResult" in refresh(first)

    # The user's own view marks the current session; it cannot revoke that one.
    mine = idp.list_user_sessions(AccessToken=third["AccessToken"])["Sessions"]
    current = [s for s in mine if s["IsCurrentSession"]]
    other = [s for s in mine if not s["IsCurrentSession"]]
    assert len(current) == 1 and len(other) == 1
    assert refused(idp.revoke_user_session, AccessToken=third["AccessToken"],
                   SessionId=current[0]["SessionId"]) == "InvalidParameterException"
    idp.revoke_user_session(AccessToken=third["AccessToken"], SessionId=other[0]["SessionId"])
    assert refused(refresh, tokens=first) == "NotAuthorizedException"
    assert refused(idp.get_user, AccessToken=first["AccessToken"]) == "NotAuthorizedException"

    # An administrator revokes the last one; an unknown session is not found.
    idp.admin_revoke_user_session(UserPoolId=pool, Username=name, SessionId=current[0]["SessionId"],
                                  RevokeAssociatedSessions="LINKED")
    assert idp.admin_list_user_sessions(UserPoolId=pool, Username=name)["Sessions"] == []
    assert refused(idp.admin_revoke_user_session, UserPoolId=pool, Username=name,
                   SessionId="tkn" + "a" * 25) == "ResourceNotFoundException"
    assert refused(idp.admin_list_user_sessions, UserPoolId=pool, Username="nobody") == "UserNotFoundException"

    # The Lite tier has no session management.
    idp.update_user_pool(UserPoolId=pool, UserPoolTier="LITE")
    assert refused(idp.set_user_pool_session_configuration, UserPoolId=pool, UserSessionTracking="ENABLED",
                   TokenSession={"MaxPerUser": 5}) == "FeatureUnavailableInTierException"


def test_provisioned_limits_between_the_default_and_the_maximum(idp):
    definition = {"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserCreation"}}
    limit = idp.get_provisioned_limit(LimitDefinition=definition)["Limit"]
    assert limit["LimitDefinition"] == definition
    free = limit["FreeLimitValue"]
    assert limit["ProvisionedLimitValue"] == free > 0
    updated = idp.update_provisioned_limit(LimitDefinition=definition, RequestedLimitValue=free * 2)["Limit"]
    assert (updated["ProvisionedLimitValue"], updated["FreeLimitValue"]) == (free * 2, free)
    assert idp.get_provisioned_limit(LimitDefinition=definition)["Limit"]["ProvisionedLimitValue"] == free * 2
    for requested, code in [(free - 1, "InvalidParameterException"),
                            (free * 1000, "ServiceQuotaExceededException")]:
        with pytest.raises(ClientError) as excinfo:
            idp.update_provisioned_limit(LimitDefinition=definition, RequestedLimitValue=requested)
        assert error_code(excinfo) == code
    with pytest.raises(ClientError) as excinfo:
        idp.get_provisioned_limit(LimitDefinition={"LimitClass": "API_CATEGORY",
                                                   "Attributes": {"Category": "CoffeeBrewing"}})
    assert error_code(excinfo) == "ResourceNotFoundException"
    # Put it back: the server outlives this test.
    idp.update_provisioned_limit(LimitDefinition=definition, RequestedLimitValue=free)


def test_replicas_are_kept_and_answered(idp, pool):
    created = idp.create_user_pool_replica(UserPoolId=pool, RegionName="eu-west-1",
                                           UserPoolTags={"team": "identity"})["UserPoolReplica"]
    assert (created["RegionName"], created["Status"], created["Role"]) == ("eu-west-1", "CREATING", "SECONDARY")
    assert created["UserPoolArn"].endswith(f":eu-west-1:000000000000:userpool/{pool}")
    listed = idp.list_user_pool_replicas(UserPoolId=pool)["UserPoolReplicas"]
    assert [(r["RegionName"], r["Role"], r["Status"]) for r in listed] == [
        ("us-east-1", "PRIMARY", "ACTIVE"), ("eu-west-1", "SECONDARY", "ACTIVE")]

    def refused(call, **kwargs):
        with pytest.raises(ClientError) as excinfo:
            call(**kwargs)
        return error_code(excinfo)

    assert refused(idp.create_user_pool_replica, UserPoolId=pool, RegionName="eu-west-1") == "InvalidParameterException"
    assert refused(idp.create_user_pool_replica, UserPoolId=pool, RegionName="us-east-1") == "InvalidParameterException"
    # Only an INACTIVE replica can be deleted.
    assert refused(idp.delete_user_pool_replica, UserPoolId=pool, RegionName="eu-west-1") == "InvalidParameterException"
    updated = idp.update_user_pool_replica(UserPoolId=pool, RegionName="eu-west-1", Status="INACTIVE")
    assert updated["UserPoolReplica"]["Status"] == "INACTIVE"
    deleted = idp.delete_user_pool_replica(UserPoolId=pool, RegionName="eu-west-1")
    assert deleted["UserPoolReplica"]["Status"] == "DELETING"
    assert len(idp.list_user_pool_replicas(UserPoolId=pool)["UserPoolReplicas"]) == 1
    assert refused(idp.update_user_pool_replica, UserPoolId=pool, RegionName="ap-south-1",
                   Status="ACTIVE") == "ResourceNotFoundException"


def test_2026_pool_fields_are_stored_and_returned(idp):
    created = idp.create_user_pool(
        PoolName="keys", KeyConfiguration={"KeyType": "AWS_OWNED_KEY"},
        IssuerConfiguration={"Type": "UPDATED"})["UserPool"]
    try:
        described = idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
        assert described["KeyConfiguration"] == {"KeyType": "AWS_OWNED_KEY"}
        assert described["IssuerConfiguration"] == {"Type": "UPDATED"}
    finally:
        idp.delete_user_pool(UserPoolId=created["Id"])
