//! The table of operations: each name, how the SDKs authenticate it, and its handler.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::output::{Output, Reply};
use super::{
    auth, auth_events, branding, cimd_policies, client_secrets, client_token, clients,
    derived_token, devices, groups, identity_providers, imports, limits, mfa, pool_configs,
    pool_domains, pool_mfa, pools, provider_links, recovery, replicas, resource_servers, signed_in,
    signup, tags, terms, ui, user_sessions, users,
};
use crate::domain::Ctx;
use crate::error::{CognitoError, ErrorKind, OpResult};

/// How a request authenticates itself to the real service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Signed with AWS credentials (SigV4): the admin and management operations.
    SigV4,
    /// Unsigned: the operations users call for themselves.
    None,
}

macro_rules! operations {
    ($($name:ident => $handler:path, $auth:ident;)*) => {
        /// The operations this server implements.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Operation { $($name,)* }

        impl Operation {
            /// The operation named in `X-Amz-Target`.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $(stringify!($name) => Some(Self::$name),)* _ => None }
            }

            /// The operation's name.
            pub fn name(self) -> &'static str {
                match self { $(Self::$name => stringify!($name),)* }
            }

            /// Whether the SDKs sign it.
            pub fn auth(self) -> Auth {
                match self { $(Self::$name => Auth::$auth,)* }
            }

            /// Every operation.
            pub const ALL: &'static [Operation] = &[$(Self::$name,)*];
        }

        /// Runs an operation on a decoded JSON body.
        pub(super) fn dispatch(ctx: &Ctx<'_>, op: Operation, body: Value) -> OpResult<Output> {
            match op { $(Operation::$name => $handler(ctx, decode(body)?)?.into_output(),)* }
        }
    };
}

