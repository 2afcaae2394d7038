//! A JWKS fetched over HTTP (feature `remote`): one cache per key source (URL and secret key),
//! a TTL, refetch on an unknown `kid` with a cooldown, one fetch however many requests wait
//! (single flight), stale keys kept when a fetch fails, bounded response size.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::{JwkSet, Lookup};
use crate::clock::Clock;

/// Why no keys could be had from a JWKS URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The request failed, the status was not a success, or the body is no usable JWKS.
    #[error("Failed to load JWKS from {url}: {detail}")]
    Failed {
        /// The JWKS URL.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// The Backend API refused the secret key (401 or 403).
    #[error("The Clerk secret key was refused by {url} (status {status})")]
    SecretKeyRefused {
        /// The JWKS URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client for {url}: {detail}")]
    Client {
        /// The JWKS URL.
        url: String,
        /// Why.
        detail: String,
    },
}

/// Cache and HTTP settings of a [`RemoteJwks`].
#[derive(Debug, Clone)]
pub struct RemoteJwksConfig {
    /// How long fetched keys are fresh (default 5 minutes, as Clerk's SDK).
    pub ttl: Duration,
    /// The least time between two fetch attempts caused by an unknown `kid` or a stale cache
    /// (default 30 s): a flood of made-up `kid`s costs one request per cooldown.
    pub cooldown: Duration,
    /// Timeout of one request (default 10 s).
    pub timeout: Duration,
    /// The largest response body read (default 256 KiB).
    pub max_body_bytes: usize,
    /// The clock the TTL and the cooldown are measured with (default: the system clock; the
    /// verifier hands over its own).
    pub clock: Clock,
}

impl Default for RemoteJwksConfig {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(300),
            cooldown: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            max_body_bytes: 256 * 1024,
            clock: Clock::system(),
        }
    }
}

/// A JWKS URL with its cache. Cheap to clone; clones share the cache.
#[derive(Clone)]
pub struct RemoteJwks {
    inner: Arc<Remote>,
}

struct Remote {
    url: String,
    secret_key: Option<String>,
    client: reqwest::Client,
    config: RemoteJwksConfig,
    state: RwLock<State>,
    fetch_lock: tokio::sync::Mutex<()>,
}

/// What the cache holds; times are the clock's Unix milliseconds.
#[derive(Default)]
struct State {
    set: Option<Arc<JwkSet>>,
    fetched_at: Option<i64>,
    last_attempt: Option<i64>,
    attempts: u64,
    last_error: Option<RemoteError>,
}

impl std::fmt::Debug for RemoteJwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteJwks")
            .field("url", &self.inner.url)
            .finish_non_exhaustive()
    }
}

