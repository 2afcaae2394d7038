//! Instant revocation (feature `revocation`): a list the verifier checks every token against,
//! so a signed-out device is refused at once instead of when its token expires.
//!
//! Revoking a session in Clerk ("sign out other devices") stops new tokens, but the tokens
//! already issued stay valid until their `exp`: 60 s for session tokens, longer for JWT
//! templates. A [`RevocationList`] given to
//! [`VerifierBuilder::revocations`](crate::verify::VerifierBuilder::revocations) closes that
//! window for both kinds of token, with the reason `session-revoked`:
//!
//! - a **session token** is refused when its `sid` is a revoked session;
//! - a **JWT-template token** carries no `sid` (Clerk has no shortcode for it), so the list also
//!   records the revoked session's **user** and the moment it learned of the revocation: a token
//!   without `sid` whose `sub` is that user and whose `iat` is at or before that moment is
//!   refused.
//!
//! The trade-off of the template rule: it also refuses that user's template tokens minted by
//! their **other** sessions before the revocation, since nothing in a template token tells the
//! sessions apart. Clients fetch short-lived template tokens again anyway (`getToken`), so the
//! cost is one fetch for the user's other devices; a token minted after the revocation passes.
//! Session tokens keep the exact per-`sid` rule.
//!
//! Every way in names both the session and its user: the session webhooks
//! ([`RevocationList::apply`], feature `webhooks`), the sessions
//! `ClerkApi::revoke_other_sessions` revoked ([`RevocationList::revoke_sessions`]), or by hand
//! ([`RevocationList::revoke`]; with only a session ID at hand, `ClerkApi::get_session` names its
//! user). An entry is dropped once no token issued before the revocation can still be valid:
//! after the longest token lifetime the app accepts
//! ([`RevocationListBuilder::max_token_lifetime`]).
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
//! list.revoke("sess_lost_phone", "user_2alice");
//! // Session tokens: by `sid`.
//! assert!(list.is_revoked("sess_lost_phone"));
//! assert!(!list.is_revoked("sess_laptop"));
//! // Template tokens (no `sid`): by user, when issued at or before the revocation.
//! assert!(list.is_user_token_revoked("user_2alice", Some(1_767_225_600)));
//! assert!(!list.is_user_token_revoked("user_2alice", Some(1_767_225_601)));
//! assert!(!list.is_user_token_revoked("user_2bob", Some(1_767_225_600)));
//!
//! // Once every token issued before the revocation has expired, the entries go.
//! clock.advance(Duration::from_secs(301));
//! assert!(!list.is_revoked("sess_lost_phone"));
//! assert!(!list.is_user_token_revoked("user_2alice", Some(1_767_225_600)));
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

/// One entry of a [`RevocationList`]: revoking a session makes one of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Revocation {
    /// A revoked session: tokens with this `sid` (session tokens) are refused.
    Session {
        /// The session ID (`sess_…`, a token's `sid`).
        session_id: String,
        /// When no token of the session can be valid any more (Unix milliseconds).
        expires_at_ms: i64,
    },
    /// A user one of whose sessions was revoked: their tokens without `sid` (JWT-template
    /// tokens) issued at or before `revoked_at_ms` are refused.
    User {
        /// The user ID (`user_…`, a token's `sub`).
        user_id: String,
        /// When the list learned of the latest revocation (Unix milliseconds).
        revoked_at_ms: i64,
        /// When no token issued before it can be valid any more (Unix milliseconds).
        expires_at_ms: i64,
    },
}

impl Revocation {
    /// When the entry may be forgotten (Unix milliseconds).
    pub fn expires_at_ms(&self) -> i64 {
        match self {
            Self::Session { expires_at_ms, .. } | Self::User { expires_at_ms, .. } => {
                *expires_at_ms
            }
        }
    }
}

/// A listener told of every revocation made on this list (not of merged ones): the entries
/// of one revocation together.
pub(crate) type Listener = Arc<dyn Fn(&[Revocation]) + Send + Sync>;

/// Revoked sessions and their users, shared by clones (an `Arc` inside); cheap to look up from
/// many threads.
#[derive(Clone)]
pub struct RevocationList {
    inner: Arc<Shared>,
}

/// foldhash rather than std's SipHash: a lookup is on every verification, and the keys are
/// session and user IDs from tokens whose signature already checked out (no flooding by
/// strangers).
type Map<V> = HashMap<Box<str>, V, foldhash::fast::RandomState>;

/// A user's entry: (revoked at, expires at), Unix ms.
#[derive(Debug, Clone, Copy)]
struct UserEntry {
    revoked_at_ms: i64,
    expires_at_ms: i64,
}

