//! The revocation list shared by a fleet through Redis (feature `redis`).
//!
//! Each instance keeps its own [`RevocationList`] and a [`RedisSync`] task beside it:
//!
//! - a revocation made on any instance ([`RevocationList::revoke`], a session webhook) is
//!   written to a Redis sorted set and published on a channel; every instance subscribed to the
//!   channel adds it to its own list. Both entries of a revocation travel: the session
//!   (member `session {sid}`) for session tokens and its user (member
//!   `user {revoked_at_ms} {user_id}`) for template tokens; the score is when the entry expires,
//!   by the longest token lifetime of the instance that made it;
//! - at start, and after every reconnection, the task subscribes first, then pushes its own
//!   entries (`ZADD GT`: Redis keeps the later expiry) and loads the set's snapshot, so no
//!   revocation is lost between the two; when its push added anything (Redis had lost data,
//!   or revocations were made while it was away), it tells the others to load the snapshot again;
//! - a lookup reads only the local list: a verify never waits on Redis. When Redis is
//!   unreachable (a closed connection, or a health-check ping without an answer), verification
//!   goes on with the local list and the task says so through `tracing` (`warn`), retries with
//!   backoff, and resyncs when Redis returns (`info`).
//!
//! One [`RedisSync`] per list: a second one on the same list is refused
//! ([`RedisSyncError::AlreadySynced`]), since it would publish every revocation twice, or, to
//! another Redis, bridge the two one way only. Drop the first to start another.
//!
//! Revocations made here wait in a bounded queue ([`RedisOptions::queue_capacity`]) for the
//! task to publish them. When it is full (Redis slower than the revocations), a revocation is
//! not queued: it is in the local list already, so the task pushes the whole list (`ZADD GT`)
//! and tells the others to load the snapshot, as after a reconnection. Nothing is lost; each
//! such revocation is counted (`clerk_claims_revocation_sync_overflows_total`) and the first
//! of a burst logged (`warn`). Each message carries when it was published: with the feature
//! `metrics`, the time from a peer's publish to the apply here is
//! `clerk_claims_revocation_sync_lag_seconds` (clocks of different hosts: as exact as they
//! agree), and `clerk_claims_revocation_sync_connected` is 1 while connected and synced.
//!
//! [`RedisSync::start`] tells its caller when Redis does not answer in time
//! ([`RedisSyncError::Unreachable`]): the error holds the running sync, so an app that would
//! rather start without the fleet than not start takes it back with
//! [`RedisSyncError::into_running`]; [`RedisSync::is_connected`] says how it goes later.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_claims::revocation::RevocationList;
//! use clerk_claims::revocation::redis::{RedisSync, RedisSyncError};
//!
//! let list = RevocationList::new();
//! // Refuse to start without Redis: `RedisSync::start(&list, url).await?`. Or start anyway,
//! // with this instance's revocations local until Redis answers:
//! let sync = RedisSync::start(&list, "redis://127.0.0.1:6379")
//!     .await
//!     .or_else(RedisSyncError::into_running)?;
//! // Hand `list.clone()` to `VerifierBuilder::revocations`; keep `sync` alive as long as the app.
//! list.revoke("sess_signed_out_elsewhere", "user_2alice"); // every instance, within milliseconds
//! # drop(sync); Ok(()) }
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use redis::AsyncCommands;
use redis::aio::MultiplexedConnection;
use thiserror::Error;
use tokio::sync::{Notify, mpsc, watch};

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
    queue_capacity: usize,
}

impl RedisOptions {
    /// Options for `url` (`redis://host:port[/db]`, `rediss://…` is not enabled), with the
    /// defaults: key [`DEFAULT_KEY`], 1 s connect (and reply) timeout, 2 s wait for the first
    /// snapshot, a health check every 5 s, reconnect backoff from 100 ms to 2 s, a queue of
    /// 1024 revocations.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            key: DEFAULT_KEY.to_owned(),
            connect_timeout: Duration::from_secs(1),
            initial_sync_timeout: Duration::from_secs(2),
            health_check: Duration::from_secs(5),
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            queue_capacity: 1024,
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

    /// How many revocations made here may wait to be published (at least 1). When the queue
    /// is full, the task pushes the whole list and asks for a resync instead (see the
    /// [module](self)).
    #[must_use]
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = capacity.max(1);
        self
    }

    fn channel(&self) -> String {
        format!("{}:events", self.key)
    }
}

