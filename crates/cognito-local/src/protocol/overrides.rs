//! Where the service does not do what the vendored model says, the few shapes
//! validated otherwise. Each entry names the documented behaviour it follows.

/// Values a shape's enum lacks although the documentation allows them.
pub(crate) fn extra_values(shape: &str) -> &'static [&'static str] {
    match shape {
        // GetClientToken: "configure the app client with a client secret and enable
        // the ALLOW_CLIENT_TOKEN_AUTH authentication flow" (API reference); botocore
        // 1.44.8's ExplicitAuthFlowsType has no such value.
        "ExplicitAuthFlowsType" => &["ALLOW_CLIENT_TOKEN_AUTH"],
        _ => &[],
    }
}

/// Patterns checked (and printed) otherwise: `(shown, matched)`.
pub(crate) fn pattern(shape: &str) -> Option<(&'static str, &'static str)> {
    match shape {
        // The service checks and prints `^[\S]+.*[\S]+$` for passwords (real
        // responses), where the model has `[\S]+`: inner spaces are allowed, a
        // leading or trailing one is not.
        "PasswordType" => Some((r"^[\S]+.*[\S]+$", r"^[\S]+.*[\S]+$")),
        // The model's `(?<!\.)` (no trailing dot) is a look-behind, which the regex
        // crate does not have: the same set, written without it.
        "S3BucketType" => Some((
            r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
            r"(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?",
        )),
        // DomainType: "For custom domains, this is the fully-qualified domain name,
        // such as auth.example.com" (API reference), which the model's one-label
        // pattern refuses: dot-separated labels are admitted, and CreateUserPoolDomain
        // allows dots in custom domains only.
        "DomainType" => Some((
            r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$",
            r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*",
        )),
        _ => None,
    }
}

/// Shapes the model marks sensitive whose values the service still prints in
/// validation messages: the app client ID.
pub(crate) fn printed_although_sensitive(shape: &str) -> bool {
    shape == "ClientIdType"
}
