//! JWT-template tokens with refresh-ahead: one cached token per (session, template), handed
//! out until it is within a margin of `exp`, then refreshed in the background (one request in
//! flight per key) while callers keep getting the still-valid token. An expired token is never
//! handed out: past `exp`, callers wait for the one refresh.
//!
//! Hand-written rather than a cache crate: the policy is tied to the token's own `exp`, and the
//! single flight must cover both the refresh-ahead and the blocking path; that is a lock and a
//! map, less code than adapting a general cache.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;

use super::{ApiError, ClerkApi};
use crate::Clock;

/// How long before `exp` a token is refreshed by default (10 s).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(10);

/// Above this many cached keys, entries whose token has expired are dropped on insert.
const PRUNE_ABOVE: usize = 1024;

/// A minted JWT-template token and its expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateToken {
    /// The compact JWT.
    pub jwt: String,
    /// `exp` (Unix seconds).
    pub expires_at: i64,
    /// `iat` (Unix seconds), when present.
    pub issued_at: Option<i64>,
}

impl TemplateToken {
    /// The compact JWT.
    pub fn as_str(&self) -> &str {
        &self.jwt
    }

    /// Seconds left at `now` (Unix seconds); 0 or less when expired.
    pub fn expires_in(&self, now: i64) -> i64 {
        self.expires_at.saturating_sub(now)
    }

    fn parse(jwt: String, what: impl Fn() -> String) -> Result<TemplateToken, ApiError> {
        let unusable = |found: String| ApiError::UnusableToken {
            what: what(),
            found,
        };
        let decoded =
            crate::verify::decode_unverified(&jwt).map_err(|e| unusable(e.to_string()))?;
        let seconds = |name: &str| decoded.payload.get(name).and_then(Value::as_f64);
        let expires_at = seconds("exp")
            .filter(|exp| exp.is_finite())
            .ok_or_else(|| unusable("no numeric `exp` claim".to_owned()))?;
        // Whole seconds, rounded down: a fraction of a second never extends a token.
        #[allow(clippy::cast_possible_truncation)]
        let floor = |s: f64| s.floor().clamp(i64::MIN as f64, i64::MAX as f64) as i64;
        Ok(TemplateToken {
            expires_at: floor(expires_at),
            issued_at: seconds("iat").filter(|s| s.is_finite()).map(floor),
            jwt,
        })
    }
}

impl fmt::Display for TemplateToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.jwt)
    }
}

/// Builds [`TemplateTokens`]; checked at [`build`](Self::build).
#[must_use]
pub struct TemplateTokensBuilder {
    api: ClerkApi,
    margin: Duration,
    expires_in: Option<u32>,
    clock: Clock,
}

impl fmt::Debug for TemplateTokensBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateTokensBuilder")
            .field("api", &self.api)
            .field("margin", &self.margin)
            .field("expires_in", &self.expires_in)
            .field("clock", &self.clock)
            .finish()
    }
}

impl TemplateTokensBuilder {
    /// Refresh a token once it has this little time left (default
    /// [`DEFAULT_REFRESH_MARGIN`]); whole seconds count.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Ask Clerk for this lifetime (`expires_in_seconds`, 30..=315360000) instead of the
    /// template's.
    pub fn expires_in(mut self, seconds: u32) -> Self {
        self.expires_in = Some(seconds);
        self
    }

    /// The clock deciding freshness (default [`Clock::system`]). Give a test the same clock
    /// as the fake Clerk minting the tokens, and move it instead of waiting for `exp`.
    ///
    /// ```no_run
    /// # fn demo(api: clerk_claims::api::ClerkApi) -> Result<(), clerk_claims::api::ApiError> {
    /// use clerk_claims::Clock;
    /// use clerk_claims::api::TemplateTokens;
    /// let clock = Clock::system();
    /// let tokens = TemplateTokens::builder(api).clock(clock.clone()).build()?;
    /// clock.advance(std::time::Duration::from_secs(290)); // the cache now sees 290 s later
    /// # Ok(()) }
    /// ```
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the settings: the lifetime in Clerk's range, and a margin shorter than it (a
    /// token refreshed as soon as it is minted would mean one request per call).
    pub fn build(self) -> Result<TemplateTokens, ApiError> {
        let margin_s = i64::try_from(self.margin.as_secs()).unwrap_or(i64::MAX);
        if let Some(lifetime) = self.expires_in {
            clerk_claims_lang::rules::check_lifetime(u64::from(lifetime)).map_err(|v| {
                ApiError::Config {
                    expected: "expires_in within Clerk's 30..=315360000 seconds",
                    found: v.message,
                }
            })?;
            if margin_s >= i64::from(lifetime) {
                return Err(ApiError::Config {
                    expected: "a refresh margin shorter than the token lifetime",
                    found: format!("margin {margin_s} s for a lifetime of {lifetime} s"),
                });
            }
        }
        Ok(TemplateTokens::from_parts(
            self.api,
            self.margin,
            self.expires_in,
            self.clock,
        ))
    }
}

