//! The revocation list shared by a fleet through Redis (feature `redis`).
//!
//! Each instance keeps its own [`RevocationList`] and a [`RedisSync`] task beside it:
//!
//! - a revocation made on any instance ([`RevocationList::revoke`], a session webhook) is
//!   written to a Redis sorted set (member: the session ID, score: when the entry expires) and
//!   published on a channel; every instance subscribed to the channel adds it to its own list;
//! - at start, and after every reconnection, the task subscribes first, then pushes its own
//!   entries (`ZADD GT`: Redis keeps the later expiry) and loads the set's snapshot, so no
//!   revocation is lost between the two; when its push added anything (Redis had lost data,
//!   or revocations were made while it was away), it tells the others to load the snapshot again;
//! - a lookup reads only the local list: a verify never waits on Redis. When Redis is
//!   unreachable (a closed connection, or a health-check ping without an answer), verification
//!   goes on with the local list and the task says so through `tracing` (`warn`), retries with
//!   backoff, and resyncs when Redis returns (`info`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_claims::revocation::RevocationList;
//! use clerk_claims::revocation::redis::RedisSync;
//!
//! let list = RevocationList::new();
//! let sync = RedisSync::start(&list, "redis://127.0.0.1:6379").await?;
//! // Hand `list.clone()` to `VerifierBuilder::revocations`; keep `sync` alive as long as the app.
//! list.revoke("sess_signed_out_elsewhere"); // seen by every instance within milliseconds
//! # drop(sync); Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use redis::AsyncCommands;
use redis::aio::MultiplexedConnection;
use thiserror::Error;
use tokio::sync::{mpsc, watch};

use super::{Listener, Revocation, RevocationList};

/// The default key prefix: the sorted set is `{prefix}`, the channel `{prefix}:events`.
pub const DEFAULT_KEY: &str = "clerk-claims:revoked-sessions";

/// The message that asks every instance to load the snapshot again.
const RESYNC: &str = "resync";

/// Members per `ZADD` when pushing a whole list.
const PUSH_CHUNK: usize = 1000;

/// Where and how to reach Redis.
#[derive(Debug, Clone)]
pub struct RedisOptions {
    url: String,
    key: String,
    connect_timeout: Duration,
    initial_sync_timeout: Duration,
    health_check: Duration,
    min_backoff: Duration,
    max_backoff: Duration,
}

impl RedisOptions {
    /// Options for `url` (`redis://host:port[/db]`, `rediss://…` is not enabled), with the
    /// defaults: key [`DEFAULT_KEY`], 1 s connect (and reply) timeout, 2 s wait for the first
    /// snapshot, a health check every 5 s, reconnect backoff from 100 ms to 2 s.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            key: DEFAULT_KEY.to_owned(),
            connect_timeout: Duration::from_secs(1),
            initial_sync_timeout: Duration::from_secs(2),
            health_check: Duration::from_secs(5),
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
        }
    }

    /// The sorted set's key (the channel is `{key}:events`): one per Clerk instance when
    /// several share a Redis.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    /// How often both connections are pinged, so a Redis that stops answering without closing
    /// the connection (a frozen host, a dropped route) is noticed within this plus the
    /// connect timeout.
    #[must_use]
    pub fn health_check(mut self, every: Duration) -> Self {
        self.health_check = every.max(Duration::from_millis(10));
        self
    }

    /// How long one connection attempt, or one reply, may take.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long [`RedisSync::start`] waits for the first snapshot before going on without it
    /// (the task keeps trying).
    #[must_use]
    pub fn initial_sync_timeout(mut self, timeout: Duration) -> Self {
        self.initial_sync_timeout = timeout;
        self
    }

    /// The first and the longest wait between reconnection attempts (doubling between).
    #[must_use]
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max.max(min);
        self
    }

    fn channel(&self) -> String {
        format!("{}:events", self.key)
    }
}

/// Why [`RedisSync::start`] refused (an unreachable Redis is not an error: see the module).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RedisSyncError {
    /// The URL is not a Redis URL the client understands.
    #[error("Redis URL: expected redis://host:port[/db], found an URL the client refuses: {0}")]
    Url(#[source] redis::RedisError),
    /// Called outside a Tokio runtime.
    #[error("RedisSync::start must run inside a Tokio runtime (the sync task is spawned on it)")]
    NoRuntime,
}

/// The task that keeps one [`RevocationList`] in sync with Redis. Stops when dropped.
pub struct RedisSync {
    task: tokio::task::JoinHandle<()>,
    connected: watch::Receiver<bool>,
    list: RevocationList,
    listener: Listener,
}

impl std::fmt::Debug for RedisSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSync")
            .field("connected", &self.is_connected())
            .field("list", &self.list)
            .finish_non_exhaustive()
    }
}

impl Drop for RedisSync {
    fn drop(&mut self) {
        self.task.abort();
        self.list.remove_listener(&self.listener);
    }
}

