//! The handshake nonce exchange, bounded: any request can carry `__clerk_handshake_nonce`, so
//! what it costs is limited before the Backend API is asked (stricter than Clerk, whose SDK
//! asks for every nonce, as often as it comes, for as long as its HTTP client waits).
//!
//! * A nonce that cannot be one (empty, longer than [`MAX_NONCE_LEN`], or with a character
//!   outside `A-Z a-z 0-9 - _ . ~`) is refused without a call.
//! * A nonce whose exchange failed (Backend API error, unknown nonce, timeout) is remembered
//!   for [`REMEMBER_FAILED_SECS`] (up to [`REMEMBERED_FAILURES`] nonces): asking again costs
//!   no call.
//! * At most [`RequestOptionsBuilder::max_nonce_exchanges`](super::RequestOptionsBuilder::max_nonce_exchanges)
//!   exchanges run at once; a nonce beyond them is refused without a call.
//! * Each exchange waits at most
//!   [`RequestOptionsBuilder::api_timeout`](super::RequestOptionsBuilder::api_timeout).
//!
//! A refused nonce is answered as Clerk answers a failed exchange (no cookies: the handshake
//! return signs out with `session-token-missing`), with `x-clerk-auth-message` saying why.

use std::hash::BuildHasher;
use std::time::Duration;

use crate::Clock;

/// The longest nonce exchanged (bytes).
pub const MAX_NONCE_LEN: usize = 4096;
/// How long a nonce whose exchange failed is remembered (seconds).
pub const REMEMBER_FAILED_SECS: i64 = 600;
/// How many failed nonces are remembered at most.
pub const REMEMBERED_FAILURES: usize = 4096;
/// The default bound on concurrent nonce exchanges.
pub const DEFAULT_MAX_NONCE_EXCHANGES: usize = 8;
/// The default timeout of a Backend API call on the request path.
pub const DEFAULT_API_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether `nonce` can be a handshake nonce: 1 to [`MAX_NONCE_LEN`] URL-safe characters
/// (`A-Z a-z 0-9 - _ . ~`).
pub(crate) fn is_nonce_shaped(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce.len() <= MAX_NONCE_LEN
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// The bounds of the nonce exchange, shared by every clone of the options.
pub(crate) struct NonceGate {
    permits: tokio::sync::Semaphore,
    limit: usize,
    timeout: Duration,
    /// Failed nonces (by a keyed hash, so memory does not grow with their length) and when
    /// they failed (Unix seconds).
    failed: quick_cache::sync::Cache<u64, i64>,
    hasher: std::hash::RandomState,
}

impl std::fmt::Debug for NonceGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NonceGate")
            .field("limit", &self.limit)
            .field("timeout", &self.timeout)
            .field("remembered_failures", &self.failed.len())
            .finish()
    }
}

impl NonceGate {
    pub(crate) fn new(limit: usize, timeout: Duration) -> Self {
        Self {
            permits: tokio::sync::Semaphore::new(limit),
            limit,
            timeout,
            failed: quick_cache::sync::Cache::new(REMEMBERED_FAILURES),
            hasher: std::hash::RandomState::new(),
        }
    }

    /// The `Set-Cookie` lines behind `nonce`, or why it was not (or could not be) exchanged.
    pub(crate) async fn exchange(
        &self,
        api: &crate::api::ClerkApi,
        nonce: &str,
        clock: &Clock,
    ) -> Result<Vec<String>, String> {
        if !is_nonce_shaped(nonce) {
            return Err(format!(
                "the handshake nonce was not exchanged: expected 1 to {MAX_NONCE_LEN} characters of A-Z a-z 0-9 - _ . ~, found {} bytes{}",
                nonce.len(),
                if nonce.len() <= MAX_NONCE_LEN {
                    " with other characters"
                } else {
                    ""
                }
            ));
        }
        let key = self.hasher.hash_one(nonce);
        let now = clock.now();
        if let Some(at) = self.failed.get(&key)
            && now - at < REMEMBER_FAILED_SECS
        {
            return Err(format!(
                "the handshake nonce was not exchanged: its exchange failed {}s ago (a failed nonce is not asked again for {REMEMBER_FAILED_SECS}s)",
                now - at
            ));
        }
        let Ok(_permit) = self.permits.try_acquire() else {
            return Err(format!(
                "the handshake nonce was not exchanged: {} exchanges are already waiting for the Backend API (max_nonce_exchanges)",
                self.limit
            ));
        };
        let failure = match tokio::time::timeout(self.timeout, api.handshake_payload(nonce)).await {
            Ok(Ok(lines)) => return Ok(lines),
            Ok(Err(e)) => {
                // The details (the Backend API's URL and answer) go to the trace, not to the
                // client.
                tracing::warn!(target: "clerk_claims", error = %e, "handshake nonce exchange failed");
                "the handshake nonce exchange failed: the Backend API gave no payload for it (the clerk_claims trace says why)".to_owned()
            }
            Err(_) => format!(
                "the handshake nonce exchange failed: no answer from the Backend API within {:?} (api_timeout)",
                self.timeout
            ),
        };
        self.failed.insert(key, now);
        Err(failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_url_safe_text_of_bounded_length() {
        assert!(is_nonce_shaped("hsn_good"));
        assert!(is_nonce_shaped("eyJh.eyJ-_x.sig~"));
        assert!(is_nonce_shaped(&"a".repeat(MAX_NONCE_LEN)));
        assert!(!is_nonce_shaped(""));
        assert!(!is_nonce_shaped(&"a".repeat(MAX_NONCE_LEN + 1)));
        assert!(!is_nonce_shaped("<script>"));
        assert!(!is_nonce_shaped("a b"));
        assert!(!is_nonce_shaped("é"));
    }
}