/// JWT-template tokens for sessions, cached and refreshed ahead of expiry; see the module
/// docs. Cheap to clone (shared cache); needs a tokio runtime (as the client does).
///
/// ```no_run
/// # async fn demo(api: clerk_claims::api::ClerkApi) -> Result<(), clerk_claims::api::ApiError> {
/// use clerk_claims::api::TemplateTokens;
/// let tokens = TemplateTokens::new(api);
/// let token = tokens.get("sess_123", "hasura").await?; // minted
/// let again = tokens.get("sess_123", "hasura").await?; // cached
/// assert_eq!(token, again);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TemplateTokens {
    inner: Arc<Inner>,
}

impl fmt::Debug for TemplateTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateTokens")
            .field("api", &self.inner.api)
            .field("margin_s", &self.inner.margin_s)
            .field("expires_in", &self.inner.expires_in)
            .field("clock", &self.inner.clock)
            .field("cached", &self.inner.slots().len())
            .finish()
    }
}

struct Inner {
    api: ClerkApi,
    margin_s: i64,
    expires_in: Option<u32>,
    clock: Clock,
    slots: Mutex<HashMap<(String, String), Arc<Slot>>>,
    /// Tokens minted so far (successful Backend API answers).
    minted: AtomicU64,
}

/// One (session, template): the cached token and the lock that makes a refresh one flight.
#[derive(Default)]
struct Slot {
    token: Mutex<Option<TemplateToken>>,
    flight: Arc<tokio::sync::Mutex<()>>,
}

impl Slot {
    fn current(&self) -> Option<TemplateToken> {
        self.token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Keeps the token that lives longer (a late answer never replaces a newer token).
    fn store(&self, token: TemplateToken) {
        let mut slot = self.token.lock().unwrap_or_else(PoisonError::into_inner);
        if slot
            .as_ref()
            .is_none_or(|t| token.expires_at >= t.expires_at)
        {
            *slot = Some(token);
        }
    }
}

/// What a cached token is worth at some instant.
enum Freshness {
    Fresh,
    /// Within the margin of `exp`, still valid.
    Stale,
    Expired,
}

impl Inner {
    fn slots(&self) -> MutexGuard<'_, HashMap<(String, String), Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn freshness(&self, token: &TemplateToken) -> Freshness {
        let left = token.expires_in(self.now());
        if left > self.margin_s {
            Freshness::Fresh
        } else if left > 0 {
            Freshness::Stale
        } else {
            Freshness::Expired
        }
    }

    fn slot(&self, session_id: &str, template: &str) -> Arc<Slot> {
        let mut slots = self.slots();
        let key = (session_id.to_owned(), template.to_owned());
        if let Some(slot) = slots.get(&key) {
            return slot.clone();
        }
        if slots.len() >= PRUNE_ABOVE {
            let now = self.now();
            slots.retain(|_, s| s.current().is_some_and(|t| t.expires_at > now));
        }
        slots.entry(key).or_default().clone()
    }

    async fn fetch(&self, session_id: &str, template: &str) -> Result<TemplateToken, ApiError> {
        let jwt = self
            .api
            .create_template_token(session_id, template, self.expires_in)
            .await?;
        let what = || format!("session {session_id}, template {template}");
        let token = TemplateToken::parse(jwt, what)?;
        self.minted.fetch_add(1, Ordering::Relaxed);
        let now = self.now();
        if token.expires_at <= now {
            return Err(ApiError::UnusableToken {
                what: what(),
                found: format!(
                    "exp {} is not after now {now} by this machine's clock (clock skew?)",
                    token.expires_at
                ),
            });
        }
        Ok(token)
    }
}

