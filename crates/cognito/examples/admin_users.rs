//! Admin user management: create users and groups, list users as a stream, disable,
//! enable and delete — against an embedded cognito-local.
//!
//! `cargo run -p cognito --example admin_users`

mod support;

use aws_sdk_cognitoidentityprovider::types::UserPoolMfaType;
use cognito::{Attributes, NewUser};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let local = support::start(UserPoolMfaType::Off).await?;
    let cognito = local.cognito()?;

    cognito
        .create_group("staff", Some("Everyone on staff"), Some(10))
        .await?;
    for name in ["ada", "grace", "linus"] {
        let user = NewUser {
            attributes: Attributes::new().set("email", format!("{name}@example.com")),
            suppress_message: true,
            ..Default::default()
        };
        cognito.admin_create_user(name, user).await?;
        cognito.add_user_to_group(name, "staff").await?;
    }
    cognito.admin_disable_user("linus").await?;

    let mut users = std::pin::pin!(cognito.list_users(None));
    while let Some(user) = users.try_next().await? {
        println!(
            "{:8} {:22} status={:22} enabled={}",
            user.username,
            user.attribute("email").unwrap_or("-"),
            user.status.as_deref().unwrap_or("-"),
            user.enabled.unwrap_or(false)
        );
    }
    let staff = cognito.list_users_in_group("staff").await?;
    println!("{} users in staff", staff.len());

    let mut grace = cognito.admin_get_user("grace").await?;
    grace.set("given_name", "Grace");
    grace.admin_save(&cognito).await?;
    cognito.admin_enable_user("linus").await?;
    cognito.admin_delete_user("linus").await?;
    println!(
        "groups of grace: {:?}",
        cognito
            .list_groups_for_user("grace")
            .await?
            .iter()
            .map(|g| &g.name)
            .collect::<Vec<_>>()
    );
    local.server.shutdown().await;
    Ok(())
}
