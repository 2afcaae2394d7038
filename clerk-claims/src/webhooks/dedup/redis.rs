//! The de-duplication store shared by a fleet through Redis (features `webhooks` + `redis`).
//!
//! Each delivery is one `SET {prefix}:{svix-id} <token> NX PX <window>`: Redis answers `OK` to
//! the first instance that claims the id and nothing to every later one, on any instance, until
//! the window ends. Connecting and the command together take at most the
//! [`timeout`](RedisDedupOptions::timeout) (500 ms by default), so a verify never waits longer.
//! When Redis does not answer in time (down, frozen, unreachable) the connection is dropped,
//! [`WhenUnavailable`] decides, a warning is logged once per outage, and no new connection is
//! tried for a second: meanwhile deliveries are decided at once, without waiting.
//!
//! A claim that got no answer may still reach Redis later (a frozen or slow server runs it when
//! it wakes). Under [`WhenUnavailable::Refuse`] the delivery was not processed, so its claim is
//! released: a compare-and-delete of its token follows the `SET` on the same connection (Redis
//! runs them in order), retried on a new connection if that one broke, until the window ends.
//! Svix's retry is then processed, not taken for a duplicate.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_claims::webhooks::Webhook;
//! use clerk_claims::webhooks::dedup::{Dedup, RedisDedupOptions, WhenUnavailable};
//!
//! let dedup = Dedup::redis(
//!     RedisDedupOptions::new("redis://127.0.0.1:6379").when_unavailable(WhenUnavailable::Refuse),
//! )?;
//! let webhook = Webhook::new(std::env::var("CLERK_WEBHOOK_SIGNING_SECRET")?)?.dedup(dedup);
//! // Hand `webhook` to the axum or actix-web extractor: each svix-id is processed once per fleet.
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use redis::aio::MultiplexedConnection;
use thiserror::Error;

use super::{Dedup, Store};
use crate::webhooks::WebhookError;

/// The default key prefix: each id is the key `{prefix}:{svix-id}`.
pub const DEFAULT_KEY_PREFIX: &str = "clerk-claims:webhook-ids";

/// How long after a failure no new connection is tried (deliveries are decided at once).
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// How many refused claims are being released at once, at most (more are left to expire).
const MAX_RELEASES: usize = 10_000;

/// Deletes `KEYS[1]` if it holds `ARGV[1]`: releases one claim and no other.
const RELEASE: &str =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/// What a delivery gets when Redis does not answer within the timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhenUnavailable {
    /// Process it unchecked (the default): nothing is lost, and a duplicate may get through
    /// during the outage, as without de-duplication. The outage is logged (`warn`).
    #[default]
    Accept,
    /// Refuse it with [`WebhookError::DedupUnavailable`] (503 from the extractors): Svix
    /// retries later, with backoff, and no duplicate gets through; deliveries wait for Redis.
    Refuse,
}

/// Where and how to reach Redis for [`Dedup::redis`].
#[derive(Debug, Clone)]
pub struct RedisDedupOptions {
    url: String,
    key_prefix: String,
    timeout: Duration,
    when_unavailable: WhenUnavailable,
}

impl RedisDedupOptions {
    /// Options for `url` (`redis://host:port[/db]`) with the defaults: key prefix
    /// [`DEFAULT_KEY_PREFIX`], a 500 ms timeout, [`WhenUnavailable::Accept`].
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
            timeout: Duration::from_millis(500),
            when_unavailable: WhenUnavailable::Accept,
        }
    }

    /// The keys' prefix: one per webhook endpoint when several share a Redis.
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// The longest a claim may take, connecting included.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// What a delivery gets when Redis does not answer in time.
    #[must_use]
    pub fn when_unavailable(mut self, when: WhenUnavailable) -> Self {
        self.when_unavailable = when;
        self
    }
}

