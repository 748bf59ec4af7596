//! `UserPoolClientType` and `UserPoolClientDescription`.

use serde_json::{Map, Value, json};

use super::put;
use crate::domain::records::ClientRecord;

/// Settings of CreateUserPoolClient and UpdateUserPoolClient kept and echoed back as given.
pub const ECHOED_SETTINGS: &[&str] = &[
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
];

/// A `UserPoolClientType`.
pub fn user_pool_client(client: &ClientRecord) -> Value {
    let mut out = Map::new();
    put(&mut out, "UserPoolId", json!(client.pool_id));
    put(&mut out, "ClientName", json!(client.name));
    put(&mut out, "ClientId", json!(client.id));
    put(&mut out, "ClientSecret", json!(client.secret));
    put(&mut out, "LastModifiedDate", json!(client.modified));
    put(&mut out, "CreationDate", json!(client.created));
    let units = &client.token_validity_units;
    let shown = |seconds: u64, unit: &str| {
        let per = match units.get(unit).and_then(Value::as_str) {
            Some("seconds") => 1,
            Some("minutes") => 60,
            Some("hours") => 3600,
            _ => 86_400,
        };
        json!(seconds / per)
    };
    put(
        &mut out,
        "AccessTokenValidity",
        shown(client.lifetimes.access, "AccessToken"),
    );
    put(
        &mut out,
        "IdTokenValidity",
        shown(client.lifetimes.id, "IdToken"),
    );
    put(
        &mut out,
        "RefreshTokenValidity",
        shown(client.lifetimes.refresh, "RefreshToken"),
    );
    put(&mut out, "TokenValidityUnits", Value::Object(units.clone()));
    if let Some(rotation) = client.refresh_rotation {
        put(
            &mut out,
            "RefreshTokenRotation",
            json!({
                "Feature": if rotation.enabled { "ENABLED" } else { "DISABLED" },
                "RetryGracePeriodSeconds": rotation.grace_seconds,
            }),
        );
    }
    if !client.read_attributes.is_empty() {
        put(&mut out, "ReadAttributes", json!(client.read_attributes));
    }
    if !client.write_attributes.is_empty() {
        put(&mut out, "WriteAttributes", json!(client.write_attributes));
    }
    put(
        &mut out,
        "ExplicitAuthFlows",
        json!(client.explicit_auth_flows),
    );
    put(
        &mut out,
        "PreventUserExistenceErrors",
        json!(client.prevent_user_existence_errors),
    );
    put(
        &mut out,
        "EnableTokenRevocation",
        json!(client.enable_token_revocation),
    );
    for (key, value) in &client.settings {
        out.insert(key.clone(), value.clone());
    }
    Value::Object(out)
}

/// A `UserPoolClientDescription`, as ListUserPoolClients gives.
pub fn description(client: &ClientRecord) -> Value {
    json!({ "ClientId": client.id, "UserPoolId": client.pool_id, "ClientName": client.name })
}
