//! Errors of the fake: its own (seed, bind) and the Clerk error envelopes it answers with.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clerk_claims_lang::rules::RuleViolation;
use serde_json::json;

use crate::api::{ClerkError, ClerkErrors};
use crate::template::TemplateError;

/// Why a [`FakeClerk`](super::FakeClerk) could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FakeError {
    /// The seed JSON is not what the fake expects.
    #[error("invalid FakeClerk seed: {what}: expected {expected}, found {found}")]
    Seed {
        /// Where in the seed.
        what: String,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// The seed file could not be read.
    #[error("could not read the FakeClerk seed file {path}: {source}")]
    SeedFile {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Session-token claims ("Customize session token") Clerk would not save.
    #[error("session-token claims rejected: expected claims Clerk would save, found: {violation}")]
    SessionClaims {
        /// Clerk's rule that the claims break (code, parameter, message).
        violation: RuleViolation,
    },
    /// The listening socket or the server runtime could not be set up.
    #[error("could not start FakeClerk on {addr}: {source}")]
    Start {
        /// The address asked for.
        addr: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// A Clerk error answer: status plus `{errors: [...], clerk_trace_id}`.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) errors: Vec<ClerkError>,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, code: &str, message: &str, long_message: String) -> Self {
        Failure {
            status,
            errors: vec![ClerkError {
                message: message.to_owned(),
                long_message,
                code: code.to_owned(),
                meta: None,
            }],
        }
    }

    pub(crate) fn with_param(mut self, param: &str) -> Self {
        for e in &mut self.errors {
            e.meta = Some(json!({ "param_name": param }));
        }
        self
    }

    /// 404 `resource_not_found`.
    pub(crate) fn not_found(long_message: String) -> Self {
        Failure::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "not found",
            long_message,
        )
    }

    /// 401 `clerk_key_invalid`: the 401 code Clerk's Backend API documents, used for a
    /// missing, malformed or wrong `Authorization: Bearer` header alike.
    pub(crate) fn key_invalid() -> Self {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            "clerk_key_invalid",
            "Secret Key is invalid",
            "The provided Secret Key is invalid. Make sure that your Secret Key is correct."
                .to_owned(),
        )
    }

    /// 422 form error on one parameter.
    pub(crate) fn form(code: &str, param: &str, long_message: String) -> Self {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            "is invalid",
            long_message,
        )
        .with_param(param)
    }

    /// 400 for a body that is not JSON or not an object.
    pub(crate) fn malformed(long_message: String) -> Self {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "malformed request",
            long_message,
        )
    }
}

impl From<RuleViolation> for Failure {
    fn from(v: RuleViolation) -> Self {
        // Clerk answers the reserved-claim rule with 400, every form rule with 422.
        let status = if v.code == "jwt_template_reserved_claim" {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let failure = Failure::new(status, v.code, "is invalid", v.message);
        match v.param {
            Some(p) => failure.with_param(p),
            None => failure,
        }
    }
}

impl From<TemplateError> for Failure {
    fn from(e: TemplateError) -> Self {
        match e {
            TemplateError::Rule(v) => Failure::from(v),
            // A field of the wrong JSON type: Clerk's form decoding error on that field.
            other => {
                let param = other.param().unwrap_or("body");
                Failure::form("form_param_format_invalid", param, other.to_string())
            }
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = ClerkErrors {
            errors: self.errors,
            meta: None,
            clerk_trace_id: Some(trace_id()),
        };
        (self.status, axum::Json(body)).into_response()
    }
}

static TRACE: AtomicU64 = AtomicU64::new(1);

/// A fresh `clerk_trace_id` for an error envelope.
fn trace_id() -> String {
    format!("fake_trace_{:08}", TRACE.fetch_add(1, Ordering::Relaxed))
}
