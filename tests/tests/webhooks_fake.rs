//! FakeClerk sends webhooks as Clerk does through Svix: signed `svix-*` headers over the exact
//! body, one `svix-id` per event kept across retries, retries on any non-2xx answer, events in
//! order, when sessions are revoked through its Backend API.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clerk_claims::testing::fake::{FakeClerk, WebhookConfig};
use clerk_claims::webhooks::{Webhook, WebhookEvent};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(Clone, Default)]
struct Endpoint {
    /// Answer 500 to this many requests first.
    fail_first: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

async fn receive(State(endpoint): State<Endpoint>, headers: HeaderMap, body: Bytes) -> StatusCode {
    endpoint
        .received
        .lock()
        .expect("lock")
        .push((headers, body));
    let failing = endpoint
        .fail_first
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

/// An endpoint on loopback, and its URL.
async fn endpoint(fail_first: usize) -> (Endpoint, String) {
    let endpoint = Endpoint::default();
    endpoint.fail_first.store(fail_first, Ordering::Release);
    let app = Router::new()
        .route("/webhooks", post(receive))
        .with_state(endpoint.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/webhooks", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (endpoint, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_a_session_through_the_api_sends_a_signed_session_revoked_webhook() {
    let (endpoint, url) = endpoint(0).await;
    let fake = FakeClerk::builder()
        .webhooks(WebhookConfig::new(url, SECRET).expect("secret"))
        .start()
        .expect("fake");
    let api = fake.api().expect("api");
    api.revoke_session("sess_2alice_personal")
        .await
        .expect("revoked");
    assert!(fake.wait_webhooks(Duration::from_secs(5)));

    let received = endpoint.received.lock().expect("lock").clone();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    let webhook = Webhook::new(SECRET)
        .expect("secret")
        .with_clock(fake.clock().clone());
    let message = webhook.verify_message(headers, body).expect("genuine");
    let WebhookEvent::SessionRevoked(session) = &message.event else {
        panic!("{:?}", message.event)
    };
    assert_eq!(session.id, "sess_2alice_personal");
    assert_eq!(session.status, "revoked");
    assert_eq!(session.user_id, "user_2alice");

    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].id, message.id);
    assert_eq!(deliveries[0].attempts, [Ok(204)]);
    assert!(deliveries[0].delivered);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_2xx_answer_is_retried_with_the_same_message_id() {
    let (endpoint, url) = endpoint(2).await;
    let config = WebhookConfig::new(url, SECRET)
        .expect("secret")
        .retry_delays(vec![Duration::from_millis(10); 3]);
    let fake = FakeClerk::builder().webhooks(config).start().expect("fake");
    let id = fake
        .send_webhook("user.updated", serde_json::json!({"id": "user_2alice"}))
        .expect("an endpoint is configured");
    assert!(fake.wait_webhooks(Duration::from_secs(5)));

    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries[0].attempts, [Ok(500), Ok(500), Ok(204)]);
    assert!(deliveries[0].delivered);
    let received = endpoint.received.lock().expect("lock").clone();
    assert_eq!(received.len(), 3);
    let webhook = Webhook::new(SECRET).expect("secret");
    for (headers, body) in &received {
        assert_eq!(headers["svix-id"], id.as_str());
        let event = webhook
            .verify(headers, body)
            .expect("every attempt is signed");
        assert_eq!(event.event_type(), "user.updated");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_keeps_failing_is_given_up_after_the_retries() {
    let (_endpoint, url) = endpoint(usize::MAX).await;
    let config = WebhookConfig::new(url, SECRET)
        .expect("secret")
        .retry_delays(vec![Duration::from_millis(5); 2]);
    let fake = FakeClerk::builder().webhooks(config).start().expect("fake");
    fake.send_webhook("session.ended", serde_json::json!({"id": "sess_1"}));
    assert!(fake.wait_webhooks(Duration::from_secs(5)));
    let deliveries = fake.webhook_deliveries();
    assert_eq!(deliveries[0].attempts, [Ok(500), Ok(500), Ok(500)]);
    assert!(!deliveries[0].delivered);
}

#[test]
fn a_fake_without_an_endpoint_sends_nothing() {
    let fake = FakeClerk::start();
    assert_eq!(
        fake.send_webhook("user.created", serde_json::json!({})),
        None
    );
    assert!(fake.webhook_deliveries().is_empty());
    assert!(WebhookConfig::new("http://127.0.0.1:1/", "not-a-secret").is_err());
}
