//! The states the service names, as enums. Their serde names are the service's own
//! (and the store's), so records written before these types read back unchanged.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines an enum of names, its `as_str`, `parse` and `ALL`, and serde by name.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in the order the service lists them.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The names of every value.
            #[allow(dead_code)]
            pub const NAMES: &'static [&'static str] = &[$($text,)*];

            /// The service's name for it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// The value of a name.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {}: {text}", stringify!($name)))
                })
            }
        }
    };
}

named! {
    /// `UserStatusType`.
    UserStatus {
        Unconfirmed = "UNCONFIRMED",
        Confirmed = "CONFIRMED",
        Archived = "ARCHIVED",
        Compromised = "COMPROMISED",
        Unknown = "UNKNOWN",
        ResetRequired = "RESET_REQUIRED",
        ForceChangePassword = "FORCE_CHANGE_PASSWORD",
        ExternalProvider = "EXTERNAL_PROVIDER",
    }
}

named! {
    /// `CIMDCacheActionType`: what UpdateClientMetadataURLState does to a cached
    /// client metadata document.
    CimdCacheAction {
        Refresh = "REFRESH",
        Invalidate = "INVALIDATE",
    }
}

named! {
    /// `UserPoolMfaType`.
    MfaConfiguration {
        Off = "OFF",
        On = "ON",
        Optional = "OPTIONAL",
    }
}

named! {
    /// `UserPoolTierType`: the feature plan of a pool.
    Tier {
        Lite = "LITE",
        Essentials = "ESSENTIALS",
        Plus = "PLUS",
    }
}

named! {
    /// `AdvancedSecurityModeType`: threat protection.
    AdvancedSecurityMode {
        Off = "OFF",
        Audit = "AUDIT",
        Enforced = "ENFORCED",
    }
}

named! {
    /// `EventType` of an auth event.
    AuthEventKind {
        SignIn = "SignIn",
        SignUp = "SignUp",
        ForgotPassword = "ForgotPassword",
        PasswordChange = "PasswordChange",
        ResendCode = "ResendCode",
    }
}

named! {
    /// `EventResponseType`.
    EventResponse {
        Pass = "Pass",
        Fail = "Fail",
        InProgress = "InProgress",
    }
}

named! {
    /// `RiskLevelType`: how likely threat protection finds a sign-in not the user's.
    RiskLevel {
        Low = "Low",
        Medium = "Medium",
        High = "High",
    }
}

named! {
    /// `RiskDecisionType`.
    RiskDecision {
        NoRisk = "NoRisk",
        AccountTakeover = "AccountTakeover",
        Block = "Block",
    }
}

named! {
    /// `AccountTakeoverEventActionType`: what adaptive authentication does at a risk level.
    TakeoverAction {
        Block = "BLOCK",
        MfaIfConfigured = "MFA_IF_CONFIGURED",
        MfaRequired = "MFA_REQUIRED",
        NoAction = "NO_ACTION",
    }
}

named! {
    /// `FeedbackValueType`.
    FeedbackValue {
        Valid = "Valid",
        Invalid = "Invalid",
    }
}

named! {
    /// `UserImportJobStatusType`.
    ImportStatus {
        Created = "Created",
        Pending = "Pending",
        InProgress = "InProgress",
        Stopping = "Stopping",
        Expired = "Expired",
        Stopped = "Stopped",
        Failed = "Failed",
        Succeeded = "Succeeded",
    }
}

named! {
    /// `ReplicaStatusType`.
    ReplicaStatus {
        Creating = "CREATING",
        Active = "ACTIVE",
        Inactive = "INACTIVE",
        Deleting = "DELETING",
    }
}

