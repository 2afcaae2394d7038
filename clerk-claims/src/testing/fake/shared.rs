//! What every handler of the fake shares: the instance state, the keys, the injected faults,
//! the request log and the one clock. A new route module reads it through `Arc<Shared>`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::error::Failure;
use super::fault::{Fault, FaultKind};
use super::state::State;
use crate::Clock;
use crate::testing::issuer::TestIssuer;

/// How many recent request lines [`FakeClerk::requests`](super::FakeClerk::requests) keeps (a
/// long-running `clerk-claims dev` must not grow without bound; the counts are kept per
/// distinct line).
const RECENT_REQUESTS: usize = 1000;

/// Requests seen: the latest lines and a count per line.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    pub(super) recent: VecDeque<String>,
    pub(super) counts: HashMap<String, usize>,
}

/// State shared by the handlers.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(super) state: Mutex<State>,
    pub(super) keys: Mutex<TestIssuer>,
    pub(super) faults: Mutex<Vec<Fault>>,
    /// The latest requests (`METHOD /path`) and a count per request line.
    pub(super) requests: Mutex<RequestLog>,
    /// The fake's clock, shared with its state and its issuer (see
    /// [`FakeClerk::clock`](super::FakeClerk::clock)).
    pub(super) clock: Clock,
    pub(super) secret_key: String,
    /// Where events go as Svix-signed webhooks, when configured.
    pub(super) webhooks: Option<super::webhooks::WebhookSender>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler never panics while holding the lock; recover the data if one ever did.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn keys(&self) -> MutexGuard<'_, TestIssuer> {
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Vec<Fault>> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn requests(&self) -> MutexGuard<'_, RequestLog> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn jwks(&self) -> Value {
        self.keys().jwks()
    }

    /// The fake's "now" in Unix seconds.
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The instance secret key the Backend API routes require.
    pub(crate) fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// Records one request (`METHOD /path`).
    pub(crate) fn record(&self, method: &str, path: &str) {
        let line = format!("{method} {path}");
        let mut log = self.requests();
        *log.counts.entry(line.clone()).or_default() += 1;
        if log.recent.len() == RECENT_REQUESTS {
            log.recent.pop_front();
        }
        log.recent.push_back(line);
    }

    /// Ends an active session as a sign-out on its device does, and sends `session.ended`
    /// when webhooks are configured: [`FakeClerk::end_session`](super::FakeClerk::end_session)
    /// and the `POST /_fake/sessions/{id}/end` route.
    pub(crate) fn end_session(&self, id: &str) -> Result<crate::api::Session, Failure> {
        let session = self.lock().end_session(id)?;
        self.webhook("session.ended", &session);
        Ok(session)
    }

    /// The fault kinds for a request to `path`, consuming one use of counted faults.
    pub(crate) fn take_faults(&self, path: &str) -> Vec<FaultKind> {
        let mut faults = self.faults();
        let mut kinds = Vec::new();
        for fault in faults.iter_mut().filter(|f| f.matches(path)) {
            kinds.push(fault.kind.clone());
            if let Some(n) = fault.remaining.as_mut() {
                *n = n.saturating_sub(1);
            }
        }
        faults.retain(|f| f.remaining != Some(0));
        kinds
    }
}
