//! One error type for every operation: Cognito's exceptions by name, plus what
//! can go wrong on this side of the wire.

use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// What this crate's operations return.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! service_errors {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )*) => {
        /// An error from Cognito or from this client.
        ///
        /// Each exception the user-pool operations can return has its own variant,
        /// holding the service's message as it was sent:
        ///
        /// ```
        /// use cognito::Error;
        ///
        /// let err = Error::from_service("NotAuthorizedException", "Incorrect username or password.");
        /// assert!(matches!(err, Error::NotAuthorized(_)));
        /// assert_eq!(err.to_string(), "NotAuthorizedException: Incorrect username or password.");
        /// assert_eq!(err.code(), Some("NotAuthorizedException"));
        /// ```
        #[derive(Debug, thiserror::Error)]
        #[non_exhaustive]
        pub enum Error {
            $(
                $(#[$doc])*
                #[error("{code}: {0}", code = $code)]
                $variant(String),
            )*
            /// Another exception from the service, by name.
            #[error("{code}: {message}")]
            Service {
                /// The exception's name.
                code: String,
                /// The service's message.
                message: String,
            },
            /// The request never got an answer from the service (connection, timeout, malformed response).
            #[error("transport: {0}")]
            Transport(String),
            /// The pool id is not `<region>_<id>`.
            #[error("invalid user pool id {0:?}: expected <region>_<id>")]
            InvalidPoolId(String),
            /// The client is missing a setting it needs.
            #[error("configuration: {0}")]
            Config(String),
            /// The SRP exchange failed on this side (a safety check, or a malformed challenge).
            #[error("SRP: {0}")]
            Srp(#[from] cognito_srp::SrpError),
            /// A token failed verification.
            #[error("token verification: {0}")]
            Verify(#[from] cognito_jwt::VerifyError),
            /// There is no refresh token to renew with.
            #[error("no refresh token: log in again")]
            NoRefreshToken,
            /// The login needs the answer to a challenge before it gives tokens.
            #[error("Cognito asks for the {0} challenge")]
            ChallengeRequired(String),
            /// The answer given is for another challenge than the one pending.
            #[error("the pending challenge is {pending}, not {answered}")]
            WrongChallenge {
                /// The challenge Cognito asked for.
                pending: String,
                /// The challenge the answer was for.
                answered: &'static str,
            },
            /// The service answered in a way Cognito never does.
            #[error("unexpected response: {0}")]
            UnexpectedResponse(String),
            /// The token store failed.
            #[error("token store: {0}")]
            Store(String),
        }

        impl Error {
            /// The error for a Cognito exception name and message.
            pub fn from_service(code: &str, message: &str) -> Self {
                let message = message.to_owned();
                match code {
                    $( $code => Error::$variant(message), )*
                    _ => Error::Service { code: code.to_owned(), message },
                }
            }

            /// The Cognito exception's name, for errors that came from the service.
            pub fn code(&self) -> Option<&str> {
                match self {
                    $( Error::$variant(_) => Some($code), )*
                    Error::Service { code, .. } => Some(code),
                    _ => None,
                }
            }
        }
    };
}

service_errors! {
    /// `AliasExistsException`: the email or phone number already belongs to another user.
    AliasExists => "AliasExistsException",
    /// `CodeDeliveryFailureException`: the code could not be sent.
    CodeDeliveryFailure => "CodeDeliveryFailureException",
    /// `CodeMismatchException`: a wrong confirmation, verification or MFA code.
    CodeMismatch => "CodeMismatchException",
    /// `ConcurrentModificationException`.
    ConcurrentModification => "ConcurrentModificationException",
    /// `DeviceKeyExistsException`.
    DeviceKeyExists => "DeviceKeyExistsException",
    /// `EnableSoftwareTokenMFAException`: the TOTP code did not verify.
    EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
    /// `ExpiredCodeException`: the code has expired.
    ExpiredCode => "ExpiredCodeException",
    /// `ForbiddenException`: blocked by AWS WAF.
    Forbidden => "ForbiddenException",
    /// `GroupExistsException`.
    GroupExists => "GroupExistsException",
    /// `InternalErrorException`.
    Internal => "InternalErrorException",
    /// `InvalidEmailRoleAccessPolicyException`.
    InvalidEmailRoleAccessPolicy => "InvalidEmailRoleAccessPolicyException",
    /// `InvalidLambdaResponseException`.
    InvalidLambdaResponse => "InvalidLambdaResponseException",
    /// `InvalidParameterException`: a parameter the service refused.
    InvalidParameter => "InvalidParameterException",
    /// `InvalidPasswordException`: the password does not meet the pool's policy.
    InvalidPassword => "InvalidPasswordException",
    /// `InvalidSmsRoleAccessPolicyException`.
    InvalidSmsRoleAccessPolicy => "InvalidSmsRoleAccessPolicyException",
    /// `InvalidSmsRoleTrustRelationshipException`.
    InvalidSmsRoleTrustRelationship => "InvalidSmsRoleTrustRelationshipException",
    /// `InvalidUserPoolConfigurationException`.
    InvalidUserPoolConfiguration => "InvalidUserPoolConfigurationException",
    /// `LimitExceededException`: too many requests or attempts for now.
    LimitExceeded => "LimitExceededException",
    /// `MFAMethodNotFoundException`: no MFA method the challenge could use.
    MfaMethodNotFound => "MFAMethodNotFoundException",
    /// `NotAuthorizedException`: wrong password, revoked token, disabled user, flow not allowed…
    NotAuthorized => "NotAuthorizedException",
    /// `PasswordHistoryPolicyViolationException`.
    PasswordHistoryPolicyViolation => "PasswordHistoryPolicyViolationException",
    /// `PasswordResetRequiredException`: an administrator reset the password.
    PasswordResetRequired => "PasswordResetRequiredException",
    /// `ResourceNotFoundException`: no such pool, client or device.
    ResourceNotFound => "ResourceNotFoundException",
    /// `SoftwareTokenMFANotFoundException`: TOTP is not set up for the user.
    SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
    /// `TooManyFailedAttemptsException`.
    TooManyFailedAttempts => "TooManyFailedAttemptsException",
    /// `TooManyRequestsException`: throttled.
    TooManyRequests => "TooManyRequestsException",
    /// `UnauthorizedException`.
    Unauthorized => "UnauthorizedException",
    /// `UnexpectedLambdaException`.
    UnexpectedLambda => "UnexpectedLambdaException",
    /// `UnsupportedOperationException`.
    UnsupportedOperation => "UnsupportedOperationException",
    /// `UnsupportedTokenTypeException`.
    UnsupportedTokenType => "UnsupportedTokenTypeException",
    /// `UnsupportedUserStateException`: the user is not in a state that allows this.
    UnsupportedUserState => "UnsupportedUserStateException",
    /// `UserLambdaValidationException`.
    UserLambdaValidation => "UserLambdaValidationException",
    /// `UserNotConfirmedException`: the user has not confirmed sign-up.
    UserNotConfirmed => "UserNotConfirmedException",
    /// `UserNotFoundException`.
    UserNotFound => "UserNotFoundException",
    /// `UsernameExistsException`.
    UsernameExists => "UsernameExistsException",
}

impl<E, R> From<SdkError<E, R>> for Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    fn from(err: SdkError<E, R>) -> Self {
        match &err {
            SdkError::ServiceError(service) => {
                let inner = service.err();
                match inner.code() {
                    Some(code) => Error::from_service(code, inner.message().unwrap_or("")),
                    None => Error::Transport(DisplayErrorContext(&err).to_string()),
                }
            }
            _ => Error::Transport(DisplayErrorContext(&err).to_string()),
        }
    }
}

impl From<cognito_jwt::ConfigError> for Error {
    fn from(err: cognito_jwt::ConfigError) -> Self {
        Error::Config(err.to_string())
    }
}