impl RemoteJwks {
    /// A cache for `url`; `secret_key` is sent as `Authorization: Bearer` (Backend API).
    pub fn new(
        url: impl Into<String>,
        secret_key: Option<String>,
        config: RemoteJwksConfig,
    ) -> Result<Self, RemoteError> {
        let url = url.into();
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| RemoteError::Client {
                url: url.clone(),
                detail: e.to_string(),
            })?;
        Ok(Self {
            inner: Arc::new(Remote {
                url,
                secret_key,
                client,
                config,
                state: RwLock::new(State::default()),
                fetch_lock: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The JWKS URL.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// How many fetches have completed so far (successful or not).
    pub fn fetch_count(&self) -> u64 {
        self.read(|s| s.attempts)
    }

    /// The cached set, fetching it when there is none or it is past its TTL (a failed
    /// refresh keeps serving the stale set).
    pub async fn current(&self) -> Result<Arc<JwkSet>, RemoteError> {
        let (set, fresh, attempts) = self.snapshot();
        match set {
            Some(set) if fresh || !self.cooled_down() => Ok(set),
            _ => self.fetch_once(attempts).await,
        }
    }

    /// Fetches now, whatever the cache holds (still one fetch for concurrent callers).
    pub async fn refresh(&self) -> Result<Arc<JwkSet>, RemoteError> {
        let attempts = self.read(|s| s.attempts);
        self.fetch_once(attempts).await
    }

    /// The key for `kid`: from the cache, else after at most one refetch.
    pub(crate) async fn key(&self, kid: &str) -> Result<Lookup, RemoteError> {
        let (set, fresh, attempts) = self.snapshot();
        let set = match set {
            Some(set) => match set.lookup(kid) {
                Lookup::Found(key) if fresh || !self.cooled_down() => {
                    return Ok(Lookup::Found(key));
                }
                found if !self.cooled_down() => {
                    tracing::debug!(
                        target: "clerk_claims",
                        url = %self.inner.url,
                        kid = %crate::json_text::clip(kid),
                        "JWKS refetch skipped: within the cooldown"
                    );
                    return Ok(found);
                }
                _ => self
                    .fetch_once(attempts)
                    .await
                    .or_else(|e| self.stale().ok_or(e))?,
            },
            None => self.fetch_once(attempts).await?,
        };
        Ok(set.lookup(kid))
    }

    fn now_ms(&self) -> i64 {
        self.inner.config.clock.now_ms()
    }

    fn elapsed_since(&self, at: i64) -> Duration {
        let ms = self.now_ms().saturating_sub(at);
        Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        match self.inner.state.read() {
            Ok(state) => f(&state),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }

    fn write<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.inner.state.write() {
            Ok(mut state) => f(&mut state),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    fn snapshot(&self) -> (Option<Arc<JwkSet>>, bool, u64) {
        self.read(|s| {
            let fresh = s
                .fetched_at
                .is_some_and(|t| self.elapsed_since(t) < self.inner.config.ttl);
            (s.set.clone(), fresh, s.attempts)
        })
    }

    fn stale(&self) -> Option<Arc<JwkSet>> {
        self.read(|s| s.set.clone())
    }

    fn cooled_down(&self) -> bool {
        self.read(|s| {
            s.last_attempt
                .is_none_or(|t| self.elapsed_since(t) >= self.inner.config.cooldown)
        })
    }

    /// One fetch for everyone who saw `seen_attempts`: whoever gets the lock first fetches;
    /// the others find the attempt counter moved and take its outcome.
    async fn fetch_once(&self, seen_attempts: u64) -> Result<Arc<JwkSet>, RemoteError> {
        let _guard = self.inner.fetch_lock.lock().await;
        let outcome = self.read(|s| {
            (s.attempts != seen_attempts).then(|| match (&s.set, &s.last_error) {
                (_, Some(e)) if s.set.is_none() => Err(e.clone()),
                (Some(set), _) => Ok(Arc::clone(set)),
                (None, _) => Err(self.failed("no keys were loaded")),
            })
        });
        if let Some(outcome) = outcome {
            return outcome;
        }
        // The counter moves when the fetch is done, so everyone who looked while it was in
        // flight finds it moved once they get the lock.
        let started = self.now_ms();
        self.write(|s| s.last_attempt = Some(started));
        let fetched = self.fetch().await;
        crate::metrics::jwks_fetch(fetched.is_ok());
        self.write(|s| s.attempts += 1);
        match fetched {
            Ok(set) => {
                tracing::info!(
                    target: "clerk_claims",
                    url = %self.inner.url,
                    keys = set.len(),
                    ignored = set.ignored().len(),
                    "JWKS fetched"
                );
                let set = Arc::new(set);
                let now = self.now_ms();
                self.write(|s| {
                    s.set = Some(Arc::clone(&set));
                    s.fetched_at = Some(now);
                    s.last_error = None;
                });
                Ok(set)
            }
            Err(e) => {
                tracing::warn!(target: "clerk_claims", url = %self.inner.url, "JWKS fetch failed: {e}");
                self.write(|s| s.last_error = Some(e.clone()));
                Err(e)
            }
        }
    }

    fn failed(&self, detail: impl Into<String>) -> RemoteError {
        RemoteError::Failed {
            url: self.inner.url.clone(),
            detail: detail.into(),
        }
    }

    async fn fetch(&self) -> Result<JwkSet, RemoteError> {
        let remote = &self.inner;
        let mut request = remote
            .client
            .get(&remote.url)
            .header("Accept", "application/json");
        if let Some(secret) = &remote.secret_key {
            request = request.bearer_auth(secret);
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.failed(http_detail(&e)))?;
        let status = response.status();
        if remote.secret_key.is_some() && (status.as_u16() == 401 || status.as_u16() == 403) {
            return Err(RemoteError::SecretKeyRefused {
                url: remote.url.clone(),
                status: status.as_u16(),
            });
        }
        if !status.is_success() {
            return Err(self.failed(format!(
                "Error loading Clerk JWKS with code={}",
                status.as_u16()
            )));
        }
        let body = crate::http::read_capped(response, remote.config.max_body_bytes)
            .await
            .map_err(|e| match e {
                crate::http::BodyError::Transport(e) => self.failed(http_detail(&e)),
                too_large => self.failed(too_large.to_string()),
            })?;
        let text =
            std::str::from_utf8(&body).map_err(|_| self.failed("the response is not UTF-8"))?;
        let set = JwkSet::from_json(text).map_err(|e| self.failed(e.to_string()))?;
        if set.is_empty() {
            return Err(self.failed(format!(
                "The JWKS endpoint did not contain any usable signing keys ({} left out)",
                set.ignored().len()
            )));
        }
        Ok(set)
    }
}

fn http_detail(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        format!("could not connect ({e})")
    } else {
        e.to_string()
    }
}