/// Why [`Dedup::redis`] refused (an unreachable Redis is not an error here: see the module).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RedisDedupError {
    /// The URL is not a Redis URL the client understands.
    #[error("Redis URL: expected redis://host:port[/db], found an URL the client refuses: {0}")]
    Url(#[source] redis::RedisError),
}

impl Dedup {
    /// Shared by every instance through the Redis of `options`; connects at the first
    /// delivery. Claims must run inside a Tokio runtime (axum's and actix-web's are).
    pub fn redis(options: RedisDedupOptions) -> Result<Self, RedisDedupError> {
        let client = redis::Client::open(options.url.as_str()).map_err(RedisDedupError::Url)?;
        let nonce = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id()).rotate_left(48);
        Ok(Self::with_store(Store::Redis(Box::new(RedisStore {
            client,
            options,
            link: tokio::sync::Mutex::new(Link::default()),
            nonce,
            claims: AtomicU64::new(0),
            releases: Arc::new(AtomicUsize::new(0)),
        }))))
    }
}

pub(crate) struct RedisStore {
    client: redis::Client,
    options: RedisDedupOptions,
    link: tokio::sync::Mutex<Link>,
    /// With `claims`, makes each claim's token (the key's value) unique.
    nonce: u64,
    claims: AtomicU64,
    /// Releases under way.
    releases: Arc<AtomicUsize>,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redis")
            .field("key_prefix", &self.options.key_prefix)
            .field("timeout", &self.options.timeout)
            .field("when_unavailable", &self.options.when_unavailable)
            .finish_non_exhaustive()
    }
}

/// The connection, and since when Redis has been failing.
#[derive(Default)]
struct Link {
    connection: Option<MultiplexedConnection>,
    /// No new connection is tried before this.
    retry_at: Option<Instant>,
    /// Whether the last claim failed (to log each outage once).
    down: bool,
}

/// Why a claim got no answer from Redis.
enum Failure {
    /// Redis failed shortly before: not tried.
    Resting,
    /// An error, or no answer in time.
    Now(String),
}

impl RedisStore {
    /// Whether `id` is new across the fleet; under [`WhenUnavailable::Accept`], `true` when
    /// Redis does not answer.
    pub(crate) async fn claim(&self, id: &str, window_ms: i64) -> Result<bool, WebhookError> {
        let key = self.key(id);
        let token = format!(
            "{:x}-{:x}",
            self.nonce,
            self.claims.fetch_add(1, Ordering::Relaxed)
        );
        let mut sent_on = None;
        let outcome = self
            .bounded(async |mut conn: MultiplexedConnection| {
                sent_on = Some(conn.clone());
                let set: Option<String> = redis::cmd("SET")
                    .arg(&key)
                    .arg(&token)
                    .arg("NX")
                    .arg("PX")
                    .arg(window_ms.max(1))
                    .query_async(&mut conn)
                    .await?;
                Ok(set.is_some())
            })
            .await;
        match outcome {
            Ok(first) => Ok(first),
            Err(detail) => match self.options.when_unavailable {
                WhenUnavailable::Accept => {
                    tracing::debug!(id, error = %detail, "webhook dedup: accepted unchecked");
                    Ok(true)
                }
                WhenUnavailable::Refuse => {
                    if let Some(conn) = sent_on {
                        self.release_later(conn, key, token, window_ms);
                    }
                    Err(WebhookError::DedupUnavailable { detail })
                }
            },
        }
    }