named! {
    /// `RestoreStatusType` of a point-in-time recovery.
    RestoreStatus {
        PreviewGenerating = "PREVIEW_GENERATING",
        PreviewGenerated = "PREVIEW_GENERATED",
        PreviewCancelled = "PREVIEW_CANCELLED",
        PreviewGenerationFailed = "PREVIEW_GENERATION_FAILED",
        PreviewExpired = "PREVIEW_EXPIRED",
        Restoring = "RESTORING",
        RestoreCompleted = "RESTORE_COMPLETED",
        TemporaryInternalError = "TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE",
        AwsAborted = "AWS_ABORTED",
    }
}

named! {
    /// `PasswordHashingAlgorithmType` of a user import job.
    HashAlgorithm {
        Bcrypt = "BCRYPT",
        Scrypt = "SCRYPT",
        Argon2id = "ARGON2ID",
        Pbkdf2Sha256 = "PBKDF2_SHA256",
    }
}

named! {
    /// `PreventUserExistenceErrorTypes`.
    PreventUserExistenceErrors {
        Legacy = "LEGACY",
        Enabled = "ENABLED",
    }
}

named! {
    /// `AuthFlowType`, the flows this server signs in with.
    AuthFlow {
        UserSrpAuth = "USER_SRP_AUTH",
        RefreshTokenAuth = "REFRESH_TOKEN_AUTH",
        RefreshToken = "REFRESH_TOKEN",
        CustomAuth = "CUSTOM_AUTH",
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        UserPasswordAuth = "USER_PASSWORD_AUTH",
        AdminUserPasswordAuth = "ADMIN_USER_PASSWORD_AUTH",
    }
}

named! {
    /// `ExplicitAuthFlowsType`: legacy names first, then the `ALLOW_*` ones.
    ExplicitAuthFlow {
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        CustomAuthFlowOnly = "CUSTOM_AUTH_FLOW_ONLY",
        UserPasswordAuth = "USER_PASSWORD_AUTH",
        AllowAdminUserPasswordAuth = "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        AllowCustomAuth = "ALLOW_CUSTOM_AUTH",
        AllowUserPasswordAuth = "ALLOW_USER_PASSWORD_AUTH",
        AllowUserSrpAuth = "ALLOW_USER_SRP_AUTH",
        AllowRefreshTokenAuth = "ALLOW_REFRESH_TOKEN_AUTH",
        AllowUserAuth = "ALLOW_USER_AUTH",
        AllowClientTokenAuth = "ALLOW_CLIENT_TOKEN_AUTH",
        AllowTokenExchangeDelegation = "ALLOW_TOKEN_EXCHANGE_DELEGATION",
        AllowTokenExchangeImpersonation = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
    }
}

named! {
    /// `OAuthFlowType`: the OAuth 2.0 grants an app client may use.
    OAuthFlow {
        Code = "code",
        Implicit = "implicit",
        ClientCredentials = "client_credentials",
    }
}

impl ExplicitAuthFlow {
    /// A name from before the `ALLOW_*` names (2019).
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            ExplicitAuthFlow::AdminNoSrpAuth
                | ExplicitAuthFlow::CustomAuthFlowOnly
                | ExplicitAuthFlow::UserPasswordAuth
        )
    }
}

named! {
    /// `ChallengeNameType`, the challenges this server asks and answers.
    ChallengeName {
        SmsMfa = "SMS_MFA",
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        SelectMfaType = "SELECT_MFA_TYPE",
        MfaSetup = "MFA_SETUP",
        PasswordVerifier = "PASSWORD_VERIFIER",
        CustomChallenge = "CUSTOM_CHALLENGE",
        DeviceSrpAuth = "DEVICE_SRP_AUTH",
        DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
    }
}

named! {
    /// A second factor: the MFA challenge it answers, as `UserMFASettingList` names it.
    MfaMethod {
        Sms = "SMS_MFA",
        SoftwareToken = "SOFTWARE_TOKEN_MFA",
    }
}

impl MfaMethod {
    /// The challenge that asks for it.
    pub fn challenge(self) -> ChallengeName {
        match self {
            MfaMethod::Sms => ChallengeName::SmsMfa,
            MfaMethod::SoftwareToken => ChallengeName::SoftwareTokenMfa,
        }
    }
}

