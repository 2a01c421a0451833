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
pub fn describe(err: &Error) -> String {
    let hint = match (err.kind(), err.error_code()) {
        (ErrorKind::Auth, Some("401013")) => {
            " (the access token is invalid or expired: get a new one, or use --client-secret)"
        }
        (ErrorKind::Auth, Some("403023")) => {
            " (the API key is not allowed for this organization: check --api-key and --org)"
        }
        _ => "",
    };
    format!("{err}{hint}")
}