impl RedisSync {
    /// Starts syncing `list` through the Redis at `url`, with the default options.
    pub async fn start(list: &RevocationList, url: &str) -> Result<Self, RedisSyncError> {
        Self::start_with(list, RedisOptions::new(url)).await
    }

    /// Starts syncing `list`: waits (up to the initial sync timeout) for the snapshot, then
    /// returns; if Redis is unreachable, returns anyway and keeps trying in the background.
    pub async fn start_with(
        list: &RevocationList,
        options: RedisOptions,
    ) -> Result<Self, RedisSyncError> {
        let client = redis::Client::open(options.url.as_str()).map_err(RedisSyncError::Url)?;
        let runtime =
            tokio::runtime::Handle::try_current().map_err(|_| RedisSyncError::NoRuntime)?;
        let (outgoing, queue) = mpsc::unbounded_channel::<Revocation>();
        let listener: Listener = Arc::new(move |r: &Revocation| {
            // The task is gone only when the RedisSync is dropped, which removes this listener.
            let _ = outgoing.send(r.clone());
        });
        list.set_listener(listener.clone());
        let (state, connected) = watch::channel(false);
        let task = runtime.spawn(run(client, options.clone(), list.clone(), queue, state));
        let sync = Self {
            task,
            connected,
            list: list.clone(),
            listener,
        };
        if !sync.wait_connected(options.initial_sync_timeout).await {
            tracing::warn!(
                url = %redacted(&options.url),
                "revocation sync: Redis is unreachable at start; verification goes on with the \
                 local revocation list, the sync retries in the background"
            );
        }
        Ok(sync)
    }

    /// Whether the task is connected and has loaded the snapshot.
    pub fn is_connected(&self) -> bool {
        *self.connected.borrow()
    }

    /// Waits until connected and synced, at most `timeout`; returns whether it is.
    pub async fn wait_connected(&self, timeout: Duration) -> bool {
        let mut connected = self.connected.clone();
        tokio::time::timeout(timeout, connected.wait_for(|c| *c))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Waits until the task has noticed Redis is gone, at most `timeout`; returns whether it
    /// has.
    pub async fn wait_disconnected(&self, timeout: Duration) -> bool {
        let mut connected = self.connected.clone();
        tokio::time::timeout(timeout, connected.wait_for(|c| !*c))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// The URL without a password, for logs.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

async fn run(
    client: redis::Client,
    options: RedisOptions,
    list: RevocationList,
    mut queue: mpsc::UnboundedReceiver<Revocation>,
    state: watch::Sender<bool>,
) {
    let mut backoff = options.min_backoff;
    loop {
        let outcome = connected(&client, &options, &list, &mut queue, &state).await;
        let was_up = state.send_replace(false);
        let detail = match outcome {
            Ok(()) => "the subscription ended".to_owned(),
            Err(e) => e.to_string(),
        };
        if was_up {
            backoff = options.min_backoff;
            tracing::warn!(
                url = %redacted(&options.url),
                error = %detail,
                local_sessions = list.len(),
                "revocation sync: Redis is unreachable; verification goes on with the local \
                 revocation list, and the sync resumes when Redis returns"
            );
        } else {
            tracing::debug!(error = %detail, "revocation sync: Redis still unreachable");
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(options.max_backoff);
    }
}

/// One connection's life: subscribe, resync, then relay until something fails.
async fn connected(
    client: &redis::Client,
    options: &RedisOptions,
    list: &RevocationList,
    queue: &mut mpsc::UnboundedReceiver<Revocation>,
    state: &watch::Sender<bool>,
) -> redis::RedisResult<()> {
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(options.connect_timeout))
        .set_response_timeout(Some(options.connect_timeout));
    let timeout = |what: &'static str| {
        redis::RedisError::from((redis::ErrorKind::Io, "timed out", what.to_owned()))
    };
    let pubsub = tokio::time::timeout(options.connect_timeout, client.get_async_pubsub())
        .await
        .map_err(|_| timeout("connecting the subscription"))??;
    let (mut sink, mut messages) = pubsub.split();
    let channel = options.channel();
    tokio::time::timeout(options.connect_timeout, sink.subscribe(&channel))
        .await
        .map_err(|_| timeout("subscribing"))??;
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&config)
        .await?;
    // Everything queued is in the local list already: the push below carries it.
    while queue.try_recv().is_ok() {}
    let pushed = push_all(&mut conn, &options.key, list).await?;
    let loaded = load_snapshot(&mut conn, &options.key, list).await?;
    if pushed > 0 {
        let _: i64 = conn.publish(&channel, RESYNC).await?;
    }
    state.send_replace(true);
    tracing::info!(
        url = %redacted(&options.url),
        pushed,
        loaded,
        local_sessions = list.len(),
        "revocation sync: connected to Redis and resynced"
    );
    let mut health = tokio::time::interval_at(
        tokio::time::Instant::now() + options.health_check,
        options.health_check,
    );
    health.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = health.tick() => {
                tokio::time::timeout(options.connect_timeout, sink.ping::<redis::Value>())
                    .await
                    .map_err(|_| timeout("pinging the subscription"))??;
                let _: redis::Value = redis::cmd("PING").query_async(&mut conn).await?;
            }
            message = messages.next() => {
                let Some(message) = message else { return Ok(()) };
                let payload: String = message.get_payload()?;
                if payload == RESYNC {
                    load_snapshot(&mut conn, &options.key, list).await?;
                } else if let Some(revocation) = parse_message(&payload) {
                    list.merge(&revocation);
                } else {
                    tracing::debug!(payload = %crate::json_text::clip(&payload), "revocation sync: ignored a message");
                }
            }
            revocation = queue.recv() => {
                // `None`: the list's listener is gone, the RedisSync is being dropped.
                let Some(revocation) = revocation else { return Ok(()) };
                publish(&mut conn, &options.key, &channel, &revocation, list.clock().now_ms()).await?;
            }
        }
    }
}

