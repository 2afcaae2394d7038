//! The metrics clerk-claims records (feature `metrics`), through the `metrics` crate's
//! facade: install any recorder (a Prometheus exporter, OpenTelemetry) and they appear. Without
//! the feature nothing is recorded and the recording calls compile to nothing.
//!
//! No label ever holds a token, a secret, or a user, session or organization ID: labels are
//! fixed words (a `verify::Reason` code, a Backend API route template such as
//! `/v1/sessions/{id}/revoke`, an HTTP status, a known webhook event type or `other`).
//!
//! | name | kind | labels |
//! | --- | --- | --- |
//! | [`VERIFICATIONS_TOTAL`] | counter | `token_type` (`session`, `template`), `outcome` (`verified`, `rejected`), `reason` (the `verify::Reason` code, `none` when verified) |
//! | [`VERIFY_DURATION_SECONDS`] | histogram | — |
//! | [`JWKS_FETCHES_TOTAL`] | counter | `outcome` (`ok`, `error`) |
//! | [`TOKEN_CACHE_TOTAL`] | counter | `result` (`hit`, `miss`) |
//! | [`BACKEND_API_REQUESTS_TOTAL`] | counter | `endpoint` (a route template), `status` (the HTTP status, `error` when no answer came) |
//! | [`BACKEND_API_DURATION_SECONDS`] | histogram | `endpoint` (until the response's status) |
//! | [`REVOKED_SESSIONS`] | gauge | — (sessions in the revocation list) |
//! | [`REVOCATION_SYNC_LAG_SECONDS`] | histogram | — (from a peer's publish to the apply here) |
//! | [`REVOCATION_SYNC_CONNECTED`] | gauge | — (1 while the Redis sync is connected, else 0) |
//! | [`REVOCATION_SYNC_OVERFLOWS_TOTAL`] | counter | — (revocations the full Redis queue coalesced into a resync) |
//! | [`WEBHOOKS_TOTAL`] | counter | `event_type` (a type of `webhooks::WebhookEvent`'s known set, else `other`; a rejected delivery's body is not read: `other`), `outcome` (`verified`, `rejected`) |

/// Tokens verified or rejected, by `token_type`, `outcome` and `reason`.
pub const VERIFICATIONS_TOTAL: &str = "clerk_claims_verifications_total";
/// How long one verification took, in seconds (a token cache hit included).
pub const VERIFY_DURATION_SECONDS: &str = "clerk_claims_verify_duration_seconds";
/// Remote JWKS fetches, by `outcome`.
pub const JWKS_FETCHES_TOTAL: &str = "clerk_claims_jwks_fetches_total";
/// Token cache lookups, by `result`.
pub const TOKEN_CACHE_TOTAL: &str = "clerk_claims_token_cache_total";
/// Backend API requests, by `endpoint` and `status`.
pub const BACKEND_API_REQUESTS_TOTAL: &str = "clerk_claims_backend_api_requests_total";
/// Backend API request time until the response's status, in seconds, by `endpoint`.
pub const BACKEND_API_DURATION_SECONDS: &str = "clerk_claims_backend_api_duration_seconds";
/// Sessions in the revocation list.
pub const REVOKED_SESSIONS: &str = "clerk_claims_revoked_sessions";
/// Seconds from a revocation's publish on another instance to its apply here (Redis sync).
pub const REVOCATION_SYNC_LAG_SECONDS: &str = "clerk_claims_revocation_sync_lag_seconds";
/// 1 while the Redis sync is connected and synced, 0 otherwise.
pub const REVOCATION_SYNC_CONNECTED: &str = "clerk_claims_revocation_sync_connected";
/// Revocations not queued for Redis because the queue was full (a resync carried them).
pub const REVOCATION_SYNC_OVERFLOWS_TOTAL: &str = "clerk_claims_revocation_sync_overflows_total";
/// Webhook deliveries, by `event_type` and `outcome`.
pub const WEBHOOKS_TOTAL: &str = "clerk_claims_webhooks_total";