operations! {
    CreateUserPool => pools::create_user_pool, SigV4;
    DescribeUserPool => pools::describe_user_pool, SigV4;
    CreateUserPoolDomain => pool_domains::create_user_pool_domain, SigV4;
    DescribeUserPoolDomain => pool_domains::describe_user_pool_domain, SigV4;
    UpdateUserPoolDomain => pool_domains::update_user_pool_domain, SigV4;
    DeleteUserPoolDomain => pool_domains::delete_user_pool_domain, SigV4;
    CreateResourceServer => resource_servers::create_resource_server, SigV4;
    DescribeResourceServer => resource_servers::describe_resource_server, SigV4;
    UpdateResourceServer => resource_servers::update_resource_server, SigV4;
    DeleteResourceServer => resource_servers::delete_resource_server, SigV4;
    ListResourceServers => resource_servers::list_resource_servers, SigV4;
    CreateIdentityProvider => identity_providers::create_identity_provider, SigV4;
    DescribeIdentityProvider => identity_providers::describe_identity_provider, SigV4;
    UpdateIdentityProvider => identity_providers::update_identity_provider, SigV4;
    DeleteIdentityProvider => identity_providers::delete_identity_provider, SigV4;
    ListIdentityProviders => identity_providers::list_identity_providers, SigV4;
    GetIdentityProviderByIdentifier => identity_providers::get_identity_provider_by_identifier, SigV4;
    AdminLinkProviderForUser => provider_links::admin_link_provider_for_user, SigV4;
    AdminDisableProviderForUser => provider_links::admin_disable_provider_for_user, SigV4;
    CreateManagedLoginBranding => branding::create_managed_login_branding, SigV4;
    DescribeManagedLoginBranding => branding::describe_managed_login_branding, SigV4;
    DescribeManagedLoginBrandingByClient => branding::describe_managed_login_branding_by_client, SigV4;
    UpdateManagedLoginBranding => branding::update_managed_login_branding, SigV4;
    DeleteManagedLoginBranding => branding::delete_managed_login_branding, SigV4;
    CreateTerms => terms::create_terms, SigV4;
    DescribeTerms => terms::describe_terms, SigV4;
    DescribeTermsByClient => terms::describe_terms_by_client, SigV4;
    ListTerms => terms::list_terms, SigV4;
    UpdateTerms => terms::update_terms, SigV4;
    DeleteTerms => terms::delete_terms, SigV4;
    GetClientToken => client_token::get_client_token, None;
    GetDerivedToken => derived_token::get_derived_token, None;
    CreateCIMDPolicy => cimd_policies::create_cimd_policy, SigV4;
    DescribeCIMDPolicy => cimd_policies::describe_cimd_policy, SigV4;
    UpdateCIMDPolicy => cimd_policies::update_cimd_policy, SigV4;
    DeleteCIMDPolicy => cimd_policies::delete_cimd_policy, SigV4;
    ListCIMDPolicies => cimd_policies::list_cimd_policies, SigV4;
    ListClientMetadataURLs => cimd_policies::list_client_metadata_urls, SigV4;
    UpdateClientMetadataURLState => cimd_policies::update_client_metadata_url_state, SigV4;
    UpdateUserPool => pools::update_user_pool, SigV4;
    DeleteUserPool => pools::delete_user_pool, SigV4;
    ListUserPools => pools::list_user_pools, SigV4;
    AddCustomAttributes => pools::add_custom_attributes, SigV4;
    GetCSVHeader => pools::get_csv_header, SigV4;
    CreateUserImportJob => imports::create_user_import_job, SigV4;
    DescribeUserImportJob => imports::describe_user_import_job, SigV4;
    ListUserImportJobs => imports::list_user_import_jobs, SigV4;
    StartUserImportJob => imports::start_user_import_job, SigV4;
    StopUserImportJob => imports::stop_user_import_job, SigV4;
    GetSigningCertificate => pools::get_signing_certificate, SigV4;
    InitiatePointInTimeRecovery => recovery::initiate_point_in_time_recovery, SigV4;
    StartPointInTimeRecovery => recovery::start_point_in_time_recovery, SigV4;
    CancelPointInTimeRecovery => recovery::cancel_point_in_time_recovery, SigV4;
    DescribePointInTimeRecovery => recovery::describe_point_in_time_recovery, SigV4;
    ListPointInTimeRecoveries => recovery::list_point_in_time_recoveries, SigV4;
    CreateUserPoolReplica => replicas::create_user_pool_replica, SigV4;
    UpdateUserPoolReplica => replicas::update_user_pool_replica, SigV4;
    DeleteUserPoolReplica => replicas::delete_user_pool_replica, SigV4;
    ListUserPoolReplicas => replicas::list_user_pool_replicas, SigV4;
    GetProvisionedLimit => limits::get_provisioned_limit, SigV4;
    UpdateProvisionedLimit => limits::update_provisioned_limit, SigV4;
    TagResource => tags::tag_resource, SigV4;
    GetUICustomization => ui::get_ui_customization, SigV4;
    SetUICustomization => ui::set_ui_customization, SigV4;
    UntagResource => tags::untag_resource, SigV4;
    ListTagsForResource => tags::list_tags_for_resource, SigV4;
    CreateUserPoolClient => clients::create_user_pool_client, SigV4;
    DescribeUserPoolClient => clients::describe_user_pool_client, SigV4;
    UpdateUserPoolClient => clients::update_user_pool_client, SigV4;
    DeleteUserPoolClient => clients::delete_user_pool_client, SigV4;
    ListUserPoolClients => clients::list_user_pool_clients, SigV4;
    AddUserPoolClientSecret => client_secrets::add_user_pool_client_secret, SigV4;
    DeleteUserPoolClientSecret => client_secrets::delete_user_pool_client_secret, SigV4;
    ListUserPoolClientSecrets => client_secrets::list_user_pool_client_secrets, SigV4;
    AdminCreateUser => users::admin_create_user, SigV4;
    AdminGetUser => users::admin_get_user, SigV4;
    AdminDeleteUser => users::admin_delete_user, SigV4;
    AdminUpdateUserAttributes => users::admin_update_user_attributes, SigV4;
    AdminDeleteUserAttributes => users::admin_delete_user_attributes, SigV4;
    AdminDisableUser => users::admin_disable_user, SigV4;
    AdminEnableUser => users::admin_enable_user, SigV4;
    AdminConfirmSignUp => users::admin_confirm_sign_up, SigV4;
    AdminResetUserPassword => users::admin_reset_user_password, SigV4;
    AdminSetUserPassword => users::admin_set_user_password, SigV4;
    AdminSetUserSettings => users::admin_set_user_settings, SigV4;
    ListUsers => users::list_users, SigV4;
    AdminListUserAuthEvents => auth_events::admin_list_user_auth_events, SigV4;
    AdminUpdateAuthEventFeedback => auth_events::admin_update_auth_event_feedback, SigV4;
    SignUp => signup::sign_up, None;
    ConfirmSignUp => signup::confirm_sign_up, None;
    UpdateAuthEventFeedback => auth_events::update_auth_event_feedback, None;
    ResendConfirmationCode => signup::resend_confirmation_code, None;
    ForgotPassword => signup::forgot_password, None;
    ConfirmForgotPassword => signup::confirm_forgot_password, None;
    CreateGroup => groups::create_group, SigV4;
    GetGroup => groups::get_group, SigV4;
    UpdateGroup => groups::update_group, SigV4;
    DeleteGroup => groups::delete_group, SigV4;
    ListGroups => groups::list_groups, SigV4;
    AdminAddUserToGroup => groups::admin_add_user_to_group, SigV4;
    AdminRemoveUserFromGroup => groups::admin_remove_user_from_group, SigV4;
    AdminListGroupsForUser => groups::admin_list_groups_for_user, SigV4;
    ListUsersInGroup => groups::list_users_in_group, SigV4;
    InitiateAuth => auth::initiate_auth, None;
    AdminInitiateAuth => auth::admin_initiate_auth, SigV4;
    RespondToAuthChallenge => auth::respond_to_auth_challenge, None;
    AdminRespondToAuthChallenge => auth::admin_respond_to_auth_challenge, SigV4;
    GetTokensFromRefreshToken => auth::get_tokens_from_refresh_token, None;
    GetUser => signed_in::get_user, None;
    GlobalSignOut => signed_in::global_sign_out, None;
    AdminUserGlobalSignOut => signed_in::admin_user_global_sign_out, SigV4;
    RevokeToken => signed_in::revoke_token, None;
    UpdateUserAttributes => signed_in::update_user_attributes, None;
    DeleteUserAttributes => signed_in::delete_user_attributes, None;
    DeleteUser => signed_in::delete_user, None;
    ChangePassword => signed_in::change_password, None;
    GetUserAttributeVerificationCode => signed_in::get_user_attribute_verification_code, None;
    VerifyUserAttribute => signed_in::verify_user_attribute, None;
    SetUserSettings => signed_in::set_user_settings, None;
    AssociateSoftwareToken => mfa::associate_software_token, None;
    VerifySoftwareToken => mfa::verify_software_token, None;
    SetUserMFAPreference => mfa::set_user_mfa_preference, None;
    AdminSetUserMFAPreference => mfa::admin_set_user_mfa_preference, SigV4;
    AdminDeleteSoftwareToken => mfa::admin_delete_software_token, SigV4;
    SetUserPoolMfaConfig => pool_mfa::set_user_pool_mfa_config, SigV4;
    SetRiskConfiguration => pool_configs::set_risk_configuration, SigV4;
    DescribeRiskConfiguration => pool_configs::describe_risk_configuration, SigV4;
    SetLogDeliveryConfiguration => pool_configs::set_log_delivery_configuration, SigV4;
    GetLogDeliveryConfiguration => pool_configs::get_log_delivery_configuration, SigV4;
    GetUserPoolMfaConfig => pool_mfa::get_user_pool_mfa_config, SigV4;
    ConfirmDevice => devices::confirm_device, None;
    GetDevice => devices::get_device, None;
    ListDevices => devices::list_devices, None;
    UpdateDeviceStatus => devices::update_device_status, None;
    ForgetDevice => devices::forget_device, None;
    GetUserPoolSessionConfiguration => user_sessions::get_user_pool_session_configuration, SigV4;
    SetUserPoolSessionConfiguration => user_sessions::set_user_pool_session_configuration, SigV4;
    GetUserPoolClientSessionConfiguration => user_sessions::get_user_pool_client_session_configuration, SigV4;
    SetUserPoolClientSessionConfiguration => user_sessions::set_user_pool_client_session_configuration, SigV4;
    AdminListUserSessions => user_sessions::admin_list_user_sessions, SigV4;
    ListUserSessions => user_sessions::list_user_sessions, None;
    AdminRevokeUserSession => user_sessions::admin_revoke_user_session, SigV4;
    RevokeUserSession => user_sessions::revoke_user_session, None;
    AdminGetDevice => devices::get_device, SigV4;
    AdminListDevices => devices::list_devices, SigV4;
    AdminUpdateDeviceStatus => devices::update_device_status, SigV4;
    AdminForgetDevice => devices::forget_device, SigV4;
}

/// Decodes a request, turning serde's complaints into the service's errors.
fn decode<T: DeserializeOwned>(body: Value) -> OpResult<T> {
    serde_json::from_value(body).map_err(|e| {
        let text = e.to_string();
        match text
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            Some(member) => {
                CognitoError::validation(&camel(member), None, "Member must not be null")
            }
            None => CognitoError::new(ErrorKind::SerializationException, text),
        }
    })
}

/// `UserPoolId` → `userPoolId`, as the service names members in messages.
fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
