//! De-duplication of webhook deliveries by `svix-id`: each message processed once.
//!
//! Svix delivers at least once. A delivery whose 2xx answer was lost, or came after Svix's 15 s
//! timeout, is sent again with the same `svix-id` (after 5 s, 5 min, 30 min, …), signed anew;
//! and anyone who captured a delivery can replay it while its timestamp is within the 5-minute
//! window. Revocation is idempotent; a handler that sends an email or charges a card may not
//! be. With a [`Dedup`] on the [`Webhook`](super::Webhook),
//! [`Webhook::receive`](super::Webhook::receive) and the axum and actix-web extractors claim
//! each verified delivery's `svix-id`; a repeated id is
//! [`WebhookError::Duplicate`], which the extractors answer `200` without calling the handler
//! (Svix treats any 2xx as delivered and stops retrying).
//!
//! - **Window.** An id is remembered for [`DEFAULT_WINDOW`] (10 minutes) from its first
//!   delivery, or the [`window`](Dedup::window) given, never less than twice the timestamp
//!   tolerance: every replay the timestamp check still accepts is caught (a timestamp can be 5
//!   minutes ahead of the clock and stays acceptable 5 minutes after), and so are Svix's retries
//!   at 5 s and 5 min. A longer window also catches the later retries (30 min, 2 h, …).
//! - **[`Dedup::memory`]**: one instance. At most [`DEFAULT_CAPACITY`] ids (or
//!   [`Dedup::memory_with_capacity`]); when full, the oldest id is dropped first, so memory
//!   stays bounded and a retry of that id would be processed again, as without de-duplication
//!   (only genuine deliveries are stored: ids are claimed after the signature is checked).
//!   Expiry uses the `Webhook`'s [`Clock`](crate::Clock).
//! - **`Dedup::redis`** (feature `redis`): a fleet. One `SET key NX PX <window>` per delivery,
//!   bounded by a timeout; when Redis does not answer, deliveries are accepted unchecked with a
//!   logged warning (the default) or refused with 503 so Svix retries later: see
//!   [`WhenUnavailable`].
//! - **A failing handler.** The claim is made before the handler runs; a handler that fails
//!   and answers non-2xx so that Svix retries calls [`Webhook::forget`](super::Webhook::forget)
//!   first, or the retry is acknowledged unprocessed.
//!
//! ```
//! use std::time::Duration;
//! use clerk_claims::Clock;
//! use clerk_claims::webhooks::{Dedup, Webhook, WebhookError};
//! use http::HeaderMap;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let clock = Clock::manual(1_767_225_600);
//! let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?
//!     .with_clock(clock.clone())
//!     .dedup(Dedup::memory().window(Duration::from_secs(3600)));
//! let body = br#"{"type":"user.created","data":{"id":"user_1"}}"#;
//! // Each attempt is signed anew, at the time it is sent.
//! let attempt = |at: i64| -> Result<HeaderMap, Box<dyn std::error::Error>> {
//!     let mut headers = HeaderMap::new();
//!     headers.insert("svix-id", "msg_1".parse()?);
//!     headers.insert("svix-timestamp", at.to_string().parse()?);
//!     headers.insert("svix-signature", webhook.sign("msg_1", at, body).parse()?);
//!     Ok(headers)
//! };
//!
//! webhook.receive(&attempt(clock.now())?, body).await?;
//! clock.advance(Duration::from_secs(30 * 60)); // Svix's retry after 30 minutes
//! let retry = webhook.receive(&attempt(clock.now())?, body).await;
//! assert!(matches!(retry, Err(WebhookError::Duplicate { .. })));
//! # Ok(()) }
//! ```

#[cfg(feature = "redis")]
pub mod redis;

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

#[cfg(feature = "redis")]
pub use self::redis::{RedisDedupError, RedisDedupOptions, WhenUnavailable};
use super::{TOLERANCE_SECS, WebhookError};

/// How long an id is remembered by default: twice the timestamp tolerance (10 minutes).
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(2 * TOLERANCE_SECS as u64);

/// How many ids [`Dedup::memory`] holds at most.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// Where received `svix-id`s are remembered: in memory or in Redis. Clones share the store.
#[derive(Clone)]
pub struct Dedup {
    store: Arc<Store>,
    window: Duration,
}

enum Store {
    Memory(Mutex<Memory>),
    #[cfg(feature = "redis")]
    Redis(Box<self::redis::RedisStore>),
}

