//! Instant revocation (feature `revocation`): a list of revoked sessions the verifier checks
//! every token's `sid` against, so a signed-out device is refused at once instead of when its
//! token expires.
//!
//! Revoking a session in Clerk ("sign out other devices") stops new tokens, but the tokens
//! already issued stay valid until their `exp`: 60 s for session tokens, longer for JWT
//! templates. A [`RevocationList`] given to
//! [`VerifierBuilder::revocations`](crate::verify::VerifierBuilder::revocations) closes that
//! window: a token of a revoked session fails with `session-revoked`. The list is fed by the
//! session webhooks (`RevocationList::apply`, feature `webhooks`), by the sessions
//! `ClerkApi::revoke_other_sessions` revoked ([`RevocationList::revoke_sessions`]), or by
//! hand ([`RevocationList::revoke`]).
//! An entry is dropped once no token issued before the revocation can still be valid: after
//! the longest token lifetime the app accepts ([`RevocationListBuilder::max_token_lifetime`]).
//!
//! In memory the list serves one process. For a fleet, the `redis` feature's
//! [`RedisSync`](redis::RedisSync) shares it: each instance keeps its own list, fed by Redis
//! pub/sub and a snapshot at start, so a lookup never waits on the network.
//!
//! ```
//! use clerk_claims::Clock;
//! use clerk_claims::revocation::RevocationList;
//! use std::time::Duration;
//!
//! let clock = Clock::manual(1_767_225_600);
//! let list = RevocationList::builder()
//!     .max_token_lifetime(Duration::from_secs(300))
//!     .clock(clock.clone())
//!     .build();
//! list.revoke("sess_lost_phone");
//! assert!(list.is_revoked("sess_lost_phone"));
//! assert!(!list.is_revoked("sess_laptop"));
//!
//! // Once every token of that session has expired, the entry goes.
//! clock.advance(Duration::from_secs(301));
//! assert!(!list.is_revoked("sess_lost_phone"));
//! ```

#[cfg(feature = "redis")]
pub mod redis;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use crate::Clock;

/// How long an entry lives by default: one hour, longer than Clerk's session tokens (60 s)
/// and than most JWT templates. Set the longest lifetime your app accepts (plus clock skew)
/// with [`RevocationListBuilder::max_token_lifetime`].
pub const DEFAULT_MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// One revoked session and when its entry may be forgotten.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Revocation {
    /// The session ID (`sess_…`, a token's `sid`).
    pub session_id: String,
    /// When no token of the session can be valid any more (Unix milliseconds).
    pub expires_at_ms: i64,
}

/// A listener told of every revocation made on this list (not of merged ones).
pub(crate) type Listener = Arc<dyn Fn(&Revocation) + Send + Sync>;

/// Revoked sessions, shared by clones (an `Arc` inside); cheap to look up from many threads.
#[derive(Clone)]
pub struct RevocationList {
    inner: Arc<Shared>,
}

/// foldhash rather than std's SipHash: a lookup is on every verification, and the keys are
/// session IDs from tokens whose signature already checked out (no flooding by strangers).
type Entries = HashMap<Box<str>, i64, foldhash::fast::RandomState>;

struct Shared {
    /// Session ID → expiry (Unix ms).
    entries: RwLock<Entries>,
    /// `entries.len()`, read without the lock: an empty list costs one atomic load.
    len: AtomicUsize,
    /// When the next sweep of expired entries is due (Unix ms).
    next_sweep_ms: AtomicI64,
    ttl_ms: i64,
    clock: Clock,
    listener: RwLock<Option<Listener>>,
}

impl fmt::Debug for RevocationList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevocationList")
            .field("sessions", &self.len())
            .field("max_token_lifetime_ms", &self.inner.ttl_ms)
            .finish_non_exhaustive()
    }
}

impl Default for RevocationList {
    fn default() -> Self {
        Self::new()
    }
}

/// Builds a [`RevocationList`]: entry lifetime and clock.
#[derive(Debug, Clone)]
pub struct RevocationListBuilder {
    max_token_lifetime: Duration,
    clock: Clock,
}

