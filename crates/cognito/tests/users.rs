//! Registration, passwords, profile, users and groups against a real cognito-local.

mod common;

use std::collections::HashMap;

use cognito::{Attributes, Error, NewUser};
use common::{PASSWORD, PoolSpec, start};
use futures_util::TryStreamExt;

#[tokio::test]
async fn register_confirm_and_reset_passwords_with_a_client_secret() {
    let local = start(PoolSpec {
        secret: true,
        ..Default::default()
    })
    .await;
    let cognito = local.cognito();
    let attr_map = HashMap::from([("mail".to_owned(), "email".to_owned())]);
    let signed_up = cognito
        .register(
            "ada",
            PASSWORD,
            Attributes::new()
                .set("mail", "ada@example.com")
                .custom("city", "London")
                .mapped(&attr_map),
        )
        .await
        .unwrap();
    assert!(!signed_up.confirmed);
    assert_eq!(
        signed_up.code_delivery.unwrap().medium.as_deref(),
        Some("EMAIL")
    );
    let err = cognito
        .register(
            "ada",
            PASSWORD,
            Attributes::new().set("email", "a@example.com"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UsernameExists(_)), "{err}");
    let err = cognito.confirm_sign_up("ada", "000000").await.unwrap_err();
    assert!(matches!(err, Error::CodeMismatch(_)), "{err}");
    cognito.resend_confirmation_code("ada").await.unwrap();
    cognito
        .confirm_sign_up("ada", &local.last_code("ada").await)
        .await
        .unwrap();

    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let user = cognito.get_user(&tokens).await.unwrap();
    assert_eq!(user.attribute("custom:city"), Some("London"));
    assert_eq!(
        user.mapped_attributes(&attr_map)
            .get("mail")
            .map(String::as_str),
        Some("ada@example.com")
    );
    assert_eq!(user.sub(), Some(signed_up.user_sub.as_str()));

    // Forgotten password.
    let delivery = cognito.forgot_password("ada").await.unwrap().unwrap();
    assert!(delivery.destination.is_some());
    let code = local.last_code("ada").await;
    let err = cognito
        .confirm_forgot_password("ada", &code, "weak")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPassword(_)), "{err}");
    cognito
        .confirm_forgot_password("ada", &code, "Second-Pass-2!")
        .await
        .unwrap();

    // Changed password.
    let tokens = cognito
        .login("ada", "Second-Pass-2!")
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    let err = cognito
        .change_password(&tokens, "not-it-Pass-1!", "Third-Pass-3!")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotAuthorized(_)), "{err}");
    cognito
        .change_password(&tokens, "Second-Pass-2!", "Third-Pass-3!")
        .await
        .unwrap();

    // Admin reset: the user must set a new password with a code.
    cognito.admin_reset_password("ada").await.unwrap();
    let err = cognito.login("ada", "Third-Pass-3!").await.unwrap_err();
    assert!(matches!(err, Error::PasswordResetRequired(_)), "{err}");
    cognito
        .admin_set_password("ada", "Fourth-Pass-4!", true)
        .await
        .unwrap();
    cognito
        .login("ada", "Fourth-Pass-4!")
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
}

#[tokio::test]
async fn profile_updates_verification_and_deletion() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();
    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();

    let mut user = cognito.get_user(&tokens).await.unwrap();
    user.set("given_name", "Ada");
    user.set("custom:city", "London");
    user.save(&cognito, &tokens).await.unwrap();
    let user = cognito.admin_get_user("ada").await.unwrap();
    assert_eq!(user.attribute("given_name"), Some("Ada"));
    assert_eq!(user.attribute("custom:city"), Some("London"));
    assert_eq!(user.enabled, Some(true));
    assert_eq!(user.status.as_deref(), Some("CONFIRMED"));
    assert!(user.created.is_some());

    // A new email must be verified with the code sent to it.
    let deliveries = cognito
        .update_profile(
            &tokens,
            Attributes::new().set("email", "ada@new.example.com"),
        )
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 1);
    let code = local.last_code("ada").await;
    let err = cognito
        .validate_verification(&tokens, "email", "000000")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CodeMismatch(_)), "{err}");
    cognito
        .validate_verification(&tokens, "email", &code)
        .await
        .unwrap();
    cognito.send_verification(&tokens, "email").await.unwrap();
    let user = cognito.get_user(&tokens).await.unwrap();
    assert_eq!(user.attribute("email_verified"), Some("true"));

    // Admin update through the object, and deletions.
    let mut user = cognito.admin_get_user("ada").await.unwrap();
    user.set("family_name", "Lovelace");
    user.admin_save(&cognito).await.unwrap();
    cognito
        .delete_attributes(&tokens, &["given_name"])
        .await
        .unwrap();
    cognito
        .admin_delete_attributes("ada", &["custom:city"])
        .await
        .unwrap();
    let user = cognito.admin_get_user("ada").await.unwrap();
    assert_eq!(user.attribute("family_name"), Some("Lovelace"));
    assert_eq!(user.attribute("given_name"), None);
    assert_eq!(user.attribute("custom:city"), None);

    cognito.delete_user(&tokens).await.unwrap();
    let err = cognito.admin_get_user("ada").await.unwrap_err();
    assert!(matches!(err, Error::UserNotFound(_)), "{err}");
}

