//! The fake's webhook sender: POSTs signed events to one endpoint, as Svix does for Clerk.
//!
//! Each event gets a `msg_…` id, kept across its retries; each attempt is signed anew
//! (`svix-id`, `svix-timestamp` on the fake's clock, `svix-signature` `v1,…`) over the body
//! `{data, object: "event", type, timestamp, instance_id, event_attributes}`. Any 2xx answer
//! acknowledges; anything else (or no answer) is retried after each of the configured delays.
//! Events go out one at a time, in order, from a thread of their own, so a handler of the fake
//! never waits on the endpoint.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::{FakeClerk, FakeClerkBuilder, FakeError};
use crate::Clock;
use crate::webhooks::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, SecretError, Webhook};

/// How many deliveries [`FakeClerk::webhook_deliveries`] keeps.
const KEPT_DELIVERIES: usize = 1000;

/// Where the fake sends webhooks, with which secret, and how it retries.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    url: String,
    webhook: Webhook,
    retry_delays: Vec<Duration>,
}

impl WebhookConfig {
    /// Send to `url`, signed with `secret` (`whsec_…`), checked now. Retries after 100 ms,
    /// 500 ms and 2 s by default (Svix waits 5 s, 5 min, 30 min, … : too long for a test).
    pub fn new(url: impl Into<String>, secret: &str) -> Result<Self, SecretError> {
        Ok(Self {
            url: url.into(),
            webhook: Webhook::new(secret)?,
            retry_delays: vec![
                Duration::from_millis(100),
                Duration::from_millis(500),
                Duration::from_secs(2),
            ],
        })
    }

    /// The waits before each retry (empty: one attempt only).
    #[must_use]
    pub fn retry_delays(mut self, delays: Vec<Duration>) -> Self {
        self.retry_delays = delays;
        self
    }

    /// The endpoint.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// One event the fake sent (or is still sending), and what each attempt got.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    /// `svix-id`.
    pub id: String,
    /// The event type, e.g. `session.revoked`.
    pub event_type: String,
    /// The body sent.
    pub body: Value,
    /// Each attempt's outcome: the HTTP status, or why there was none.
    pub attempts: Vec<Result<u16, String>>,
    /// Whether an attempt got a 2xx.
    pub delivered: bool,
}

struct Outgoing {
    id: String,
    event_type: String,
    body: Value,
}

/// The sending half the fake keeps; dropping it lets the sender thread finish its queue and
/// end.
#[derive(Debug)]
pub(crate) struct WebhookSender {
    queue: mpsc::UnboundedSender<Outgoing>,
    log: Arc<Mutex<Vec<WebhookDelivery>>>,
    pending: Arc<AtomicUsize>,
    next_id: AtomicU64,
    clock: Clock,
    url: String,
}

impl WebhookSender {
    /// Starts the sender thread.
    pub(crate) fn start(config: WebhookConfig, clock: Clock) -> Result<Self, FakeError> {
        let url = config.url.clone();
        let start_err = |source| FakeError::Start {
            addr: url.clone(),
            source,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(start_err)?;
        let (queue, mut incoming) = mpsc::unbounded_channel::<Outgoing>();
        let log = Arc::new(Mutex::new(Vec::new()));
        let pending = Arc::new(AtomicUsize::new(0));
        let (thread_log, thread_pending, thread_clock) =
            (log.clone(), pending.clone(), clock.clone());
        std::thread::Builder::new()
            .name("fake-clerk-webhooks".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let client = reqwest::Client::builder()
                        .timeout(Duration::from_secs(5))
                        .build()
                        .unwrap_or_default();
                    while let Some(event) = incoming.recv().await {
                        deliver(&client, &config, &thread_clock, event, &thread_log).await;
                        thread_pending.fetch_sub(1, Ordering::AcqRel);
                    }
                });
            })
            .map_err(start_err)?;
        Ok(Self {
            queue,
            log,
            pending,
            next_id: AtomicU64::new(1),
            clock,
            url,
        })
    }

    /// Queues one event: `data` is the Backend API object.
    pub(crate) fn send(&self, event_type: &str, data: Value) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = format!("msg_fake{:016x}{n:08}", self.clock.now_ms());
        let body = json!({
            "data": data,
            "object": "event",
            "type": event_type,
            "timestamp": self.clock.now_ms(),
            "instance_id": "ins_fakeclerk",
            "event_attributes": {"http_request": {"client_ip": "127.0.0.1", "user_agent": "clerk-claims FakeClerk"}},
        });
        self.pending.fetch_add(1, Ordering::AcqRel);
        let outgoing = Outgoing {
            id: id.clone(),
            event_type: event_type.to_owned(),
            body,
        };
        if self.queue.send(outgoing).is_err() {
            // The sender thread is gone (it never ends while this half lives).
            self.pending.fetch_sub(1, Ordering::AcqRel);
        }
        id
    }

    /// The deliveries so far, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until every queued event is delivered or given up, at most `timeout`.
    pub(crate) fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.pending.load(Ordering::Acquire) > 0 {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }

    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