impl RevocationListBuilder {
    /// Keep each entry this long after the revocation: the longest lifetime of any token the
    /// app accepts (session tokens 60 s; a JWT template's `lifetime`), plus the verifier's clock
    /// skew. Default [`DEFAULT_MAX_TOKEN_LIFETIME`].
    #[must_use]
    pub fn max_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.max_token_lifetime = lifetime;
        self
    }

    /// The clock entries expire by (system time by default); hand the verifier's clock.
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The empty list.
    pub fn build(self) -> RevocationList {
        let ttl_ms = i64::try_from(self.max_token_lifetime.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        RevocationList {
            inner: Arc::new(Shared {
                entries: RwLock::new(Entries::default()),
                len: AtomicUsize::new(0),
                next_sweep_ms: AtomicI64::new(0),
                ttl_ms,
                clock: self.clock,
                listener: RwLock::new(None),
            }),
        }
    }
}

impl RevocationList {
    /// An empty list with the default entry lifetime and the system clock.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder (entry lifetime, clock).
    pub fn builder() -> RevocationListBuilder {
        RevocationListBuilder {
            max_token_lifetime: DEFAULT_MAX_TOKEN_LIFETIME,
            clock: Clock::system(),
        }
    }

    /// How long an entry is kept after its revocation.
    pub fn max_token_lifetime(&self) -> Duration {
        Duration::from_millis(self.inner.ttl_ms.unsigned_abs())
    }

    /// The list's clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Revokes a session now; returns whether it was not already revoked. Tokens of that
    /// session fail verification from now on, on every instance the list is shared with.
    pub fn revoke(&self, session_id: &str) -> bool {
        let revocation = Revocation {
            session_id: session_id.to_owned(),
            expires_at_ms: self.inner.clock.now_ms().saturating_add(self.inner.ttl_ms),
        };
        let new = self.merge(&revocation);
        let listener = self
            .inner
            .listener
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(listener) = listener {
            listener(&revocation);
        }
        new
    }

    /// Revokes several sessions, e.g. the ones `ClerkApi::revoke_other_sessions` returned
    /// (`result.revoked.iter().map(|s| s.id.as_str())`); returns how many were new.
    pub fn revoke_sessions<I, S>(&self, session_ids: I) -> usize
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        session_ids
            .into_iter()
            .filter(|id| self.revoke(id.as_ref()))
            .count()
    }

    /// Feeds a verified webhook event: `session.revoked`, `session.ended` and
    /// `session.removed` revoke their session (returned); every other event is ignored.
    ///
    /// ```
    /// use clerk_claims::revocation::RevocationList;
    /// use clerk_claims::webhooks::WebhookEvent;
    ///
    /// let list = RevocationList::new();
    /// let event = WebhookEvent::from_parts(
    ///     "session.revoked",
    ///     serde_json::json!({"id": "sess_1", "user_id": "user_1", "status": "revoked"}),
    /// )?;
    /// assert_eq!(list.apply(&event), Some("sess_1"));
    /// assert!(list.is_revoked("sess_1"));
    /// # Ok::<(), clerk_claims::webhooks::WebhookError>(())
    /// ```
    #[cfg(feature = "webhooks")]
    pub fn apply<'e>(&self, event: &'e crate::webhooks::WebhookEvent) -> Option<&'e str> {
        let session = event.ended_session()?;
        self.revoke(&session.id);
        Some(&session.id)
    }

    /// Whether a session is revoked (and its entry not yet expired). No lock is taken while
    /// the list is empty; otherwise one shared read lock and one hash lookup.
    pub fn is_revoked(&self, session_id: &str) -> bool {
        if self.inner.len.load(Ordering::Acquire) == 0 {
            return false;
        }
        let expires = self
            .inner
            .entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(session_id)
            .copied();
        expires.is_some_and(|expires| expires > self.inner.clock.now_ms())
    }

    /// How many sessions are listed (expired entries included until the next sweep).
    pub fn len(&self) -> usize {
        self.inner.len.load(Ordering::Acquire)
    }

    /// Whether no session is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries that have not expired.
    pub fn snapshot(&self) -> Vec<Revocation> {
        let now = self.inner.clock.now_ms();
        self.inner
            .entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|(_, expires)| **expires > now)
            .map(|(id, expires)| Revocation {
                session_id: id.to_string(),
                expires_at_ms: *expires,
            })
            .collect()
    }

    /// Drops expired entries now; returns how many went. (Revocations also sweep, at most
    /// twice per entry lifetime.)
    pub fn purge_expired(&self) -> usize {
        let now = self.inner.clock.now_ms();
        let mut entries = self
            .inner
            .entries
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let before = entries.len();
        entries.retain(|_, expires| *expires > now);
        self.inner.len.store(entries.len(), Ordering::Release);
        before - entries.len()
    }

    /// Adds an entry learned elsewhere (another instance), keeping the later expiry; tells no
    /// listener. Returns whether the session was not listed (or had expired).
    pub(crate) fn merge(&self, revocation: &Revocation) -> bool {
        let now = self.inner.clock.now_ms();
        if revocation.expires_at_ms <= now {
            return false;
        }
        if now >= self.inner.next_sweep_ms.load(Ordering::Relaxed) {
            self.inner
                .next_sweep_ms
                .store(now.saturating_add(self.inner.ttl_ms / 2), Ordering::Relaxed);
            self.purge_expired();
        }
        let mut entries = self
            .inner
            .entries
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let slot = entries
            .entry(revocation.session_id.as_str().into())
            .or_insert(i64::MIN);
        let new = *slot <= now;
        *slot = (*slot).max(revocation.expires_at_ms);
        self.inner.len.store(entries.len(), Ordering::Release);
        new
    }

    /// Sets the one listener told of each revocation made here (replacing any).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn set_listener(&self, listener: Listener) {
        *self
            .inner
            .listener
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(listener);
    }

    /// Removes the listener if it is still `listener` (a newer one stays).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn remove_listener(&self, listener: &Listener) {
        let mut slot = self
            .inner
            .listener
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|l| Arc::ptr_eq(l, listener)) {
            *slot = None;
        }
    }
}

