//! The command's errors and exit codes: 0 ok, 1 difference/rejected, 2 usage error.

use std::process::ExitCode;

use clerk_claims::api::ApiError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments, unreadable or malformed input files, missing configuration.
    #[error("{0}")]
    Usage(String),
    /// The Backend API (or the local fake) refused or failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The input was read fine and is rejected (template rules, not found, …).
    #[error("{0}")]
    Rejected(String),
    /// A difference (`template diff`): the report goes to stdout, so `> diff.txt` keeps it.
    #[error("{0}")]
    Differ(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Api(ApiError::Config { .. }) => ExitCode::from(2),
            CliError::Api(_) | CliError::Rejected(_) | CliError::Differ(_) => ExitCode::from(1),
        }
    }
}