/// `ZADD key GT …` of every live local entry; returns how many Redis added or extended.
async fn push_all(
    conn: &mut MultiplexedConnection,
    key: &str,
    list: &RevocationList,
) -> redis::RedisResult<usize> {
    let entries = list.snapshot();
    let mut changed = 0;
    for chunk in entries.chunks(PUSH_CHUNK) {
        let mut cmd = redis::cmd("ZADD");
        cmd.arg(key).arg("GT").arg("CH");
        for r in chunk {
            cmd.arg(r.expires_at_ms).arg(&r.session_id);
        }
        let n: usize = cmd.query_async(conn).await?;
        changed += n;
    }
    if let Some(latest) = entries.iter().map(|r| r.expires_at_ms).max() {
        expire_key(conn, key, latest).await?;
    }
    Ok(changed)
}

/// Loads the live entries of the set into the list; returns how many it read.
async fn load_snapshot(
    conn: &mut MultiplexedConnection,
    key: &str,
    list: &RevocationList,
) -> redis::RedisResult<usize> {
    let now = list.clock().now_ms();
    let _: i64 = conn.zrembyscore(key, "-inf", now).await?;
    let entries: Vec<(String, f64)> = conn
        .zrangebyscore_withscores(key, format!("({now}"), "+inf")
        .await?;
    for (session_id, expires) in &entries {
        list.merge(&Revocation {
            session_id: session_id.clone(),
            // Scores are whole milliseconds, exact in an f64 until the year 287 396.
            expires_at_ms: *expires as i64,
        });
    }
    Ok(entries.len())
}

/// One revocation: into the set (dropping expired members) and onto the channel, atomically.
async fn publish(
    conn: &mut MultiplexedConnection,
    key: &str,
    channel: &str,
    r: &Revocation,
    now_ms: i64,
) -> redis::RedisResult<()> {
    let _: () = redis::pipe()
        .atomic()
        .cmd("ZADD")
        .arg(key)
        .arg("GT")
        .arg(r.expires_at_ms)
        .arg(&r.session_id)
        .ignore()
        .cmd("ZREMRANGEBYSCORE")
        .arg(key)
        .arg("-inf")
        .arg(now_ms)
        .ignore()
        .cmd("PUBLISH")
        .arg(channel)
        .arg(format!("{} {}", r.expires_at_ms, r.session_id))
        .ignore()
        .query_async(conn)
        .await?;
    expire_key(conn, key, r.expires_at_ms).await
}

/// The whole set goes when its latest entry would: `PEXPIREAT key ms NX` gives a new key its
/// expiry, `GT` extends it (neither ever shortens it).
async fn expire_key(
    conn: &mut MultiplexedConnection,
    key: &str,
    at_ms: i64,
) -> redis::RedisResult<()> {
    let _: () = redis::pipe()
        .cmd("PEXPIREAT")
        .arg(key)
        .arg(at_ms)
        .arg("NX")
        .ignore()
        .cmd("PEXPIREAT")
        .arg(key)
        .arg(at_ms)
        .arg("GT")
        .ignore()
        .query_async(conn)
        .await?;
    Ok(())
}

/// `"{expires_at_ms} {session_id}"`.
fn parse_message(payload: &str) -> Option<Revocation> {
    let (expires, session_id) = payload.split_once(' ')?;
    Some(Revocation {
        session_id: session_id.to_owned(),
        expires_at_ms: expires.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_expiry_and_the_session() {
        assert_eq!(
            parse_message("1767225660000 sess_1"),
            Some(Revocation {
                session_id: "sess_1".into(),
                expires_at_ms: 1_767_225_660_000
            })
        );
        assert_eq!(parse_message("resync"), None);
        assert_eq!(parse_message("soon sess_1"), None);
    }

    #[test]
    fn logged_urls_hide_the_password() {
        assert_eq!(
            redacted("redis://:hunter2@10.0.0.1:6379/0"),
            "redis://…@10.0.0.1:6379/0"
        );
        assert_eq!(redacted("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }
}