#[cfg(feature = "verify")]
impl crate::verify::RevocationCheck for RevocationList {
    fn is_revoked(&self, session_id: &str) -> bool {
        RevocationList::is_revoked(self, session_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list_at(secs: i64, lifetime: u64) -> (RevocationList, Clock) {
        let clock = Clock::manual(secs);
        let list = RevocationList::builder()
            .max_token_lifetime(Duration::from_secs(lifetime))
            .clock(clock.clone())
            .build();
        (list, clock)
    }

    #[test]
    fn a_revoked_session_is_listed_until_its_tokens_have_expired() {
        let (list, clock) = list_at(1_000, 60);
        assert!(list.revoke("sess_1"));
        assert!(!list.revoke("sess_1"), "a second revoke is not new");
        clock.advance(Duration::from_secs(59));
        assert!(list.is_revoked("sess_1"));
        clock.advance(Duration::from_secs(1));
        assert!(!list.is_revoked("sess_1"));
        assert!(list.snapshot().is_empty());
        assert_eq!(list.purge_expired(), 1);
        assert!(list.is_empty());
    }

    #[test]
    fn revoke_sessions_counts_only_new_ones() {
        let (list, _) = list_at(1_000, 60);
        list.revoke("sess_a");
        assert_eq!(list.revoke_sessions(["sess_a", "sess_b", "sess_c"]), 2);
        assert_eq!(list.len(), 3);
    }

    #[test]
    fn merge_keeps_the_later_expiry_and_refuses_expired_entries() {
        let (list, _) = list_at(1_000, 60);
        let entry = |ms| Revocation {
            session_id: "sess_1".into(),
            expires_at_ms: ms,
        };
        assert!(!list.merge(&entry(999_000)), "already expired");
        assert!(list.merge(&entry(1_100_000)));
        assert!(!list.merge(&entry(1_050_000)));
        assert_eq!(list.snapshot(), vec![entry(1_100_000)]);
    }

    #[test]
    fn revocations_sweep_expired_entries() {
        let (list, clock) = list_at(1_000, 10);
        list.revoke_sessions((0..100).map(|i| format!("sess_{i}")));
        clock.advance(Duration::from_secs(11));
        list.revoke("sess_new");
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn the_listener_hears_local_revocations_only() {
        let (list, _) = list_at(1_000, 60);
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = heard.clone();
        let listener: Listener = Arc::new(move |r: &Revocation| {
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(r.session_id.clone());
        });
        list.set_listener(listener.clone());
        list.revoke("sess_local");
        list.merge(&Revocation {
            session_id: "sess_remote".into(),
            expires_at_ms: 2_000_000,
        });
        list.remove_listener(&listener);
        list.revoke("sess_after");
        let heard = heard.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(heard, vec!["sess_local".to_owned()]);
        assert!(list.is_revoked("sess_remote"));
    }
}
