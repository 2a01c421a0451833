//! Why a command stopped, and the exit code that says so.

use std::fmt;
use std::process::ExitCode;

use ccpa_optout::{Error, ErrorKind};

/// A command that could not do its job.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or configuration (exit 2): nothing, or nothing more, could be applied.
    Usage(String),
    /// The work ran but did not fully succeed (exit 1).
    Failed(String),
    /// Stopped by Ctrl-C after the requests in flight were recorded (exit 130).
    Interrupted,
}

impl Failure {
    /// A usage or configuration error.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }

    /// An operational failure.
    pub fn failed(message: impl Into<String>) -> Self {
        Failure::Failed(message.into())
    }

    /// A core error from configuring or preparing the client: always a usage error.
    pub fn config(err: &Error) -> Self {
        Failure::Usage(describe(err))
    }

    /// A core error from talking to ACS: credentials and set-up problems are usage errors,
    /// the rest (network, server, not found) operational.
    pub fn from_api(err: &Error) -> Self {
        match err.kind() {
            ErrorKind::Auth | ErrorKind::Config | ErrorKind::Validation => {
                Failure::Usage(describe(err))
            }
            _ => Failure::Failed(describe(err)),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::from(2),
            Failure::Failed(_) => ExitCode::from(1),
            Failure::Interrupted => ExitCode::from(130),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Failed(message) => f.write_str(message),
            Failure::Interrupted => f.write_str("interrupted; run again with --resume to finish"),
        }
    }
}

/// A core error in one line, with a hint for the set-up mistakes people make most.
///
/// The hint follows the gateway's code, not only the status: two different 403s need two
/// different fixes.
pub fn describe(err: &Error) -> String {
    format!("{err}{}", hint(err))
}

fn hint(err: &Error) -> &'static str {
    if err.kind() != ErrorKind::Auth {
        return "";
    }
    match err.error_code() {
        Some("401013") => {
            " (the access token is invalid or expired: get a new one, or use --client-secret)"
        }
        Some("403003") => {
            " (the gateway does not know this API key: check --api-key, the Client ID of the Developer Console project)"
        }
        Some("403023") => {
            " (the credentials are not provisioned for this tenant: check --org (e.g. acme, or acme-mkt-stage for stage) and that the project's product profile includes this Campaign instance)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_gateway_code_gets_its_own_fix() {
        let refused = |status, code: &str| Error::http_status(status, Some(code.into()), "refused");
        let key = describe(&refused(403, "403003"));
        assert!(
            key.contains("check --api-key") && !key.contains("--org"),
            "{key}"
        );
        let tenant = describe(&refused(403, "403023"));
        assert!(
            tenant.contains("check --org") && tenant.contains("product profile"),
            "{tenant}"
        );
        assert!(!tenant.contains("--api-key"), "{tenant}");
        assert!(describe(&refused(401, "401013")).contains("expired"));
        assert_eq!(
            describe(&refused(403, "999999")),
            "Auth (403 999999): refused"
        );
    }
}
