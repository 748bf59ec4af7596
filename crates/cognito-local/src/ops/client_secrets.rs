//! AddUserPoolClientSecret, DeleteUserPoolClientSecret, ListUserPoolClientSecrets: the
//! rotation of a confidential client's secrets (`domain::client_secrets`).

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::client_secrets::{self, ClientSecret};
use crate::domain::{Ctx, clients};
use crate::error::OpResult;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddUserPoolClientSecretRequest {
    user_pool_id: String,
    client_id: String,
    client_secret: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserPoolClientSecretRequest {
    user_pool_id: String,
    client_id: String,
    client_secret_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientSecretsRequest {
    user_pool_id: String,
    client_id: String,
}

/// A `ClientSecretDescriptorType`; the value only where the service shows it.
fn descriptor(secret: &ClientSecret, with_value: bool) -> Value {
    let mut out = json!({
        "ClientSecretId": secret.id,
        "ClientSecretCreateDate": secret.created,
    });
    if with_value {
        out["ClientSecretValue"] = json!(secret.value);
    }
    out
}

/// "The ClientSecretValue is only returned when Amazon Cognito generates the secret.
/// For custom secrets that you provide, the ClientSecretValue is not included in the
/// response." (API reference)
pub fn add_user_pool_client_secret(
    ctx: &Ctx<'_>,
    req: AddUserPoolClientSecretRequest,
) -> OpResult<Value> {
    let mut client = clients::get(ctx, &req.user_pool_id, &req.client_id)?;
    let generated = req.client_secret.is_none();
    let secret = client_secrets::add(ctx, &mut client, req.client_secret)?;
    client.modified = ctx.now;
    clients::save(ctx, &client)?;
    Ok(json!({ "ClientSecretDescriptor": descriptor(&secret, generated) }))
}

pub fn delete_user_pool_client_secret(
    ctx: &Ctx<'_>,
    req: DeleteUserPoolClientSecretRequest,
) -> OpResult<Value> {
    let mut client = clients::get(ctx, &req.user_pool_id, &req.client_id)?;
    client_secrets::delete(&mut client, &req.client_secret_id)?;
    client.modified = ctx.now;
    clients::save(ctx, &client)?;
    Ok(json!({}))
}

/// The active secrets, oldest first, in one page (there are at most two), without
/// their values.
pub fn list_user_pool_client_secrets(
    ctx: &Ctx<'_>,
    req: ListUserPoolClientSecretsRequest,
) -> OpResult<Value> {
    let client = clients::get(ctx, &req.user_pool_id, &req.client_id)?;
    let secrets: Vec<Value> = client_secrets::of(&client)
        .iter()
        .map(|s| descriptor(s, false))
        .collect();
    Ok(json!({ "ClientSecrets": secrets }))
}
