//! Groups through the official AWS SDK for Rust.

mod common;

use aws_sdk_cognitoidentityprovider::types::MessageActionType;
use common::{error_of, pool_with, start};

#[tokio::test]
async fn groups_and_memberships() {
    let local = start().await;
    let sdk = &local.sdk;
    let pool_id = pool_with(sdk, |b| b).await;
    for user in ["gina", "hank"] {
        sdk.admin_create_user()
            .user_pool_id(&pool_id)
            .username(user)
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
    }
    let created = sdk
        .create_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .description("Admins")
        .precedence(1)
        .send()
        .await
        .unwrap();
    assert_eq!(created.group().unwrap().precedence(), Some(1));
    sdk.create_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .send()
        .await
        .unwrap();
    let (code, message) = error_of(
        sdk.create_group()
            .user_pool_id(&pool_id)
            .group_name("admins")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "GroupExistsException",
            "A group with the name admins already exists."
        )
    );
    let (code, _) = error_of(
        sdk.create_group()
            .user_pool_id(&pool_id)
            .group_name("bad name")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "InvalidParameterException");

    let updated = sdk
        .update_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .description("Edit things")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.group().unwrap().description(), Some("Edit things"));
    let got = sdk
        .get_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .send()
        .await
        .unwrap();
    assert_eq!(got.group().unwrap().description(), Some("Edit things"));
    let (code, message) = error_of(
        sdk.get_group()
            .user_pool_id(&pool_id)
            .group_name("nope")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("ResourceNotFoundException", "Group not found.")
    );

    let listed = sdk
        .list_groups()
        .user_pool_id(&pool_id)
        .limit(1)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.groups().len(), 1);
    let rest = sdk
        .list_groups()
        .user_pool_id(&pool_id)
        .set_next_token(listed.next_token().map(str::to_owned))
        .send()
        .await
        .unwrap();
    assert_eq!(rest.groups().len(), 1);
    assert!(rest.next_token().is_none());

    for (user, group) in [("gina", "admins"), ("gina", "editors"), ("hank", "editors")] {
        sdk.admin_add_user_to_group()
            .user_pool_id(&pool_id)
            .username(user)
            .group_name(group)
            .send()
            .await
            .unwrap();
    }
    let (code, _) = error_of(
        sdk.admin_add_user_to_group()
            .user_pool_id(&pool_id)
            .username("nobody")
            .group_name("admins")
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(code, "UserNotFoundException");
    let groups = sdk
        .admin_list_groups_for_user()
        .user_pool_id(&pool_id)
        .username("gina")
        .send()
        .await
        .unwrap();
    let names: Vec<_> = groups
        .groups()
        .iter()
        .filter_map(|g| g.group_name())
        .collect();
    assert_eq!(names, ["admins", "editors"]);
    let members = sdk
        .list_users_in_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .send()
        .await
        .unwrap();
    assert_eq!(members.users().len(), 2);

    sdk.admin_remove_user_from_group()
        .user_pool_id(&pool_id)
        .username("gina")
        .group_name("editors")
        .send()
        .await
        .unwrap();
    let members = sdk
        .list_users_in_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .send()
        .await
        .unwrap();
    assert_eq!(
        members
            .users()
            .iter()
            .filter_map(|u| u.username())
            .collect::<Vec<_>>(),
        ["hank"]
    );

    sdk.delete_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    let groups = sdk
        .admin_list_groups_for_user()
        .user_pool_id(&pool_id)
        .username("gina")
        .send()
        .await
        .unwrap();
    assert!(groups.groups().is_empty());
    sdk.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("hank")
        .send()
        .await
        .unwrap();
    let members = sdk
        .list_users_in_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .send()
        .await
        .unwrap();
    assert!(members.users().is_empty());

    // Deleted memberships are gone, not hidden: a namesake user or group starts empty.
    sdk.admin_create_user()
        .user_pool_id(&pool_id)
        .username("hank")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    sdk.create_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    for (user, group) in [("hank", "editors"), ("gina", "admins")] {
        let groups = sdk
            .admin_list_groups_for_user()
            .user_pool_id(&pool_id)
            .username(user)
            .send()
            .await
            .unwrap();
        assert!(
            groups
                .groups()
                .iter()
                .all(|g| g.group_name() != Some(group)),
            "{user} is not in {group}"
        );
        let members = sdk
            .list_users_in_group()
            .user_pool_id(&pool_id)
            .group_name(group)
            .send()
            .await
            .unwrap();
        assert!(
            members.users().iter().all(|u| u.username() != Some(user)),
            "{group} does not list {user}"
        );
    }
}
