//! What can go wrong with a webhook secret or a webhook delivery.

use thiserror::Error;

/// The prefix of a Clerk (Svix) webhook signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A webhook signing secret that cannot be used; the message never shows the secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SecretError {
    /// The value does not start with `whsec_`.
    #[error(
        "webhook signing secret: expected a value starting with \"whsec_\" (Clerk Dashboard → \
         Webhooks → the endpoint's Signing Secret), found {found}"
    )]
    MissingPrefix {
        /// What the value looks like instead, without its content (e.g. "a Clerk secret key").
        found: &'static str,
    },
    /// Nothing follows `whsec_`.
    #[error("webhook signing secret: expected base64 after \"whsec_\", found nothing")]
    Empty,
    /// The part after `whsec_` is not standard base64.
    #[error(
        "webhook signing secret: expected standard base64 after \"whsec_\", found a character \
         or length that is not ({detail})"
    )]
    NotBase64 {
        /// The decoder's complaint (a position, never the secret's characters).
        detail: String,
    },
}

/// A webhook delivery that was refused: which header is missing, whether the timestamp is out
/// of the tolerance, whether the signature does not match, or what is wrong with the body.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// One or more of `svix-id`, `svix-timestamp`, `svix-signature` are missing or blank.
    #[error("missing required webhook headers: {}", .headers.join(", "))]
    MissingHeaders {
        /// The missing headers, in that order.
        headers: Vec<&'static str>,
    },
    /// A header's value is not visible ASCII text.
    #[error("webhook header {header}: expected visible ASCII text, found other bytes")]
    HeaderNotText {
        /// The header.
        header: &'static str,
    },
    /// `svix-timestamp` is not a whole number of Unix seconds (Svix always sends one; Clerk's
    /// SDK would read the leading digits of `"1767225600abc"`, this refuses it).
    #[error("webhook header svix-timestamp: expected Unix seconds (digits), found {found:?}")]
    InvalidTimestamp {
        /// The header value, clipped.
        found: String,
    },
    /// The timestamp is more than the tolerance in the past (a replay, or a very late retry).
    #[error(
        "webhook timestamp {age} s too old: expected at most {tolerance} s in the past \
         (svix-timestamp {timestamp}, now {now})"
    )]
    TooOld {
        /// How far in the past, in seconds.
        age: i64,
        /// The tolerance, in seconds.
        tolerance: i64,
        /// `svix-timestamp`.
        timestamp: i64,
        /// Now, Unix seconds.
        now: i64,
    },
    /// The timestamp is more than the tolerance in the future.
    #[error(
        "webhook timestamp {ahead} s in the future: expected at most {tolerance} s ahead \
         (svix-timestamp {timestamp}, now {now})"
    )]
    TooNew {
        /// How far in the future, in seconds.
        ahead: i64,
        /// The tolerance, in seconds.
        tolerance: i64,
        /// `svix-timestamp`.
        timestamp: i64,
        /// Now, Unix seconds.
        now: i64,
    },
    /// No `v1` signature of `svix-signature` matches the id, timestamp and body with this secret.
    #[error(
        "webhook signature does not match: none of the {v1} v1 signature(s) in svix-signature \
         is the HMAC-SHA256 of the svix-id, svix-timestamp and raw body with this secret{}",
        others_note(.other_versions)
    )]
    SignatureMismatch {
        /// How many `v1,…` entries the header held.
        v1: usize,
        /// The versions of the other entries (skipped), e.g. `v1a`.
        other_versions: Vec<String>,
    },
    /// `svix-signature` is longer than [`MAX_SIGNATURE_HEADER_LEN`](super::MAX_SIGNATURE_HEADER_LEN)
    /// bytes: refused before it is read.
    #[error(
        "webhook header svix-signature: expected at most {max} bytes (a few v1,<base64> \
         signatures), found {len} bytes; refused unread"
    )]
    SignatureHeaderTooLong {
        /// The header's length in bytes.
        len: usize,
        /// The bound, in bytes.
        max: usize,
    },
    /// None of the first [`MAX_SIGNATURES`](super::MAX_SIGNATURES) `v1` signatures matches, and
    /// more were sent: the rest are not checked.
    #[error(
        "webhook signature does not match: svix-signature holds {sent} v1 signatures, only the \
         first {max} are checked (Svix sends one per active signing secret) and none of them \
         matches"
    )]
    TooManySignatures {
        /// How many `v1,…` entries the header held.
        sent: usize,
        /// How many are checked.
        max: usize,
    },
    /// The signature is valid but the body is not the JSON event Clerk sends.
    #[error("webhook body (signature valid): expected {expected}, found {found}")]
    Body {
        /// What was expected, e.g. `a JSON object with a "type" string`.
        expected: String,
        /// What was found (the JSON parser's message, or the value's kind).
        found: String,
    },
    /// A genuine delivery whose `svix-id` was already received within the
    /// [`Dedup`](super::Dedup) window: a retry or a replay. Acknowledge it (2xx, so Svix stops
    /// retrying) without processing it again.
    #[error(
        "webhook {id} already received: a retry or a replay of a delivery processed before; \
         acknowledged without processing it again"
    )]
    Duplicate {
        /// `svix-id`.
        id: String,
    },
    /// The de-duplication store did not answer in time and it is set to refuse then
    /// ([`WhenUnavailable::Refuse`](super::dedup::WhenUnavailable::Refuse)): answer 503 and
    /// Svix retries later.
    #[error(
        "webhook de-duplication store unavailable ({detail}): refused so that the sender \
         retries later"
    )]
    DedupUnavailable {
        /// What failed (a connection error, or no answer within the timeout).
        detail: String,
    },
}

impl WebhookError {
    /// The HTTP status to answer the sender with: `200` for a [`Duplicate`](Self::Duplicate)
    /// (Svix treats any 2xx as delivered and stops retrying), `503` for
    /// [`DedupUnavailable`](Self::DedupUnavailable) (Svix retries later), `400` for the rest
    /// (not a genuine delivery, or not one this endpoint can read).
    pub fn status(&self) -> http::StatusCode {
        match self {
            Self::Duplicate { .. } => http::StatusCode::OK,
            Self::DedupUnavailable { .. } => http::StatusCode::SERVICE_UNAVAILABLE,
            _ => http::StatusCode::BAD_REQUEST,
        }
    }
}

fn others_note(other_versions: &[String]) -> String {
    if other_versions.is_empty() {
        String::new()
    } else {
        format!(
            " (skipped entries of other versions: {}; only v1 is checked)",
            other_versions.join(", ")
        )
    }
}