named! {
    /// `DeliveryMediumType`.
    DeliveryMedium {
        Sms = "SMS",
        Email = "EMAIL",
    }
}

named! {
    /// `MessageActionType`.
    MessageAction {
        Resend = "RESEND",
        Suppress = "SUPPRESS",
    }
}

named! {
    /// `DeviceRememberedStatusType`.
    DeviceRememberedStatus {
        Remembered = "remembered",
        NotRemembered = "not_remembered",
    }
}

named! {
    /// The attributes a code can verify.
    VerifiableAttribute {
        Email = "email",
        PhoneNumber = "phone_number",
    }
}

/// What a code sent to a user is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodePurpose {
    /// Confirming a sign-up.
    SignUp,
    /// Resetting a password.
    ForgotPassword,
    /// Verifying an attribute.
    Verify(VerifiableAttribute),
}

impl CodePurpose {
    /// The stored and outbox name: `signup`, `forgot_password`, `verify:email`...
    pub fn name(self) -> &'static str {
        match self {
            CodePurpose::SignUp => "signup",
            CodePurpose::ForgotPassword => "forgot_password",
            CodePurpose::Verify(VerifiableAttribute::Email) => "verify:email",
            CodePurpose::Verify(VerifiableAttribute::PhoneNumber) => "verify:phone_number",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "signup" => Some(CodePurpose::SignUp),
            "forgot_password" => Some(CodePurpose::ForgotPassword),
            _ => text
                .strip_prefix("verify:")
                .and_then(VerifiableAttribute::parse)
                .map(CodePurpose::Verify),
        }
    }
}

impl Serialize for CodePurpose {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CodePurpose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown code purpose: {text}")))
    }
}

/// Why a message went to the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessagePurpose {
    /// A code for a [`CodePurpose`].
    Code(CodePurpose),
    /// AdminCreateUser's invitation with the temporary password.
    Invitation,
    /// An SMS_MFA code.
    Mfa,
    /// Threat protection's notice of a risky sign-in, with its feedback links.
    RiskNotice,
}

impl MessagePurpose {
    /// The outbox's name for it.
    pub fn name(self) -> &'static str {
        match self {
            MessagePurpose::Code(code) => code.name(),
            MessagePurpose::Invitation => "invitation",
            MessagePurpose::Mfa => "mfa",
            MessagePurpose::RiskNotice => "risk_notification",
        }
    }
}

named! {
    /// `TermsNameType`: the two documents an app client's sign-up page links to.
    TermsName {
        TermsOfUse = "terms-of-use",
        PrivacyPolicy = "privacy-policy",
    }
}

named! {
    /// `TermsSourceType`: where a terms document is (a link; the only source so far).
    TermsSource {
        Link = "LINK",
    }
}

named! {
    /// `TermsEnforcementType`: how acceptance is asked for (not at all, so far).
    TermsEnforcement {
        Unenforced = "NONE",
    }
}

named! {
    /// `IdentityProviderTypeType`.
    ProviderType {
        Saml = "SAML",
        Facebook = "Facebook",
        Google = "Google",
        LoginWithAmazon = "LoginWithAmazon",
        SignInWithApple = "SignInWithApple",
        Oidc = "OIDC",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_as_stored() {
        for status in UserStatus::ALL {
            let text = serde_json::to_string(status).unwrap();
            assert_eq!(serde_json::from_str::<UserStatus>(&text).unwrap(), *status);
        }
        for purpose in [
            "signup",
            "forgot_password",
            "verify:email",
            "verify:phone_number",
        ] {
            let parsed: CodePurpose = serde_json::from_value(serde_json::json!(purpose)).unwrap();
            assert_eq!(parsed.name(), purpose);
        }
        assert!(serde_json::from_str::<CodePurpose>("\"verify:name\"").is_err());
        assert_eq!(MfaMethod::Sms.challenge(), ChallengeName::SmsMfa);
    }
}