#[tokio::test]
async fn users_listed_as_a_stream_across_pages_and_managed_by_an_admin() {
    let local = start(PoolSpec::default()).await;
    let cognito = local.cognito();
    for i in 0..65 {
        cognito
            .admin_create_user(
                &format!("user{i:02}"),
                NewUser {
                    attributes: Attributes::new().set("email", format!("u{i}@example.com")),
                    suppress_message: true,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let users: Vec<cognito::User> = cognito.list_users(None).try_collect().await.unwrap();
    assert_eq!(users.len(), 65, "more than one page of 60");
    assert!(
        users
            .iter()
            .all(|u| u.status.as_deref() == Some("FORCE_CHANGE_PASSWORD"))
    );
    let found: Vec<cognito::User> = cognito
        .list_users(Some("email = \"u7@example.com\""))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].username, "user07");

    let user = cognito.admin_get_user("user07").await.unwrap();
    user.admin_delete(&cognito).await.unwrap();
    let err = cognito.admin_delete_user("user07").await.unwrap_err();
    assert!(matches!(err, Error::UserNotFound(_)), "{err}");
    let err = cognito
        .admin_create_user("user08", NewUser::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UsernameExists(_)), "{err}");

    // Admin operations without credentials are refused.
    let anonymous = cognito::Cognito::builder()
        .pool_id(&local.pool_id)
        .client_id(&local.client_id)
        .endpoint_url(&local.url)
        .build()
        .unwrap();
    assert!(anonymous.admin_get_user("user08").await.is_err());
}

#[tokio::test]
async fn groups_and_membership() {
    let local = start(PoolSpec::default()).await;
    local.user("ada", &[]).await;
    let cognito = local.cognito();

    let admins = cognito
        .create_group("admins", Some("Administrators"), Some(1))
        .await
        .unwrap();
    assert_eq!(admins.precedence, Some(1));
    cognito.create_group("readers", None, None).await.unwrap();
    let err = cognito
        .create_group("admins", None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::GroupExists(_)), "{err}");

    let group = cognito.get_group("admins").await.unwrap();
    assert_eq!(group.description.as_deref(), Some("Administrators"));
    let names: Vec<String> = cognito
        .list_groups()
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"admins".to_owned()) && names.contains(&"readers".to_owned()));

    cognito.add_user_to_group("ada", "admins").await.unwrap();
    let groups = cognito.list_groups_for_user("ada").await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "admins");
    let members = cognito.list_users_in_group("admins").await.unwrap();
    assert_eq!(members[0].username, "ada");
    let tokens = cognito
        .login("ada", PASSWORD)
        .await
        .unwrap()
        .into_tokens()
        .unwrap();
    assert_eq!(
        tokens.claims().unwrap().access.groups,
        vec!["admins".to_owned()]
    );

    cognito
        .remove_user_from_group("ada", "admins")
        .await
        .unwrap();
    assert!(
        cognito
            .list_groups_for_user("ada")
            .await
            .unwrap()
            .is_empty()
    );
    cognito.delete_group("readers").await.unwrap();
    let err = cognito.get_group("readers").await.unwrap_err();
    assert!(matches!(err, Error::ResourceNotFound(_)), "{err}");
}
