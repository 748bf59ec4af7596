//! Cognito's exceptions, as they go on the wire: what operations, the domain layer and
//! the protocol all answer with.

use std::fmt;

/// The exceptions the local server answers with, named as the real service names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs, clippy::enum_variant_names)]
pub enum ErrorKind {
    AliasExistsException,
    CachedCIMDURLDoesNotExistException,
    CodeMismatchException,
    DuplicateProviderException,
    ConcurrentModificationException,
    EnableSoftwareTokenMFAException,
    ExpiredCodeException,
    FeatureUnavailableInTierException,
    GroupExistsException,
    IncompleteSignatureException,
    InternalErrorException,
    InvalidLambdaResponseException,
    InvalidOAuthFlowException,
    InvalidParameterException,
    InvalidPasswordException,
    InvalidSignatureException,
    LimitExceededException,
    ManagedLoginBrandingExistsException,
    MissingAuthenticationTokenException,
    NotAuthorizedException,
    OperationNotEnabledException,
    PasswordResetRequiredException,
    PreconditionNotMetException,
    RefreshTokenReuseException,
    ResourceNotFoundException,
    SoftwareTokenMFANotFoundException,
    TermsExistsException,
    ScopeDoesNotExistException,
    SerializationException,
    ServiceQuotaExceededException,
    UnexpectedLambdaException,
    UnknownOperationException,
    UnrecognizedClientException,
    UnsupportedOperationException,
    UnsupportedUserStateException,
    UserLambdaValidationException,
    UserNotConfirmedException,
    UserNotFoundException,
    UserPoolAddOnNotEnabledException,
    UsernameExistsException,
}

impl ErrorKind {
    /// The exception's name, for `__type` and `x-amzn-ErrorType`.
    pub fn name(self) -> &'static str {
        use ErrorKind::*;
        match self {
            AliasExistsException => "AliasExistsException",
            CachedCIMDURLDoesNotExistException => "CachedCIMDURLDoesNotExistException",
            CodeMismatchException => "CodeMismatchException",
            DuplicateProviderException => "DuplicateProviderException",
            ConcurrentModificationException => "ConcurrentModificationException",
            EnableSoftwareTokenMFAException => "EnableSoftwareTokenMFAException",
            ExpiredCodeException => "ExpiredCodeException",
            FeatureUnavailableInTierException => "FeatureUnavailableInTierException",
            GroupExistsException => "GroupExistsException",
            IncompleteSignatureException => "IncompleteSignatureException",
            InternalErrorException => "InternalErrorException",
            InvalidLambdaResponseException => "InvalidLambdaResponseException",
            InvalidOAuthFlowException => "InvalidOAuthFlowException",
            InvalidParameterException => "InvalidParameterException",
            InvalidPasswordException => "InvalidPasswordException",
            InvalidSignatureException => "InvalidSignatureException",
            LimitExceededException => "LimitExceededException",
            ManagedLoginBrandingExistsException => "ManagedLoginBrandingExistsException",
            MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
            NotAuthorizedException => "NotAuthorizedException",
            OperationNotEnabledException => "OperationNotEnabledException",
            PasswordResetRequiredException => "PasswordResetRequiredException",
            PreconditionNotMetException => "PreconditionNotMetException",
            RefreshTokenReuseException => "RefreshTokenReuseException",
            ResourceNotFoundException => "ResourceNotFoundException",
            SoftwareTokenMFANotFoundException => "SoftwareTokenMFANotFoundException",
            TermsExistsException => "TermsExistsException",
            ScopeDoesNotExistException => "ScopeDoesNotExistException",
            SerializationException => "SerializationException",
            ServiceQuotaExceededException => "ServiceQuotaExceededException",
            UnexpectedLambdaException => "UnexpectedLambdaException",
            UnknownOperationException => "UnknownOperationException",
            UnrecognizedClientException => "UnrecognizedClientException",
            UnsupportedOperationException => "UnsupportedOperationException",
            UnsupportedUserStateException => "UnsupportedUserStateException",
            UserLambdaValidationException => "UserLambdaValidationException",
            UserNotConfirmedException => "UserNotConfirmedException",
            UserNotFoundException => "UserNotFoundException",
            UserPoolAddOnNotEnabledException => "UserPoolAddOnNotEnabledException",
            UsernameExistsException => "UsernameExistsException",
        }
    }

    /// The HTTP status the real service answers this exception with.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::InternalErrorException => 500,
            ErrorKind::MissingAuthenticationTokenException
            | ErrorKind::UnrecognizedClientException
            | ErrorKind::InvalidSignatureException => 403,
            _ => 400,
        }
    }
}