/// Why [`RedisSync::start`] did not return a connected sync.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RedisSyncError {
    /// The URL is not a Redis URL the client understands.
    #[error("Redis URL: expected redis://host:port[/db], found an URL the client refuses: {0}")]
    Url(#[source] redis::RedisError),
    /// The list has a running [`RedisSync`] already: one per list (drop it first).
    #[error(
        "this RevocationList is synced through Redis already: one RedisSync per list (drop the running one first)"
    )]
    AlreadySynced,
    /// Called outside a Tokio runtime.
    #[error("RedisSync::start must run inside a Tokio runtime (the sync task is spawned on it)")]
    NoRuntime,
    /// Redis did not answer with its snapshot within the initial sync timeout: this instance's
    /// revocations stay local (and the others' unknown here) until it does. The sync in `sync`
    /// is running: it keeps trying in the background and resyncs when Redis answers, while
    /// verification goes on with the local list. [`into_running`](Self::into_running) takes
    /// it to start anyway; dropping the error stops it.
    #[error(
        "Redis at {url} did not answer within {waited:?} ({detail}): revocations are not shared with the other instances until it does; the sync keeps trying in the background"
    )]
    Unreachable {
        /// The URL, without its password.
        url: String,
        /// How long `start` waited.
        waited: Duration,
        /// The last connection error, or that nothing answered.
        detail: String,
        /// The running sync.
        sync: RedisSync,
    },
}

impl RedisSyncError {
    /// The running sync of [`Unreachable`](Self::Unreachable), to start without the fleet
    /// for now (`RedisSync::start(..).await.or_else(RedisSyncError::into_running)?`); any other
    /// error back as it is.
    pub fn into_running(self) -> Result<RedisSync, Self> {
        match self {
            Self::Unreachable { sync, .. } => Ok(sync),
            other => Err(other),
        }
    }
}

/// How the task's connection stands, as the `watch` value says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Link {
    /// No attempt has finished yet.
    Starting,
    /// Connected, the snapshot loaded.
    Up,
    /// The last attempt, or the connection, failed: why.
    Down(String),
}

/// The task that keeps one [`RevocationList`] in sync with Redis. Stops when dropped.
pub struct RedisSync {
    task: tokio::task::JoinHandle<()>,
    link: watch::Receiver<Link>,
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
        crate::metrics::revocation_sync_connected(false);
    }
}

/// A revocation the full queue did not take: the task pushes the whole list instead.
#[derive(Default)]
struct Overflow {
    pending: AtomicBool,
    wake: Notify,
}

impl Overflow {
    fn mark(&self) {
        crate::metrics::revocation_sync_overflow();
        if !self.pending.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                "revocation sync: the queue to Redis is full; the sync pushes the whole list \
                 and asks the other instances to resync"
            );
        }
        self.wake.notify_one();
    }

    /// Whether an overflow waits for its resync (and no longer).
    fn take(&self) -> bool {
        self.pending.swap(false, Ordering::AcqRel)
    }
}

impl RedisSync {
    /// Starts syncing `list` through the Redis at `url`, with the default options.
    pub async fn start(list: &RevocationList, url: &str) -> Result<Self, RedisSyncError> {
        Self::start_with(list, RedisOptions::new(url)).await
    }

    /// Starts syncing `list`: waits (up to the initial sync timeout) for the snapshot, then
    /// returns the connected sync. If Redis has not answered by then,
    /// [`RedisSyncError::Unreachable`] carries the sync, still trying in the background.
    pub async fn start_with(
        list: &RevocationList,
        options: RedisOptions,
    ) -> Result<Self, RedisSyncError> {
        let client = redis::Client::open(options.url.as_str()).map_err(RedisSyncError::Url)?;
        let runtime =
            tokio::runtime::Handle::try_current().map_err(|_| RedisSyncError::NoRuntime)?;
        let (outgoing, queue) = mpsc::channel::<Vec<Revocation>>(options.queue_capacity);
        let overflow = Arc::new(Overflow::default());
        let full = Arc::clone(&overflow);
        let listener: Listener = Arc::new(move |made: &[Revocation]| {
            // Closed: the task is gone only when the RedisSync is dropped, which removes this
            // listener.
            if let Err(mpsc::error::TrySendError::Full(_)) = outgoing.try_send(made.to_vec()) {
                full.mark();
            }
        });
        if !list.set_listener(listener.clone()) {
            return Err(RedisSyncError::AlreadySynced);
        }
        crate::metrics::revocation_sync_connected(false);
        let (state, link) = watch::channel(Link::Starting);
        let queue = Queue { queue, overflow };
        let task = runtime.spawn(run(client, options.clone(), list.clone(), queue, state));
        let sync = Self {
            task,
            link,
            list: list.clone(),
            listener,
        };
        if sync.wait_connected(options.initial_sync_timeout).await {
            return Ok(sync);
        }
        let url = redacted(&options.url);
        let detail = match &*sync.link.borrow() {
            Link::Down(why) => why.clone(),
            Link::Starting | Link::Up => "no answer yet".to_owned(),
        };
        tracing::warn!(
            url = %url,
            error = %detail,
            "revocation sync: Redis is unreachable at start; verification goes on with the \
             local revocation list, the sync retries in the background"
        );
        Err(RedisSyncError::Unreachable {
            url,
            waited: options.initial_sync_timeout,
            detail,
            sync,
        })
    }

