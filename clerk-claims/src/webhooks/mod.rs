//! Clerk webhooks (feature `webhooks`): verify a delivery's Svix signature, then read it as a
//! typed [`WebhookEvent`].
//!
//! Clerk sends webhooks through Svix, which follows the Standard Webhooks scheme: the headers
//! `svix-id`, `svix-timestamp` (Unix seconds) and `svix-signature` (space-separated `v1,<base64>`
//! entries), and the signature `base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}"))` with
//! the key from the endpoint's `whsec_…` signing secret. [`Webhook::verify`] checks what
//! Clerk's `verifyWebhook` checks, in its order: the three headers (trimmed; blank is missing),
//! the timestamp within 5 minutes either way, any `v1` signature matching in constant time
//! (other versions are skipped), and only then the JSON body. Stricter on purpose: only the
//! first [`MAX_SIGNATURES`] `v1` entries are checked and a `svix-signature` longer than
//! [`MAX_SIGNATURE_HEADER_LEN`] bytes is refused unread (Clerk's SDK tries every entry, so a
//! header of thousands costs each request milliseconds of CPU). See
//! <https://clerk.com/docs/webhooks/verify-webhooks> and <https://www.standardwebhooks.com/>.
//!
//! Svix delivers at least once: a delivery whose answer was lost or late is sent again with
//! the same `svix-id`, and a captured delivery can be replayed while its timestamp is within
//! the window. [`Webhook::dedup`] with a [`Dedup`] store (in memory, or Redis for a fleet) and
//! [`Webhook::receive`] process each `svix-id` once: see [`dedup`].
//!
//! ```
//! use clerk_claims::Clock;
//! use clerk_claims::webhooks::{Webhook, WebhookEvent};
//! use http::HeaderMap;
//!
//! let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?
//!     .with_clock(Clock::manual(1_767_225_600));
//! let body = br#"{"type":"session.revoked","object":"event","data":{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"revoked"}}"#;
//!
//! // What Svix sends (here signed with the same secret):
//! let mut headers = HeaderMap::new();
//! headers.insert("svix-id", "msg_1".parse()?);
//! headers.insert("svix-timestamp", "1767225600".parse()?);
//! headers.insert("svix-signature", webhook.sign("msg_1", 1_767_225_600, body).parse()?);
//!
//! let event = webhook.verify(&headers, body)?;
//! assert_eq!(event.event_type(), "session.revoked");
//! let WebhookEvent::SessionRevoked(session) = &event else { unreachable!() };
//! assert_eq!(session.id, "sess_1");
//!
//! // One changed byte of the body and the delivery is refused.
//! let err = webhook.verify(&headers, &body[..body.len() - 1]).unwrap_err();
//! assert!(err.to_string().contains("signature does not match"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod dedup;
mod error;
mod event;
mod types;

#[cfg(feature = "actix-web")]
pub mod actix;
#[cfg(feature = "axum")]
pub mod axum;

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::Sha256;

use crate::Clock;
use crate::json_text::clip;
pub use dedup::Dedup;
pub use error::{SECRET_PREFIX, SecretError, WebhookError};
pub use event::{HttpRequest, WebhookEvent, WebhookMessage};
pub use types::{
    DeletedObject, EmailAddress, Organization, OrganizationMembership, PhoneNumber, PublicUserData,
    Session, User,
};

/// The message id header (the same id on every retry of one message).
pub const HEADER_ID: &str = "svix-id";
/// The timestamp header (Unix seconds).
pub const HEADER_TIMESTAMP: &str = "svix-timestamp";
/// The signature header (space-separated `v1,<base64>` entries).
pub const HEADER_SIGNATURE: &str = "svix-signature";
/// How far a delivery's timestamp may be from now, either way, in seconds (5 minutes).
pub const TOLERANCE_SECS: i64 = 5 * 60;
/// The only signature version checked (symmetric HMAC-SHA256).
pub const SIGNATURE_VERSION: &str = "v1";
/// How many `v1` entries of `svix-signature` are checked, at most: the first five. Svix signs
/// with each active secret of the endpoint, one (two for a while after a rotation); the
/// Standard Webhooks libraries check every entry, so a header of thousands costs milliseconds.
pub const MAX_SIGNATURES: usize = 5;
/// The longest `svix-signature` value read, in bytes, measured before anything is parsed: room
/// for [`MAX_SIGNATURES`] `v1` entries (47 bytes each) and several of other versions (`v1a`:
/// 92 bytes).
pub const MAX_SIGNATURE_HEADER_LEN: usize = 2048;

// HMAC-SHA256 from `hmac` + `sha2` rather than the `standardwebhooks` crate: that crate's
// `verify` reads the system time (no clock to test the 5-minute window), reads only the
// `webhook-*` header names, does not say which header is missing, and refuses non-UTF-8 bodies;
// `svix` is a whole API client. Not the verifier's crypto backend either: webhooks work without
// the `verify` feature and with either backend. The scheme itself is the few lines below.
type HmacSha256 = Hmac<Sha256>;

