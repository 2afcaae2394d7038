//! What can go wrong talking to the Backend API: Clerk's error envelope, typed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One entry of Clerk's error envelope (`ClerkError` in the OpenAPI spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClerkError {
    /// Short message, e.g. `Resource not found`.
    pub message: String,
    /// Longer human explanation.
    #[serde(default)]
    pub long_message: String,
    /// Machine code, e.g. `resource_not_found`, `clerk_key_invalid`.
    pub code: String,
    /// Extra detail, e.g. `{"param_name": "name"}` for form errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
}

/// Clerk's error envelope (`ClerkErrors`): `{errors: [...], meta?, clerk_trace_id?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClerkErrors {
    /// The errors, most relevant first.
    pub errors: Vec<ClerkError>,
    /// Envelope-level detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
    /// Clerk's request trace ID, to quote to Clerk support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk_trace_id: Option<String>,
}

/// A non-2xx answer carrying Clerk's error envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    /// HTTP status.
    pub status: u16,
    /// The first error's code.
    pub code: String,
    /// The first error's message.
    pub message: String,
    /// The first error's long message.
    pub long_message: String,
    /// The whole envelope.
    pub envelope: ClerkErrors,
}

/// Which step of an HTTP exchange failed, for [`TransportError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// No connection: DNS, refused, unreachable, TLS handshake.
    Connect,
    /// The connect or the whole-request timeout passed.
    Timeout,
    /// The connection broke while the answer's body was read.
    Body,
    /// Any other failure of the HTTP client (a redirect loop, a malformed answer).
    Other,
}

impl TransportFailure {
    /// A few words for messages, e.g. `could not connect`, `timed out`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportFailure::Connect => "could not connect",
            TransportFailure::Timeout => "timed out",
            TransportFailure::Body => "the response body broke off",
            TransportFailure::Other => "the request failed",
        }
    }
}

/// Why a request to the Backend API did not complete: which step failed and the HTTP client's
/// own explanation. Keeps the HTTP client's error type out of this crate's API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {detail}", .failure.as_str())]
pub struct TransportError {
    /// Which step failed.
    pub failure: TransportFailure,
    /// The HTTP client's explanation, with its cause chain (never the URL's query or a key).
    pub detail: String,
}

impl TransportError {
    /// Sorts a reqwest error into a [`TransportFailure`], keeping its cause chain as text.
    pub(crate) fn from_reqwest(error: &reqwest::Error) -> TransportError {
        let failure = if error.is_timeout() {
            TransportFailure::Timeout
        } else if error.is_connect() {
            TransportFailure::Connect
        } else if error.is_body() || error.is_decode() {
            TransportFailure::Body
        } else {
            TransportFailure::Other
        };
        let mut detail = error.to_string();
        let mut cause = std::error::Error::source(error);
        while let Some(c) = cause {
            detail.push_str(": ");
            detail.push_str(&c.to_string());
            cause = c.source();
        }
        TransportError { failure, detail }
    }
}

/// An error from [`ClerkApi`](super::ClerkApi).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Clerk rejected the secret key (401 `clerk_key_invalid`): wrong instance, revoked, or typo.
    #[error(
        "the Clerk secret key was rejected (401 clerk_key_invalid): {message}; expected a valid \
         `sk_test_…`/`sk_live_…` key of this instance in CLERK_SECRET_KEY"
    )]
    SecretKeyInvalid {
        /// Clerk's message.
        message: String,
        /// Clerk's trace ID, if sent.
        trace_id: Option<String>,
    },
    /// Clerk answered with an error envelope.
    #[error("Clerk Backend API {method} {path} failed with {status} {code}: {long_message}", status = .failure.status, code = .failure.code, long_message = .failure.long_message)]
    Clerk {
        /// The HTTP method.
        method: &'static str,
        /// The request path (no host, no secrets).
        path: String,
        /// The parsed failure.
        failure: Box<ApiFailure>,
    },
    /// The answer was not what the Backend API documents.
    #[error(
        "Clerk Backend API {method} {path}: expected {expected} (HTTP {status}), found: {found}"
    )]
    UnexpectedResponse {
        /// The HTTP method.
        method: &'static str,
        /// The request path.
        path: String,
        /// HTTP status.
        status: u16,
        /// What was expected.
        expected: &'static str,
        /// What came instead (truncated body or parse error).
        found: String,
    },
    /// The request did not complete (connection, TLS, timeout, a body cut short).
    #[error("could not reach the Clerk Backend API ({method} {path}): {source}")]
    Transport {
        /// The HTTP method.
        method: &'static str,
        /// The request path.
        path: String,
        /// What failed.
        #[source]
        source: TransportError,
    },
    /// `revoke_other_sessions` was asked to keep a session that is not one of the user's
    /// active sessions: revoking "all the others" would sign the user out everywhere.
    #[error(
        "expected {session_id} to be an active session of {user_id} (the one to keep), \
         found {found}; nothing was revoked"
    )]
    KeepSessionNotActive {
        /// The user.
        user_id: String,
        /// The session asked to be kept.
        session_id: String,
        /// What it is instead (`no such session of this user`, `a revoked session`, …).
        found: String,
    },
    /// A token the Backend API minted cannot be handed out: no numeric `exp`, or already
    /// expired by this machine's clock.
    #[error(
        "the Backend API minted a token for {what} that cannot be handed out: expected a JWT \
         with a numeric `exp` in the future, found: {found}"
    )]
    UnusableToken {
        /// `session <id>, template <name>`.
        what: String,
        /// Why it could not be read.
        found: String,
    },
    /// The client configuration is unusable (secret key format, base URL, TLS setup).
    #[error("invalid Clerk API configuration: expected {expected}, found {found}")]
    Config {
        /// What was expected.
        expected: &'static str,
        /// What was found (never a secret).
        found: String,
    },
}

impl ApiError {
    /// The HTTP status, when Clerk answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::SecretKeyInvalid { .. } => Some(401),
            ApiError::Clerk { failure, .. } => Some(failure.status),
            ApiError::UnexpectedResponse { status, .. } => Some(*status),
            ApiError::Transport { .. }
            | ApiError::Config { .. }
            | ApiError::KeepSessionNotActive { .. }
            | ApiError::UnusableToken { .. } => None,
        }
    }

    /// Clerk's error code (`resource_not_found`, `clerk_key_invalid`, …), when Clerk sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::SecretKeyInvalid { .. } => Some("clerk_key_invalid"),
            ApiError::Clerk { failure, .. } => Some(&failure.code),
            _ => None,
        }
    }

    /// Whether Clerk said the resource does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}