/// A Cognito exception with its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CognitoError {
    /// Which exception.
    pub kind: ErrorKind,
    /// The message, as the real service words it where known.
    pub message: String,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl CognitoError {
    /// An exception with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameterException, message)
    }

    /// `NotAuthorizedException`.
    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAuthorizedException, message)
    }

    /// `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ResourceNotFoundException, message)
    }

    /// `InternalErrorException`, for faults of the server itself (logged, never detailed).
    pub fn internal(what: impl fmt::Display) -> Self {
        tracing::error!(%what, "internal error");
        Self::new(ErrorKind::InternalErrorException, "Internal server error.")
    }

    /// The validation failure the service reports for a member that breaks a constraint.
    pub fn validation(member: &str, value: Option<&str>, constraint: &str) -> Self {
        let value = match value {
            Some(v) => format!("'{v}'"),
            None => "null".to_owned(),
        };
        Self::invalid_parameter(format!(
            "1 validation error detected: Value {value} at '{member}' failed to satisfy constraint: {constraint}"
        ))
    }
}

/// A result of an operation.
pub type OpResult<T> = Result<T, CognitoError>;

impl From<crate::store::StoreError> for CognitoError {
    fn from(e: crate::store::StoreError) -> Self {
        CognitoError::internal(e)
    }
}

/// The error codes of the OAuth 2.0 endpoints (RFC 6749 §5.2 and §4.1.2.1, RFC 6750
/// §3.1, RFC 7009 §2.2.1), which they answer with instead of Cognito's exceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    UnsupportedTokenType,
    InvalidToken,
    LoginRequired,
    AccessDenied,
    InvalidTarget,
    ServerError,
}

impl OAuthErrorCode {
    /// The code as it goes on the wire.
    pub fn name(self) -> &'static str {
        use OAuthErrorCode::*;
        match self {
            InvalidRequest => "invalid_request",
            InvalidClient => "invalid_client",
            InvalidGrant => "invalid_grant",
            UnauthorizedClient => "unauthorized_client",
            UnsupportedGrantType => "unsupported_grant_type",
            UnsupportedResponseType => "unsupported_response_type",
            InvalidScope => "invalid_scope",
            UnsupportedTokenType => "unsupported_token_type",
            InvalidToken => "invalid_token",
            LoginRequired => "login_required",
            AccessDenied => "access_denied",
            InvalidTarget => "invalid_target",
            ServerError => "server_error",
        }
    }
}

/// A refusal of an OAuth endpoint: its code and, where it helps, a description (never a
/// secret: descriptions go back to the caller).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", code.name(), description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
pub struct OAuthError {
    /// The code.
    pub code: OAuthErrorCode,
    /// `error_description`, if any.
    pub description: Option<String>,
}

impl OAuthError {
    /// A refusal with no description (most of Cognito's say only their code).
    pub fn new(code: OAuthErrorCode) -> Self {
        Self {
            code,
            description: None,
        }
    }

    /// A refusal with a description.
    pub fn described(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: Some(description.into()),
        }
    }
}

/// What the domain layer refuses, as an OAuth endpoint says it: a fault of the server is
/// `server_error`; a trigger's refusal or any other exception `invalid_request` with
/// the exception's message (how Cognito's endpoints describe failed federation).
impl From<CognitoError> for OAuthError {
    fn from(e: CognitoError) -> Self {
        match e.kind {
            ErrorKind::InternalErrorException => OAuthError::new(OAuthErrorCode::ServerError),
            _ => OAuthError::described(OAuthErrorCode::InvalidRequest, e.message),
        }
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(e: crate::store::StoreError) -> Self {
        CognitoError::internal(e).into()
    }
}