/// A webhook endpoint's signing secret, ready to verify deliveries. Build once, share.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Webhook {
    /// HMAC-SHA256 keyed with the secret, before any input.
    keyed: HmacSha256,
    key_len: usize,
    clock: Clock,
    dedup: Option<Dedup>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("key", &format_args!("<{} bytes, redacted>", self.key_len))
            .field("clock", &self.clock)
            .field("dedup", &self.dedup)
            .finish()
    }
}

impl Webhook {
    /// A verifier for the endpoint's signing secret (`whsec_` + base64 of the key, as the Clerk
    /// Dashboard shows it; `CLERK_WEBHOOK_SIGNING_SECRET`), checked now.
    pub fn new(secret: impl AsRef<str>) -> Result<Self, SecretError> {
        let secret = secret.as_ref().trim();
        let Some(encoded) = secret.strip_prefix(SECRET_PREFIX) else {
            return Err(SecretError::MissingPrefix {
                found: looks_like(secret),
            });
        };
        if encoded.is_empty() {
            return Err(SecretError::Empty);
        }
        let key = STANDARD
            .decode(encoded)
            .map_err(|e| SecretError::NotBase64 {
                detail: redact_base64_error(&e),
            })?;
        Self::from_key(&key)
    }

    /// A verifier for a raw HMAC key (the bytes a `whsec_` secret encodes).
    pub fn from_key(key: &[u8]) -> Result<Self, SecretError> {
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        let keyed = HmacSha256::new_from_slice(key).map_err(|_| SecretError::Empty)?;
        Ok(Self {
            keyed,
            key_len: key.len(),
            clock: Clock::system(),
            dedup: None,
        })
    }

    /// The clock the timestamp window is checked against (system time by default).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Processes each `svix-id` once in [`receive`](Self::receive) and the axum and actix-web
    /// extractors: a delivery whose id `dedup` already holds is
    /// [`WebhookError::Duplicate`]. Clones of this `Webhook` share the store.
    #[must_use]
    pub fn dedup(mut self, dedup: Dedup) -> Self {
        self.dedup = Some(dedup);
        self
    }

    /// Receives a delivery: [`verify_message`](Self::verify_message), then, with a
    /// [`dedup`](Self::dedup) store, claims its `svix-id` there. A repeated id is
    /// [`WebhookError::Duplicate`] (answer it 2xx: see [`WebhookError::status`]). The claim is
    /// made before the handler runs: a handler that fails and wants Svix's retry processed
    /// calls [`forget`](Self::forget) before answering non-2xx. Never waits longer than the
    /// store's timeout (the in-memory store never waits).
    ///
    /// ```
    /// use clerk_claims::Clock;
    /// use clerk_claims::webhooks::{Dedup, Webhook, WebhookError};
    /// use http::HeaderMap;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?
    ///     .with_clock(Clock::manual(1_767_225_600))
    ///     .dedup(Dedup::memory());
    /// let body = br#"{"type":"user.created","data":{"id":"user_1"}}"#;
    /// let mut headers = HeaderMap::new();
    /// headers.insert("svix-id", "msg_1".parse()?);
    /// headers.insert("svix-timestamp", "1767225600".parse()?);
    /// headers.insert("svix-signature", webhook.sign("msg_1", 1_767_225_600, body).parse()?);
    ///
    /// let message = webhook.receive(&headers, body).await?;
    /// assert_eq!(message.id, "msg_1");
    /// // The same delivery again (Svix retrying, or a replay): refused, to be acknowledged.
    /// let again = webhook.receive(&headers, body).await.unwrap_err();
    /// assert_eq!(again, WebhookError::Duplicate { id: "msg_1".into() });
    /// assert_eq!(again.status(), 200);
    /// # Ok(()) }
    /// ```
    pub async fn receive(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookMessage, WebhookError> {
        let message = self.verify_message(headers, body)?;
        if let Some(dedup) = &self.dedup {
            dedup.claim(&message.id, self.clock.now_ms()).await?;
        }
        Ok(message)
    }

    /// Releases `id`'s claim in the [`dedup`](Self::dedup) store, so the next delivery of it is
    /// processed: for a handler that failed after [`receive`](Self::receive) and answers
    /// non-2xx for Svix to retry. Without a store, does nothing.
    pub async fn forget(&self, id: &str) -> Result<(), WebhookError> {
        match &self.dedup {
            Some(dedup) => dedup.forget(id).await,
            None => Ok(()),
        }
    }

    /// Verifies a delivery and reads its event: the request's headers and its raw body, exactly
    /// the bytes received (verify before any JSON parsing). Does not consult the
    /// [`dedup`](Self::dedup) store: [`receive`](Self::receive) does.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        self.verify_message(headers, body).map(|m| m.event)
    }