impl TemplateTokens {
    /// A cache over `api` with the default margin and the templates' own lifetimes.
    pub fn new(api: ClerkApi) -> TemplateTokens {
        TemplateTokens::from_parts(api, DEFAULT_REFRESH_MARGIN, None, Clock::system())
    }

    /// A builder: refresh margin, lifetime, clock.
    pub fn builder(api: ClerkApi) -> TemplateTokensBuilder {
        TemplateTokensBuilder {
            api,
            margin: DEFAULT_REFRESH_MARGIN,
            expires_in: None,
            clock: Clock::system(),
        }
    }

    /// An empty cache with checked settings.
    fn from_parts(
        api: ClerkApi,
        margin: Duration,
        expires_in: Option<u32>,
        clock: Clock,
    ) -> TemplateTokens {
        TemplateTokens {
            inner: Arc::new(Inner {
                api,
                margin_s: i64::try_from(margin.as_secs()).unwrap_or(i64::MAX),
                expires_in,
                clock,
                slots: Mutex::new(HashMap::new()),
                minted: AtomicU64::new(0),
            }),
        }
    }

    /// A token of `template` for `session_id`: the cached one while it has more than the
    /// margin left; within the margin, still the cached one while one background request
    /// refreshes it; past `exp` (or the first time), the result of the one request in flight.
    /// Never an expired token: if the refresh fails then, the error is returned.
    pub async fn get(&self, session_id: &str, template: &str) -> Result<TemplateToken, ApiError> {
        let slot = self.inner.slot(session_id, template);
        if let Some(token) = slot.current() {
            match self.inner.freshness(&token) {
                Freshness::Fresh => return Ok(token),
                Freshness::Stale => {
                    self.refresh_ahead(&slot, session_id, template);
                    return Ok(token);
                }
                Freshness::Expired => {}
            }
        }
        let _flight = slot.flight.lock().await;
        // Whoever held the flight may have just refreshed it.
        if let Some(token) = slot.current()
            && !matches!(self.inner.freshness(&token), Freshness::Expired)
        {
            return Ok(token);
        }
        let token = self.inner.fetch(session_id, template).await?;
        slot.store(token.clone());
        Ok(token)
    }

    /// The cached token, if any and not expired, without asking Clerk.
    pub fn cached(&self, session_id: &str, template: &str) -> Option<TemplateToken> {
        let key = (session_id.to_owned(), template.to_owned());
        let slot = self.inner.slots().get(&key).cloned()?;
        slot.current()
            .filter(|t| !matches!(self.inner.freshness(t), Freshness::Expired))
    }

    /// How many tokens this cache (and its clones) asked the Backend API for so far: a
    /// metric, and how a test or `clerk-claims doctor refresh` sees a background refresh land.
    pub fn minted(&self) -> u64 {
        self.inner.minted.load(Ordering::Relaxed)
    }

    /// Drops every cached token of a session (e.g. after revoking it).
    pub fn forget_session(&self, session_id: &str) {
        self.inner.slots().retain(|(s, _), _| s != session_id);
    }

    /// Drops every cached token.
    pub fn clear(&self) {
        self.inner.slots().clear();
    }

    /// Starts the one background refresh of `slot` unless one is in flight. Without a tokio
    /// runtime there is nothing to run it on: the caller keeps the valid token and a call past
    /// `exp` fetches.
    fn refresh_ahead(&self, slot: &Arc<Slot>, session_id: &str, template: &str) {
        let Ok(flight) = slot.flight.clone().try_lock_owned() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let inner = self.inner.clone();
        let slot = slot.clone();
        let (session_id, template) = (session_id.to_owned(), template.to_owned());
        runtime.spawn(async move {
            let _flight = flight;
            if slot
                .current()
                .is_some_and(|t| matches!(inner.freshness(&t), Freshness::Fresh))
            {
                return;
            }
            // A failure leaves the still-valid token in place; the next call tries again.
            if let Ok(token) = inner.fetch(&session_id, &template).await {
                slot.store(token);
            }
        });
    }
}