/// Sends one event until a 2xx or out of retries; records every attempt.
async fn deliver(
    client: &reqwest::Client,
    config: &WebhookConfig,
    clock: &Clock,
    event: Outgoing,
    log: &Mutex<Vec<WebhookDelivery>>,
) {
    let text = event.body.to_string();
    let index = {
        let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
        if log.len() == KEPT_DELIVERIES {
            log.remove(0);
        }
        log.push(WebhookDelivery {
            id: event.id.clone(),
            event_type: event.event_type.clone(),
            body: event.body.clone(),
            attempts: Vec::new(),
            delivered: false,
        });
        log.len() - 1
    };
    let waits = std::iter::once(Duration::ZERO).chain(config.retry_delays.iter().copied());
    for wait in waits {
        tokio::time::sleep(wait).await;
        let timestamp = clock.now();
        let signature = config.webhook.sign(&event.id, timestamp, text.as_bytes());
        let outcome = client
            .post(&config.url)
            .header(HEADER_ID, &event.id)
            .header(HEADER_TIMESTAMP, timestamp.to_string())
            .header(HEADER_SIGNATURE, signature)
            .header("content-type", "application/json")
            .body(text.clone())
            .send()
            .await
            .map(|r| r.status().as_u16())
            .map_err(|e| e.to_string());
        let delivered = matches!(outcome, Ok(200..=299));
        {
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            // The entry may have moved if the log dropped its oldest meanwhile.
            let at = log
                .get(index)
                .filter(|d| d.id == event.id)
                .map(|_| index)
                .or_else(|| log.iter().position(|d| d.id == event.id));
            if let Some(entry) = at.and_then(|i| log.get_mut(i)) {
                entry.attempts.push(outcome);
                entry.delivered = delivered;
            }
        }
        if delivered {
            return;
        }
    }
}

impl FakeClerkBuilder {
    /// Send signed webhooks (as Clerk does through Svix) to `config`'s endpoint when sessions
    /// are created, revoked or ended and when users or memberships change through the API:
    /// `session.created` (`POST /v1/sessions`), `session.revoked` (`POST
    /// /v1/sessions/{id}/revoke`), `session.ended` ([`FakeClerk::end_session`],
    /// [`end_session_over_http`](super::end_session_over_http)), `user.updated`
    /// (`PATCH /v1/users/{id}` and `PATCH /v1/users/{id}/metadata`) and
    /// `organizationMembership.created|updated|deleted` (`POST`, `PATCH`, `DELETE` on
    /// `/v1/organizations/{id}/memberships[/{user_id}]`). Each event's `data` is the object
    /// the route answers (a membership with its `organization` and `public_user_data`).
    pub fn webhooks(mut self, config: WebhookConfig) -> Self {
        self.webhooks = Some(config);
        self
    }
}

impl FakeClerk {
    /// Sends any event to the webhook endpoint, e.g. `user.created` with a user object (one
    /// the fake does not send by itself);
    /// returns its `svix-id`, or `None` when no endpoint is configured.
    pub fn send_webhook(&self, event_type: &str, data: Value) -> Option<String> {
        self.shared
            .webhooks
            .as_ref()
            .map(|sender| sender.send(event_type, data))
    }

    /// The webhooks sent so far (each with its attempts), oldest first.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.shared
            .webhooks
            .as_ref()
            .map(WebhookSender::deliveries)
            .unwrap_or_default()
    }

    /// Waits until every queued webhook is delivered or given up, at most `timeout`; returns
    /// whether the queue is empty.
    pub fn wait_webhooks(&self, timeout: Duration) -> bool {
        self.shared
            .webhooks
            .as_ref()
            .is_none_or(|sender| sender.wait_idle(timeout))
    }

    /// The webhook endpoint, when one is configured.
    pub fn webhook_url(&self) -> Option<&str> {
        self.shared.webhooks.as_ref().map(WebhookSender::url)
    }
}

impl super::shared::Shared {
    /// Queues a webhook for an event, when an endpoint is configured.
    pub(crate) fn webhook(&self, event_type: &str, data: impl serde::Serialize) {
        if let Some(sender) = &self.webhooks {
            match serde_json::to_value(data) {
                Ok(data) => {
                    sender.send(event_type, data);
                }
                Err(e) => tracing::warn!(event_type, error = %e, "fake webhook: data not JSON"),
            }
        }
    }
}