/// Gives the installed recorder each metric's unit and help text (Prometheus `# HELP`, `# TYPE`
/// before the first sample); call it once after installing the recorder.
#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
pub fn describe() {
    use ::metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        VERIFICATIONS_TOTAL,
        Unit::Count,
        "Tokens verified or rejected"
    );
    describe_histogram!(
        VERIFY_DURATION_SECONDS,
        Unit::Seconds,
        "Time of one token verification"
    );
    describe_counter!(JWKS_FETCHES_TOTAL, Unit::Count, "Remote JWKS fetches");
    describe_counter!(TOKEN_CACHE_TOTAL, Unit::Count, "Token cache lookups");
    describe_counter!(
        BACKEND_API_REQUESTS_TOTAL,
        Unit::Count,
        "Clerk Backend API requests"
    );
    describe_histogram!(
        BACKEND_API_DURATION_SECONDS,
        Unit::Seconds,
        "Clerk Backend API request time until the status"
    );
    describe_gauge!(
        REVOKED_SESSIONS,
        Unit::Count,
        "Sessions in the revocation list"
    );
    describe_histogram!(
        REVOCATION_SYNC_LAG_SECONDS,
        Unit::Seconds,
        "Time from a revocation's publish to its apply here"
    );
    describe_gauge!(
        REVOCATION_SYNC_CONNECTED,
        "1 while the Redis revocation sync is connected"
    );
    describe_counter!(
        REVOCATION_SYNC_OVERFLOWS_TOTAL,
        Unit::Count,
        "Revocations coalesced into a resync because the Redis queue was full"
    );
    describe_counter!(WEBHOOKS_TOTAL, Unit::Count, "Webhook deliveries");
}

/// When a timed operation started: an `Instant` with the feature, nothing without.
#[derive(Clone, Copy)]
#[allow(dead_code)] // Only some features time anything.
pub(crate) struct Started(#[cfg(feature = "metrics")] std::time::Instant);

#[allow(dead_code)]
impl Started {
    #[inline(always)]
    pub(crate) fn now() -> Self {
        Self(
            #[cfg(feature = "metrics")]
            std::time::Instant::now(),
        )
    }

    #[cfg(feature = "metrics")]
    fn seconds(self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }
}

/// One verification's outcome and time.
#[cfg(feature = "verify")]
#[inline(always)]
pub(crate) fn verification<T>(
    kind: crate::verify::TokenKind,
    outcome: &Result<T, crate::verify::VerifyError>,
    started: Started,
) {
    #[cfg(feature = "metrics")]
    {
        let token_type = match kind {
            crate::verify::TokenKind::Session => "session",
            crate::verify::TokenKind::Template => "template",
        };
        let (outcome, reason) = match outcome {
            Ok(_) => ("verified", "none"),
            Err(e) => ("rejected", e.reason().as_str()),
        };
        ::metrics::counter!(VERIFICATIONS_TOTAL, "token_type" => token_type, "outcome" => outcome, "reason" => reason)
            .increment(1);
        ::metrics::histogram!(VERIFY_DURATION_SECONDS).record(started.seconds());
    }
    #[cfg(not(feature = "metrics"))]
    let _ = (kind, outcome, started);
}

/// A token cache lookup.
#[cfg(feature = "verify")]
#[inline(always)]
pub(crate) fn token_cache(hit: bool) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(TOKEN_CACHE_TOTAL, "result" => if hit { "hit" } else { "miss" })
        .increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = hit;
}

/// A remote JWKS fetch.
#[cfg(feature = "remote")]
#[inline(always)]
pub(crate) fn jwks_fetch(ok: bool) {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(JWKS_FETCHES_TOTAL, "outcome" => if ok { "ok" } else { "error" })
        .increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = ok;
}

/// A Backend API request to `/{root}/{segments…}`: its status (`None`: no answer) and time.
#[cfg(feature = "remote")]
#[inline(always)]
pub(crate) fn backend_api(root: &str, segments: &[&str], status: Option<u16>, started: Started) {
    #[cfg(feature = "metrics")]
    {
        let endpoint = endpoint(root, segments);
        let status = status.map_or_else(|| "error".to_owned(), |s| s.to_string());
        ::metrics::counter!(BACKEND_API_REQUESTS_TOTAL, "endpoint" => endpoint.clone(), "status" => status)
            .increment(1);
        ::metrics::histogram!(BACKEND_API_DURATION_SECONDS, "endpoint" => endpoint)
            .record(started.seconds());
    }
    #[cfg(not(feature = "metrics"))]
    let _ = (root, segments, status, started);
}

/// The words of Backend API paths; any other segment is an ID or a name, never a label.
#[cfg(all(feature = "metrics", feature = "remote"))]
const ROUTE_WORDS: &[&str] = &[
    "v1",
    "_fake",
    "clients",
    "end",
    "handshake_payload",
    "invitations",
    "jwks",
    "jwt_templates",
    "memberships",
    "metadata",
    "organization_memberships",
    "organization_permissions",
    "organization_roles",
    "organizations",
    "permissions",
    "revoke",
    "roles",
    "sessions",
    "tokens",
    "users",
];

