//! GetClientToken: a machine-to-machine access token through the API, without a domain
//! ("the same functionality as the OAuth2 client-credentials grant").

use serde::Deserialize;

use super::oauth::client_credentials::{self, ScopeRefusal};
use super::output::ClientToken;
use crate::domain::state::ExplicitAuthFlow;
use crate::domain::{Ctx, clients};
use crate::error::{CognitoError, OpResult};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetClientTokenRequest {
    client_id: String,
    secret: String,
    scopes: Option<Vec<String>>,
}

/// The client needs its secret and ALLOW_CLIENT_TOKEN_AUTH ("To use this operation, you
/// must configure the app client with a client secret and enable the
/// ALLOW_CLIENT_TOKEN_AUTH authentication flow"); each scope asked for must be one of
/// its custom scopes, and none asked for means all of them.
pub fn get_client_token(ctx: &Ctx<'_>, req: GetClientTokenRequest) -> OpResult<ClientToken> {
    let (pool, client) = clients::by_id(ctx, &req.client_id)?;
    if client.secret.is_none() {
        return Err(CognitoError::invalid_parameter(format!(
            "Client {} does not have a client secret.",
            client.id
        )));
    }
    clients::check_secret(&client, Some(&req.secret))?;
    if !client
        .explicit_auth_flows
        .contains(&ExplicitAuthFlow::AllowClientTokenAuth)
    {
        return Err(CognitoError::invalid_parameter(
            "ALLOW_CLIENT_TOKEN_AUTH flow not enabled for this client",
        ));
    }
    let scopes = match client_credentials::scopes(ctx, &pool, &client, req.scopes.as_deref())? {
        Ok(scopes) => scopes,
        Err(ScopeRefusal::NotAllowed(scope)) => {
            return Err(CognitoError::invalid_parameter(format!(
                "Invalid scope requested: {scope}"
            )));
        }
        Err(ScopeRefusal::None) => {
            return Err(CognitoError::invalid_parameter(
                "The app client has no custom scopes to authorize.",
            ));
        }
    };
    Ok(ClientToken {
        access_token: client_credentials::access_token(ctx, &pool, &client, &scopes, None)?,
        expires_in: client.lifetimes.access,
    })
}