    /// Like [`verify`](Self::verify), with the delivery's id (`svix-id`, to make a handler
    /// idempotent across Svix's retries), timestamp and the event's envelope.
    pub fn verify_message(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookMessage, WebhookError> {
        let message = self
            .verify_signature(headers, body)
            .and_then(|(id, timestamp)| WebhookMessage::parse(id, timestamp, body));
        crate::metrics::webhook(&message);
        message
    }

    /// Checks the headers, the timestamp and the signature, and returns `svix-id` and
    /// `svix-timestamp`; the body is not parsed.
    pub fn verify_signature(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(String, i64), WebhookError> {
        if let Some(len) = headers
            .get(HEADER_SIGNATURE)
            .map(http::HeaderValue::len)
            .filter(|len| *len > MAX_SIGNATURE_HEADER_LEN)
        {
            return Err(WebhookError::SignatureHeaderTooLong {
                len,
                max: MAX_SIGNATURE_HEADER_LEN,
            });
        }
        let id = header(headers, HEADER_ID);
        let timestamp = header(headers, HEADER_TIMESTAMP);
        let signature = header(headers, HEADER_SIGNATURE);
        let missing: Vec<&'static str> = [
            (HEADER_ID, &id),
            (HEADER_TIMESTAMP, &timestamp),
            (HEADER_SIGNATURE, &signature),
        ]
        .into_iter()
        .filter(|(_, value)| matches!(value, Ok(None)))
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            return Err(WebhookError::MissingHeaders { headers: missing });
        }
        let (Some(id), Some(timestamp), Some(signature)) = (id?, timestamp?, signature?) else {
            // Unreachable: every `None` was reported as missing above.
            return Err(WebhookError::MissingHeaders {
                headers: Vec::new(),
            });
        };
        let timestamp = self.check_timestamp(timestamp)?;
        let mac = self.mac(id, timestamp, body);
        let mut v1 = 0;
        let mut other_versions = Vec::new();
        for entry in signature.split(' ').filter(|e| !e.is_empty()) {
            let (version, value) = entry.split_once(',').unwrap_or((entry, ""));
            if version != SIGNATURE_VERSION {
                if other_versions.len() < 4 {
                    other_versions.push(crate::json_text::clip_to(version, 16).into_owned());
                }
                continue;
            }
            v1 += 1;
            if v1 > MAX_SIGNATURES {
                // Only counted, for the error.
                continue;
            }
            // `verify_slice` compares in constant time; a candidate that is not base64 (or not
            // 32 bytes, a public length) cannot match.
            let matches = STANDARD
                .decode(value)
                .is_ok_and(|candidate| mac.clone().verify_slice(&candidate).is_ok());
            if matches {
                return Ok((id.to_owned(), timestamp));
            }
        }
        if v1 > MAX_SIGNATURES {
            return Err(WebhookError::TooManySignatures {
                sent: v1,
                max: MAX_SIGNATURES,
            });
        }
        Err(WebhookError::SignatureMismatch { v1, other_versions })
    }

    /// The `svix-signature` value for a delivery (`v1,<base64>`), as Svix computes it: for
    /// senders and tests.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.mac(id, timestamp, body).finalize().into_bytes();
        format!("{SIGNATURE_VERSION},{}", STANDARD.encode(tag))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    fn check_timestamp(&self, value: &str) -> Result<i64, WebhookError> {
        let digits = value.strip_prefix('-').unwrap_or(value);
        let timestamp = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| value.parse::<i64>().ok())
            .flatten()
            .ok_or_else(|| WebhookError::InvalidTimestamp {
                found: clip(value).into_owned(),
            })?;
        let now = self.clock.now();
        let age = now.saturating_sub(timestamp);
        if age > TOLERANCE_SECS {
            return Err(WebhookError::TooOld {
                age,
                tolerance: TOLERANCE_SECS,
                timestamp,
                now,
            });
        }
        if timestamp > now.saturating_add(TOLERANCE_SECS) {
            return Err(WebhookError::TooNew {
                ahead: timestamp.saturating_sub(now),
                tolerance: TOLERANCE_SECS,
                timestamp,
                now,
            });
        }
        Ok(timestamp)
    }
}

/// A header's trimmed value: `Ok(None)` when absent or blank (as Clerk's SDK treats both).
fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<&'a str>, WebhookError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| WebhookError::HeaderNotText { header: name })?
        .trim();
    Ok((!value.is_empty()).then_some(value))
}

/// What a value that is not a `whsec_` secret looks like, without showing it.
fn looks_like(secret: &str) -> &'static str {
    if secret.is_empty() {
        "an empty value"
    } else if secret.starts_with("sk_") {
        "a Clerk secret key (sk_…), not the webhook signing secret"
    } else if secret.starts_with("pk_") {
        "a Clerk publishable key (pk_…), not the webhook signing secret"
    } else {
        "a value without that prefix"
    }
}

/// The decoder's complaint with the offending character left out.
fn redact_base64_error(e: &base64::DecodeError) -> String {
    match e {
        base64::DecodeError::InvalidByte(at, _) => format!("invalid character at offset {at}"),
        base64::DecodeError::InvalidLength(len) => format!("invalid length {len}"),
        base64::DecodeError::InvalidLastSymbol { offset, .. } => {
            format!("invalid last symbol at offset {offset}")
        }
        base64::DecodeError::InvalidPadding => "invalid padding".to_owned(),
    }
}