/// The route template of a path: `/v1/sessions/{id}/tokens/{template}`.
#[cfg(all(feature = "metrics", feature = "remote"))]
fn endpoint(root: &str, segments: &[&str]) -> String {
    let mut out = String::new();
    let mut previous = "";
    for segment in std::iter::once(&root).chain(segments) {
        out.push('/');
        out.push_str(match ROUTE_WORDS.iter().find(|w| *w == segment) {
            Some(word) => word,
            None if previous == "tokens" => "{template}",
            None => "{id}",
        });
        previous = segment;
    }
    out
}

/// The sessions in the revocation list now.
#[cfg(feature = "revocation")]
#[inline(always)]
pub(crate) fn revoked_sessions(count: usize) {
    #[cfg(feature = "metrics")]
    ::metrics::gauge!(REVOKED_SESSIONS).set(count as f64);
    #[cfg(not(feature = "metrics"))]
    let _ = count;
}

/// A revocation from another instance applied here, `lag_ms` after it was published.
#[cfg(feature = "redis")]
#[inline(always)]
pub(crate) fn revocation_sync_lag(lag_ms: i64) {
    #[cfg(feature = "metrics")]
    ::metrics::histogram!(REVOCATION_SYNC_LAG_SECONDS).record(lag_ms.max(0) as f64 / 1000.0);
    #[cfg(not(feature = "metrics"))]
    let _ = lag_ms;
}

/// The Redis sync's connection state.
#[cfg(feature = "redis")]
#[inline(always)]
pub(crate) fn revocation_sync_connected(up: bool) {
    #[cfg(feature = "metrics")]
    ::metrics::gauge!(REVOCATION_SYNC_CONNECTED).set(if up { 1.0 } else { 0.0 });
    #[cfg(not(feature = "metrics"))]
    let _ = up;
}

/// A revocation the full Redis queue did not take.
#[cfg(feature = "redis")]
#[inline(always)]
pub(crate) fn revocation_sync_overflow() {
    #[cfg(feature = "metrics")]
    ::metrics::counter!(REVOCATION_SYNC_OVERFLOWS_TOTAL).increment(1);
}

/// A webhook delivery: its event when verified.
#[cfg(feature = "webhooks")]
#[inline(always)]
pub(crate) fn webhook<E>(outcome: &Result<crate::webhooks::WebhookMessage, E>) {
    #[cfg(feature = "metrics")]
    {
        let (event_type, outcome) = match outcome {
            Ok(message) => (
                match &message.event {
                    crate::webhooks::WebhookEvent::Other { .. } => "other",
                    known => KNOWN_EVENTS
                        .iter()
                        .find(|t| **t == known.event_type())
                        .copied()
                        .unwrap_or("other"),
                },
                "verified",
            ),
            Err(_) => ("other", "rejected"),
        };
        ::metrics::counter!(WEBHOOKS_TOTAL, "event_type" => event_type, "outcome" => outcome)
            .increment(1);
    }
    #[cfg(not(feature = "metrics"))]
    let _ = outcome;
}

/// The event types `WebhookEvent` names.
#[cfg(all(feature = "metrics", feature = "webhooks"))]
const KNOWN_EVENTS: &[&str] = &[
    "user.created",
    "user.updated",
    "user.deleted",
    "session.created",
    "session.ended",
    "session.removed",
    "session.revoked",
    "organization.created",
    "organization.updated",
    "organization.deleted",
    "organizationMembership.created",
    "organizationMembership.updated",
    "organizationMembership.deleted",
];

#[cfg(all(test, feature = "metrics", feature = "remote"))]
mod tests {
    use super::endpoint;

    #[test]
    fn backend_api_endpoints_are_route_templates_without_ids() {
        assert_eq!(
            endpoint("v1", &["sessions", "sess_2abc", "revoke"]),
            "/v1/sessions/{id}/revoke"
        );
        assert_eq!(
            endpoint("v1", &["sessions", "sess_2abc", "tokens", "api"]),
            "/v1/sessions/{id}/tokens/{template}"
        );
        assert_eq!(
            endpoint("v1", &["users", "user_2abc", "metadata"]),
            "/v1/users/{id}/metadata"
        );
        assert_eq!(
            endpoint("v1", &["clients", "handshake_payload"]),
            "/v1/clients/handshake_payload"
        );
        assert_eq!(endpoint("v1", &["jwt_templates"]), "/v1/jwt_templates");
    }
}