impl fmt::Debug for Dedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Dedup");
        match &*self.store {
            Store::Memory(memory) => {
                let memory = memory.lock().unwrap_or_else(PoisonError::into_inner);
                debug
                    .field("store", &"memory")
                    .field("ids", &memory.expiry.len())
                    .field("capacity", &memory.capacity);
            }
            #[cfg(feature = "redis")]
            Store::Redis(redis) => {
                debug.field("store", redis);
            }
        }
        debug.field("window", &self.window).finish()
    }
}

impl Dedup {
    /// In memory, for one instance: at most [`DEFAULT_CAPACITY`] ids, each for
    /// [`DEFAULT_WINDOW`].
    pub fn memory() -> Self {
        Self::memory_with_capacity(DEFAULT_CAPACITY)
    }

    /// In memory, at most `capacity` ids (at least one); when full, the oldest is dropped.
    pub fn memory_with_capacity(capacity: usize) -> Self {
        Self::with_store(Store::Memory(Mutex::new(Memory {
            capacity: capacity.max(1),
            expiry: HashMap::new(),
            by_expiry: BTreeSet::new(),
            warned_full: false,
        })))
    }

    fn with_store(store: Store) -> Self {
        Self {
            store: Arc::new(store),
            window: DEFAULT_WINDOW,
        }
    }

    /// How long each id is remembered from its first delivery; at least [`DEFAULT_WINDOW`],
    /// so no replay within the timestamp tolerance gets through.
    #[must_use]
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window.max(DEFAULT_WINDOW);
        self
    }

    /// Claims `id` at `now_ms`: `Ok` the first time within the window, `Duplicate` after.
    pub(crate) async fn claim(&self, id: &str, now_ms: i64) -> Result<(), WebhookError> {
        let window_ms = i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX);
        let first = match &*self.store {
            Store::Memory(memory) => Memory::locked(memory, |m| {
                m.claim(id, now_ms, now_ms.saturating_add(window_ms))
            }),
            #[cfg(feature = "redis")]
            Store::Redis(redis) => redis.claim(id, window_ms).await?,
        };
        if first {
            Ok(())
        } else {
            Err(WebhookError::Duplicate { id: id.to_owned() })
        }
    }

    /// Drops `id`'s claim.
    pub(crate) async fn forget(&self, id: &str) -> Result<(), WebhookError> {
        match &*self.store {
            Store::Memory(memory) => {
                Memory::locked(memory, |m| m.forget(id));
                Ok(())
            }
            #[cfg(feature = "redis")]
            Store::Redis(redis) => redis.forget(id).await,
        }
    }
}

/// The in-memory store: each id with when it expires, and the same ordered by expiry.
struct Memory {
    capacity: usize,
    expiry: HashMap<Box<str>, i64>,
    by_expiry: BTreeSet<(i64, Box<str>)>,
    warned_full: bool,
}

impl Memory {
    /// Runs `f` on the store, the lock held only meanwhile (never across an `.await`).
    fn locked<T>(memory: &Mutex<Memory>, f: impl FnOnce(&mut Memory) -> T) -> T {
        f(&mut memory.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Whether `id` is new (and now held until `expires_ms`).
    fn claim(&mut self, id: &str, now_ms: i64, expires_ms: i64) -> bool {
        while let Some((at, _)) = self.by_expiry.first() {
            if *at > now_ms {
                break;
            }
            if let Some((_, gone)) = self.by_expiry.pop_first() {
                self.expiry.remove(&gone);
            }
        }
        if self.expiry.contains_key(id) {
            return false;
        }
        if self.expiry.len() >= self.capacity {
            if !self.warned_full {
                self.warned_full = true;
                tracing::warn!(
                    capacity = self.capacity,
                    "webhook dedup: the in-memory store is full; the oldest ids are dropped, so \
                     a late retry of one of them would be processed again (raise the capacity, \
                     or use Redis)"
                );
            }
            if let Some((_, oldest)) = self.by_expiry.pop_first() {
                self.expiry.remove(&oldest);
            }
        }
        let id: Box<str> = id.into();
        self.expiry.insert(id.clone(), expires_ms);
        self.by_expiry.insert((expires_ms, id));
        true
    }

    fn forget(&mut self, id: &str) {
        if let Some((key, expires)) = self.expiry.remove_entry(id) {
            self.by_expiry.remove(&(expires, key));
        }
    }
}