    /// Releases a refused delivery's claim in the background, should its `SET` reach Redis.
    fn release_later(
        &self,
        conn: MultiplexedConnection,
        key: String,
        token: String,
        window_ms: i64,
    ) {
        if self.releases.fetch_add(1, Ordering::AcqRel) >= MAX_RELEASES {
            self.releases.fetch_sub(1, Ordering::AcqRel);
            tracing::debug!(
                key,
                "webhook dedup: too many releases under way; left to expire"
            );
            return;
        }
        let (client, releases, timeout) = (
            self.client.clone(),
            self.releases.clone(),
            self.options.timeout,
        );
        let until = Instant::now() + Duration::from_millis(window_ms.unsigned_abs());
        tokio::spawn(async move {
            let mut conn = conn;
            loop {
                let released: redis::RedisResult<i64> = redis::cmd("EVAL")
                    .arg(RELEASE)
                    .arg(1)
                    .arg(&key)
                    .arg(&token)
                    .query_async(&mut conn)
                    .await;
                match released {
                    Ok(_) => break,
                    // Sent without an answer: Redis runs it after the SET, when it wakes.
                    Err(e) if e.is_timeout() => break,
                    Err(_) if Instant::now() >= until => break,
                    // The connection broke: again on a new one.
                    Err(_) => {}
                }
                tokio::time::sleep(RETRY_AFTER).await;
                if let Ok(fresh) = connect(&client, timeout).await {
                    conn = fresh;
                }
            }
            releases.fetch_sub(1, Ordering::AcqRel);
        });
    }

    /// `DEL`s `id`'s key.
    pub(crate) async fn forget(&self, id: &str) -> Result<(), WebhookError> {
        let key = self.key(id);
        self.bounded(async |mut conn: MultiplexedConnection| {
            redis::cmd("DEL")
                .arg(&key)
                .query_async::<()>(&mut conn)
                .await
        })
        .await
        .map_err(|detail| WebhookError::DedupUnavailable { detail })
    }

    fn key(&self, id: &str) -> String {
        format!("{}:{id}", self.options.key_prefix)
    }

    /// Runs `command` on the connection (connecting first if needed), all within the timeout;
    /// a failure drops the connection, is logged once per outage, and rests the link.
    async fn bounded<T>(
        &self,
        command: impl AsyncFnOnce(MultiplexedConnection) -> redis::RedisResult<T>,
    ) -> Result<T, String> {
        let timeout = self.options.timeout;
        let attempt = async {
            let conn = self.connection().await?;
            command(conn).await.map_err(|e| Failure::Now(e.to_string()))
        };
        let outcome = match tokio::time::timeout(timeout, attempt).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Failure::Now(format!(
                "no answer from Redis within {timeout:?}"
            ))),
        };
        let mut link = self.link.lock().await;
        match outcome {
            Ok(value) => {
                if link.down {
                    link.down = false;
                    tracing::info!("webhook dedup: Redis answers again");
                }
                Ok(value)
            }
            Err(Failure::Resting) => Err(format!(
                "Redis failed less than {RETRY_AFTER:?} ago; not tried again yet"
            )),
            Err(Failure::Now(detail)) => {
                link.connection = None;
                link.retry_at = Some(Instant::now() + RETRY_AFTER);
                if !link.down {
                    link.down = true;
                    let decision = match self.options.when_unavailable {
                        WhenUnavailable::Accept => {
                            "deliveries are processed without the duplicate check until it returns"
                        }
                        WhenUnavailable::Refuse => {
                            "deliveries are refused with 503 (Svix retries them) until it returns"
                        }
                    };
                    tracing::warn!(error = %detail, "webhook dedup: Redis is unavailable; {decision}");
                }
                Err(detail)
            }
        }
    }

    /// The connection, made now if there is none and Redis has not failed just before.
    async fn connection(&self) -> Result<MultiplexedConnection, Failure> {
        let mut link = self.link.lock().await;
        if let Some(conn) = &link.connection {
            return Ok(conn.clone());
        }
        if link.retry_at.is_some_and(|at| Instant::now() < at) {
            return Err(Failure::Resting);
        }
        let conn = connect(&self.client, self.options.timeout)
            .await
            .map_err(|e| Failure::Now(e.to_string()))?;
        link.connection = Some(conn.clone());
        Ok(conn)
    }
}

/// A new connection whose connecting and each reply take at most `timeout`.
async fn connect(
    client: &redis::Client,
    timeout: Duration,
) -> redis::RedisResult<MultiplexedConnection> {
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout));
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
}
