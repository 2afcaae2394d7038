//! A JWKS fetched over HTTP (feature `remote`): one cache per key source (URL and secret key),
//! a TTL, refetch on an unknown `kid` with a cooldown, one fetch however many requests wait
//! (single flight), stale keys kept when a fetch fails, bounded response size.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::{JwkSet, Key, Lookup};
use crate::verify::VerifyError;

/// Cache and HTTP settings of a [`RemoteJwks`].
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

impl Default for RemoteJwksConfig {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(300),
            cooldown: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            max_body_bytes: 256 * 1024,
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

#[derive(Default)]
struct State {
    set: Option<Arc<JwkSet>>,
    fetched_at: Option<Instant>,
    last_attempt: Option<Instant>,
    attempts: u64,
    last_error: Option<VerifyError>,
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
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder().timeout(config.timeout).build()?;
        Ok(Self {
            inner: Arc::new(Remote {
                url: url.into(),
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
    pub async fn current(&self) -> Result<Arc<JwkSet>, VerifyError> {
        let (set, fresh, attempts) = self.snapshot();
        match set {
            Some(set) if fresh || !self.cooled_down() => Ok(set),
            _ => self.fetch_once(attempts).await,
        }
    }

    /// Fetches now, whatever the cache holds (still one fetch for concurrent callers).
    pub async fn refresh(&self) -> Result<Arc<JwkSet>, VerifyError> {
        let attempts = self.read(|s| s.attempts);
        self.fetch_once(attempts).await
    }

    /// The key for `kid`: from the cache, else after at most one refetch.
    pub(crate) async fn key(&self, kid: &str) -> Result<Arc<Key>, VerifyError> {
        let (set, fresh, attempts) = self.snapshot();
        let set = match set {
            Some(set) => match set.lookup(kid) {
                Lookup::Found(key) if fresh || !self.cooled_down() => return Ok(key),
                found if !self.cooled_down() => return resolve(found, kid),
                _ => self
                    .fetch_once(attempts)
                    .await
                    .or_else(|e| self.stale().ok_or(e))?,
            },
            None => self.fetch_once(attempts).await?,
        };
        resolve(set.lookup(kid), kid)
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
                .is_some_and(|t| t.elapsed() < self.inner.config.ttl);
            (s.set.clone(), fresh, s.attempts)
        })
    }

    fn stale(&self) -> Option<Arc<JwkSet>> {
        self.read(|s| s.set.clone())
    }

    fn cooled_down(&self) -> bool {
        self.read(|s| {
            s.last_attempt
                .is_none_or(|t| t.elapsed() >= self.inner.config.cooldown)
        })
    }

    /// One fetch for everyone who saw `seen_attempts`: whoever gets the lock first fetches;
    /// the others find the attempt counter moved and take its outcome.
    async fn fetch_once(&self, seen_attempts: u64) -> Result<Arc<JwkSet>, VerifyError> {
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
        self.write(|s| s.last_attempt = Some(Instant::now()));
        let fetched = self.fetch().await;
        self.write(|s| s.attempts += 1);
        match fetched {
            Ok(set) => {
                let set = Arc::new(set);
                self.write(|s| {
                    s.set = Some(Arc::clone(&set));
                    s.fetched_at = Some(Instant::now());
                    s.last_error = None;
                });
                Ok(set)
            }
            Err(e) => {
                self.write(|s| s.last_error = Some(e.clone()));
                Err(e)
            }
        }
    }

    fn failed(&self, detail: impl Into<String>) -> VerifyError {
        VerifyError::RemoteFailed {
            url: self.inner.url.clone(),
            detail: detail.into(),
        }
    }

    async fn fetch(&self) -> Result<JwkSet, VerifyError> {
        let remote = &self.inner;
        let mut request = remote
            .client
            .get(&remote.url)
            .header("Accept", "application/json");
        if let Some(secret) = &remote.secret_key {
            request = request.bearer_auth(secret);
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| self.failed(http_detail(&e)))?;
        let status = response.status();
        if remote.secret_key.is_some() && (status.as_u16() == 401 || status.as_u16() == 403) {
            return Err(VerifyError::SecretKeyInvalid {
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
        let max = remote.config.max_body_bytes;
        if response
            .content_length()
            .is_some_and(|len| len > max as u64)
        {
            return Err(self.failed(format!("the response is larger than {max} bytes")));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.failed(http_detail(&e)))?
        {
            if body.len() + chunk.len() > max {
                return Err(self.failed(format!("the response is larger than {max} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
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

fn resolve(found: Lookup, kid: &str) -> Result<Arc<Key>, VerifyError> {
    match found {
        Lookup::Found(key) => Ok(key),
        other => Err(VerifyError::KidMismatch {
            kid: Some(kid.chars().take(64).collect()),
            ambiguous: matches!(other, Lookup::Ambiguous),
        }),
    }
}