    /// Whether the task is connected and has loaded the snapshot.
    pub fn is_connected(&self) -> bool {
        *self.link.borrow() == Link::Up
    }

    /// Waits until connected and synced, at most `timeout`; returns whether it is.
    pub async fn wait_connected(&self, timeout: Duration) -> bool {
        let mut link = self.link.clone();
        tokio::time::timeout(timeout, link.wait_for(|l| *l == Link::Up))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Waits until the task has noticed Redis is gone, at most `timeout`; returns whether it
    /// has.
    pub async fn wait_disconnected(&self, timeout: Duration) -> bool {
        let mut link = self.link.clone();
        tokio::time::timeout(timeout, link.wait_for(|l| *l != Link::Up))
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

/// The task's side of the queue of revocations made here.
struct Queue {
    queue: mpsc::Receiver<Vec<Revocation>>,
    overflow: Arc<Overflow>,
}

async fn run(
    client: redis::Client,
    options: RedisOptions,
    list: RevocationList,
    mut queue: Queue,
    state: watch::Sender<Link>,
) {
    let mut backoff = options.min_backoff;
    loop {
        let outcome = connected(&client, &options, &list, &mut queue, &state).await;
        let detail = match outcome {
            Ok(()) => "the subscription ended".to_owned(),
            Err(e) => e.to_string(),
        };
        let was_up = state.send_replace(Link::Down(detail.clone())) == Link::Up;
        crate::metrics::revocation_sync_connected(false);
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
    queue: &mut Queue,
    state: &watch::Sender<Link>,
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
    // Everything queued (or refused by the full queue) is in the local list already: the push
    // below carries it.
    queue.overflow.take();
    while queue.queue.try_recv().is_ok() {}
    let pushed = push_all(&mut conn, &options.key, list).await?;
    let loaded = load_snapshot(&mut conn, &options.key, list).await?;
    if pushed > 0 {
        let _: i64 = conn.publish(&channel, RESYNC).await?;
    }
    state.send_replace(Link::Up);
    crate::metrics::revocation_sync_connected(true);
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
                } else if let Some(Message { published_at_ms, entries }) = parse_message(&payload) {
                    list.merge(&entries);
                    if let Some(at) = published_at_ms {
                        crate::metrics::revocation_sync_lag(list.clock().now_ms() - at);
                    }
                } else {
                    tracing::debug!(payload = %crate::json_text::clip(&payload), "revocation sync: ignored a message");
                }
            }
            made = queue.queue.recv() => {
                // `None`: the list's listener is gone, the RedisSync is being dropped.
                let Some(made) = made else { return Ok(()) };
                publish(&mut conn, &options.key, &channel, &made, list.clock().now_ms()).await?;
            }
            () = queue.overflow.wake.notified() => {
                if queue.overflow.take() {
                    // The queued ones are in the list too: one push carries everything.
                    while queue.queue.try_recv().is_ok() {}
                    let pushed = push_all(&mut conn, &options.key, list).await?;
                    let _: i64 = conn.publish(&channel, RESYNC).await?;
                    tracing::info!(pushed, "revocation sync: pushed the whole list after the queue was full");
                }
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
            cmd.arg(r.expires_at_ms()).arg(member(r));
        }
        let n: usize = cmd.query_async(conn).await?;
        changed += n;
    }
    if let Some(latest) = entries.iter().map(Revocation::expires_at_ms).max() {
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
    let mut revocations = Vec::with_capacity(entries.len());
    for (member, expires) in &entries {
        // Scores are whole milliseconds, exact in an f64 until the year 287 396.
        match parse_member(member, *expires as i64) {
            Some(revocation) => revocations.push(revocation),
            None => tracing::debug!(
                member = %crate::json_text::clip(member),
                "revocation sync: ignored a member of the set"
            ),
        }
    }
    list.merge(&revocations);
    Ok(entries.len())
}

/// One revocation's entries (a session or several, and their user): into the set (dropping
/// expired members) and onto the channel as one message, atomically.
async fn publish(
    conn: &mut MultiplexedConnection,
    key: &str,
    channel: &str,
    made: &[Revocation],
    now_ms: i64,
) -> redis::RedisResult<()> {
    let Some(latest) = made.iter().map(Revocation::expires_at_ms).max() else {
        return Ok(());
    };
    let mut zadd = redis::cmd("ZADD");
    zadd.arg(key).arg("GT");
    for r in made {
        zadd.arg(r.expires_at_ms()).arg(member(r));
    }
    let _: () = redis::pipe()
        .atomic()
        .add_command(zadd)
        .ignore()
        .cmd("ZREMRANGEBYSCORE")
        .arg(key)
        .arg("-inf")
        .arg(now_ms)
        .ignore()
        .cmd("PUBLISH")
        .arg(channel)
        .arg(message(made, now_ms))
        .ignore()
        .query_async(conn)
        .await?;
    expire_key(conn, key, latest).await
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

/// A revocation's member of the sorted set (its score is the expiry): `session {sid}` or
/// `user {revoked_at_ms} {user_id}`.
fn member(r: &Revocation) -> String {
    match r {
        Revocation::Session { session_id, .. } => format!("session {session_id}"),
        Revocation::User {
            user_id,
            revoked_at_ms,
            ..
        } => format!("user {revoked_at_ms} {user_id}"),
    }
}

/// The revocation a member of the set stands for, with its score.
fn parse_member(member: &str, expires_at_ms: i64) -> Option<Revocation> {
    let (kind, rest) = member.split_once(' ')?;
    match kind {
        "session" => Some(Revocation::Session {
            session_id: rest.to_owned(),
            expires_at_ms,
        }),
        "user" => {
            let (revoked_at, user_id) = rest.split_once(' ')?;
            Some(Revocation::User {
                user_id: user_id.to_owned(),
                revoked_at_ms: revoked_at.parse().ok()?,
                expires_at_ms,
            })
        }
        _ => None,
    }
}

/// A channel message: when it was published (Unix ms) and one revocation's
/// `[expires_at_ms, member]` pairs, `{"at":…,"entries":[…]}`.
fn message(made: &[Revocation], published_at_ms: i64) -> String {
    let pairs: Vec<(i64, String)> = made
        .iter()
        .map(|r| (r.expires_at_ms(), member(r)))
        .collect();
    serde_json::json!({ "at": published_at_ms, "entries": pairs }).to_string()
}

/// A channel message read.
#[derive(Debug, PartialEq)]
struct Message {
    /// When it was published; `None` from an instance that sends the bare array.
    published_at_ms: Option<i64>,
    entries: Vec<Revocation>,
}

/// The message's entries and time; `None` when it is not one. The bare array of pairs (without
/// a time) is read too.
fn parse_message(payload: &str) -> Option<Message> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Timed {
            at: i64,
            entries: Vec<(i64, String)>,
        },
        Bare(Vec<(i64, String)>),
    }
    let (published_at_ms, pairs) = match serde_json::from_str(payload).ok()? {
        Wire::Timed { at, entries } => (Some(at), entries),
        Wire::Bare(pairs) => (None, pairs),
    };
    let entries = pairs
        .iter()
        .map(|(expires, member)| parse_member(member, *expires))
        .collect::<Option<_>>()?;
    Some(Message {
        published_at_ms,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_expiry_and_the_session_or_the_user() {
        let session = Revocation::Session {
            session_id: "sess_1".into(),
            expires_at_ms: 1_767_225_660_000,
        };
        let user = Revocation::User {
            user_id: "user_1".into(),
            revoked_at_ms: 1_767_225_600_000,
            expires_at_ms: 1_767_225_660_000,
        };
        let made = vec![session, user];
        let sent = message(&made, 1_767_225_600_250);
        assert_eq!(
            sent,
            r#"{"at":1767225600250,"entries":[[1767225660000,"session sess_1"],[1767225660000,"user 1767225600000 user_1"]]}"#
        );
        assert_eq!(
            parse_message(&sent),
            Some(Message {
                published_at_ms: Some(1_767_225_600_250),
                entries: made.clone()
            })
        );
        let bare =
            r#"[[1767225660000,"session sess_1"],[1767225660000,"user 1767225600000 user_1"]]"#;
        assert_eq!(
            parse_message(bare),
            Some(Message {
                published_at_ms: None,
                entries: made
            })
        );
        assert_eq!(parse_message("resync"), None);
        assert_eq!(parse_message(r#"[["soon","session sess_1"]]"#), None);
        assert_eq!(parse_message(r#"[[1767225660000,"sess_1"]]"#), None);
        assert_eq!(
            parse_message(r#"[[1767225660000,"user soon user_1"]]"#),
            None
        );
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