#[derive(Default)]
struct Tables {
    /// Session ID → expiry (Unix ms).
    sessions: Map<i64>,
    /// User ID → the latest revocation of one of their sessions.
    users: Map<UserEntry>,
}

impl Tables {
    fn len(&self) -> usize {
        self.sessions.len() + self.users.len()
    }
}

struct Shared {
    tables: RwLock<Tables>,
    /// `tables.len()`, read without the lock: an empty list costs one atomic load.
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
            .field("entries", &self.len())
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
    /// app accepts (session tokens 60 s; a JWT template's `lifetime`, or the longest
    /// `expiresInSeconds` the app asks for), plus the verifier's clock skew. Default
    /// [`DEFAULT_MAX_TOKEN_LIFETIME`].
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
                tables: RwLock::new(Tables::default()),
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

    /// Revokes the session `session_id` of `user_id` now, on every instance the list is shared
    /// with: its session tokens (by `sid`) fail verification from now on, and so do the user's
    /// JWT-template tokens issued until now, whichever session minted them (they carry no
    /// `sid`: see the [module](self)). Returns whether the session was not already revoked.
    pub fn revoke(&self, session_id: &str, user_id: &str) -> bool {
        self.revoke_sessions(user_id, [session_id]) == 1
    }

    /// Revokes several sessions of `user_id`, e.g. the ones `ClerkApi::revoke_other_sessions`
    /// returned (`result.revoked.iter().map(|s| s.id.as_str())`), as [`revoke`](Self::revoke)
    /// does each; returns how many were new. No session given, nothing revoked.
    pub fn revoke_sessions<I, S>(&self, user_id: &str, session_ids: I) -> usize
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let now = self.inner.clock.now_ms();
        let expires_at_ms = now.saturating_add(self.inner.ttl_ms);
        let mut made: Vec<Revocation> = session_ids
            .into_iter()
            .map(|id| Revocation::Session {
                session_id: id.as_ref().to_owned(),
                expires_at_ms,
            })
            .collect();
        if made.is_empty() {
            return 0;
        }
        made.push(Revocation::User {
            user_id: user_id.to_owned(),
            revoked_at_ms: now,
            expires_at_ms,
        });
        let new = self.merge(&made);
        let listener = self
            .inner
            .listener
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(listener) = listener {
            listener(&made);
        }
        new
    }

    /// Feeds a verified webhook event: `session.revoked`, `session.ended` and
    /// `session.removed` revoke their session with its user (`data.user_id`), as
    /// [`revoke`](Self::revoke) does, and return the session ID; every other event is ignored.
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
    /// assert!(list.is_user_token_revoked("user_1", Some(1_700_000_000)));
    /// # Ok::<(), clerk_claims::webhooks::WebhookError>(())
    /// ```
    #[cfg(feature = "webhooks")]
    pub fn apply<'e>(&self, event: &'e crate::webhooks::WebhookEvent) -> Option<&'e str> {
        let session = event.ended_session()?;
        self.revoke(&session.id, &session.user_id);
        Some(&session.id)
    }

    /// Whether a session is revoked (and its entry not yet expired): the rule for tokens with
    /// a `sid` (session tokens). No lock is taken while the list is empty; otherwise one shared
    /// read lock and one hash lookup.
    pub fn is_revoked(&self, session_id: &str) -> bool {
        if self.inner.len.load(Ordering::Acquire) == 0 {
            return false;
        }
        let expires = self
            .inner
            .tables
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .sessions
            .get(session_id)
            .copied();
        expires.is_some_and(|expires| expires > self.inner.clock.now_ms())
    }

    /// Whether a token without `sid` (a JWT-template token) of `user_id` issued at `issued_at`
    /// (its `iat`, Unix seconds) is revoked: a session of that user was revoked at or after
    /// that second, and the entry has not expired. A token without `iat` is revoked while the
    /// user has an entry. The same cost as [`is_revoked`](Self::is_revoked).
    pub fn is_user_token_revoked(&self, user_id: &str, issued_at: Option<i64>) -> bool {
        if self.inner.len.load(Ordering::Acquire) == 0 {
            return false;
        }
        let entry = self
            .inner
            .tables
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .users
            .get(user_id)
            .copied();
        entry.is_some_and(|e| {
            e.expires_at_ms > self.inner.clock.now_ms()
                && issued_at.is_none_or(|iat| iat.saturating_mul(1000) <= e.revoked_at_ms)
        })
    }

    /// How many entries are listed, sessions and users (expired ones included until the next
    /// sweep): revoking one session of a user lists two.
    pub fn len(&self) -> usize {
        self.inner.len.load(Ordering::Acquire)
    }

    /// Whether nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries that have not expired.
    pub fn snapshot(&self) -> Vec<Revocation> {
        let now = self.inner.clock.now_ms();
        let tables = self
            .inner
            .tables
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let sessions = tables
            .sessions
            .iter()
            .filter(|(_, expires)| **expires > now)
            .map(|(id, expires)| Revocation::Session {
                session_id: id.to_string(),
                expires_at_ms: *expires,
            });
        let users = tables
            .users
            .iter()
            .filter(|(_, e)| e.expires_at_ms > now)
            .map(|(id, e)| Revocation::User {
                user_id: id.to_string(),
                revoked_at_ms: e.revoked_at_ms,
                expires_at_ms: e.expires_at_ms,
            });
        sessions.chain(users).collect()
    }

    /// Drops expired entries now; returns how many went. (Revocations also sweep, at most
    /// twice per entry lifetime.)
    pub fn purge_expired(&self) -> usize {
        let now = self.inner.clock.now_ms();
        let mut tables = self
            .inner
            .tables
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let before = tables.len();
        tables.sessions.retain(|_, expires| *expires > now);
        tables.users.retain(|_, e| e.expires_at_ms > now);
        self.inner.len.store(tables.len(), Ordering::Release);
        crate::metrics::revoked_sessions(tables.sessions.len());
        before - tables.len()
    }

    /// Adds entries (made here or learned from another instance) under one lock, so a lookup
    /// sees all of them or none, keeping each one's later expiry and, for a user, the later
    /// revocation; tells no listener. Expired entries are left out. Returns how many sessions
    /// were not listed (or had expired).
    pub(crate) fn merge(&self, revocations: &[Revocation]) -> usize {
        let now = self.inner.clock.now_ms();
        if now >= self.inner.next_sweep_ms.load(Ordering::Relaxed) {
            self.inner
                .next_sweep_ms
                .store(now.saturating_add(self.inner.ttl_ms / 2), Ordering::Relaxed);
            self.purge_expired();
        }
        let mut tables = self
            .inner
            .tables
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let mut new = 0;
        for revocation in revocations {
            if revocation.expires_at_ms() <= now {
                continue;
            }
            match revocation {
                Revocation::Session {
                    session_id,
                    expires_at_ms,
                } => {
                    let slot = tables
                        .sessions
                        .entry(session_id.as_str().into())
                        .or_insert(i64::MIN);
                    new += usize::from(*slot <= now);
                    *slot = (*slot).max(*expires_at_ms);
                }
                Revocation::User {
                    user_id,
                    revoked_at_ms,
                    expires_at_ms,
                } => {
                    let slot = tables
                        .users
                        .entry(user_id.as_str().into())
                        .or_insert(UserEntry {
                            revoked_at_ms: i64::MIN,
                            expires_at_ms: i64::MIN,
                        });
                    if slot.expires_at_ms <= now {
                        // An expired entry's revocation time says nothing any more.
                        slot.revoked_at_ms = i64::MIN;
                    }
                    slot.revoked_at_ms = slot.revoked_at_ms.max(*revoked_at_ms);
                    slot.expires_at_ms = slot.expires_at_ms.max(*expires_at_ms);
                }
            }
        }
        self.inner.len.store(tables.len(), Ordering::Release);
        crate::metrics::revoked_sessions(tables.sessions.len());
        new
    }

    /// Sets the one listener told of each revocation made here; `false` (and nothing set)
    /// when there is one already.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn set_listener(&self, listener: Listener) -> bool {
        let mut slot = self
            .inner
            .listener
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.is_some() {
            return false;
        }
        *slot = Some(listener);
        true
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

    fn is_user_token_revoked(&self, user_id: &str, issued_at: Option<i64>) -> bool {
        RevocationList::is_user_token_revoked(self, user_id, issued_at)
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

    fn session(id: &str, expires_at_ms: i64) -> Revocation {
        Revocation::Session {
            session_id: id.into(),
            expires_at_ms,
        }
    }

    fn user(id: &str, revoked_at_ms: i64, expires_at_ms: i64) -> Revocation {
        Revocation::User {
            user_id: id.into(),
            revoked_at_ms,
            expires_at_ms,
        }
    }

    #[test]
    fn a_revoked_session_is_listed_until_its_tokens_have_expired() {
        let (list, clock) = list_at(1_000, 60);
        assert!(list.revoke("sess_1", "user_1"));
        assert!(
            !list.revoke("sess_1", "user_1"),
            "a second revoke is not new"
        );
        clock.advance(Duration::from_secs(59));
        assert!(list.is_revoked("sess_1"));
        assert!(list.is_user_token_revoked("user_1", Some(1_000)));
        clock.advance(Duration::from_secs(1));
        assert!(!list.is_revoked("sess_1"));
        assert!(!list.is_user_token_revoked("user_1", Some(1_000)));
        assert!(list.snapshot().is_empty());
        assert_eq!(list.purge_expired(), 2);
        assert!(list.is_empty());
    }

    #[test]
    fn a_user_token_is_revoked_when_issued_at_or_before_the_revocation() {
        let (list, clock) = list_at(1_000, 600);
        list.revoke("sess_1", "user_1");
        clock.advance(Duration::from_millis(1_500));
        assert!(list.is_user_token_revoked("user_1", Some(999)));
        assert!(
            list.is_user_token_revoked("user_1", Some(1_000)),
            "the same second"
        );
        assert!(!list.is_user_token_revoked("user_1", Some(1_001)));
        assert!(
            list.is_user_token_revoked("user_1", None),
            "no iat: no proof"
        );
        assert!(!list.is_user_token_revoked("user_2", Some(999)));
        assert!(!list.is_revoked("user_1"), "users are not sessions");
    }

    #[test]
    fn revoke_sessions_counts_only_new_ones_and_lists_the_user_once() {
        let (list, _) = list_at(1_000, 60);
        list.revoke("sess_a", "user_1");
        assert_eq!(
            list.revoke_sessions("user_1", ["sess_a", "sess_b", "sess_c"]),
            2
        );
        assert_eq!(list.len(), 4, "three sessions and their user");
        assert_eq!(list.revoke_sessions("user_2", Vec::<&str>::new()), 0);
        assert!(!list.is_user_token_revoked("user_2", Some(1)));
    }

    #[test]
    fn merge_keeps_the_later_expiry_and_revocation_and_refuses_expired_entries() {
        let (list, _) = list_at(1_000, 60);
        assert_eq!(list.merge(&[session("sess_1", 999_000)]), 0, "expired");
        assert!(list.is_empty());
        assert_eq!(list.merge(&[session("sess_1", 1_100_000)]), 1);
        assert_eq!(list.merge(&[session("sess_1", 1_050_000)]), 0);
        list.merge(&[
            user("user_1", 1_000_000, 1_060_000),
            user("user_1", 990_000, 1_090_000),
            user("user_2", 990_000, 999_000),
        ]);
        let mut entries = list.snapshot();
        entries.sort_by_key(Revocation::expires_at_ms);
        assert_eq!(
            entries,
            vec![
                user("user_1", 1_000_000, 1_090_000),
                session("sess_1", 1_100_000)
            ]
        );
    }

    #[test]
    fn a_user_entry_that_expired_starts_again_from_its_new_revocation() {
        let (list, clock) = list_at(1_000, 10);
        list.revoke("sess_1", "user_1");
        clock.advance(Duration::from_secs(20));
        list.merge(&[user("user_1", 900_000, 1_030_000)]);
        assert!(
            !list.is_user_token_revoked("user_1", Some(950)),
            "after 900 s"
        );
        assert!(list.is_user_token_revoked("user_1", Some(900)));
    }

    #[test]
    fn revocations_sweep_expired_entries() {
        let (list, clock) = list_at(1_000, 10);
        list.revoke_sessions("user_1", (0..100).map(|i| format!("sess_{i}")));
        clock.advance(Duration::from_secs(11));
        list.revoke("sess_new", "user_2");
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn the_listener_hears_local_revocations_only() {
        let (list, _) = list_at(1_000, 60);
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = heard.clone();
        let listener: Listener = Arc::new(move |made: &[Revocation]| {
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(made.to_vec());
        });
        assert!(list.set_listener(listener.clone()));
        assert!(
            !list.set_listener(listener.clone()),
            "one listener per list"
        );
        list.revoke("sess_local", "user_1");
        list.merge(&[session("sess_remote", 2_000_000)]);
        list.remove_listener(&listener);
        list.revoke("sess_after", "user_1");
        let heard = heard.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(
            heard,
            vec![vec![
                session("sess_local", 1_060_000),
                user("user_1", 1_000_000, 1_060_000)
            ]],
            "one revocation, heard once with both of its entries"
        );
        assert!(list.is_revoked("sess_remote"));
    }
}
