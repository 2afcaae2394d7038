//! FakeClerk sends webhooks as Clerk does through Svix: signed `svix-*` headers over the exact
//! body, one `svix-id` per event kept across retries, retries on any non-2xx answer, events in
//! order, when sessions are revoked or ended and users or memberships change through its API;
//! each event's `data` is the Backend API object the route answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::fake::{FakeClerk, WebhookConfig};
use clerk_claims::verify::Reason;
use clerk_claims::webhooks::{Webhook, WebhookEvent, WebhookMessage};
use serde_json::{Value, json};

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

/// A fake sending its webhooks to a fresh endpoint on loopback.
async fn fake_with_endpoint() -> (FakeClerk, Endpoint) {
    let (endpoint, url) = endpoint(0).await;
    let fake = FakeClerk::builder()
        .webhooks(WebhookConfig::new(url, SECRET).expect("secret"))
        .start()
        .expect("fake");
    (fake, endpoint)
}

/// Sends a Backend API request to the fake (the client has no method for these routes).
async fn bapi(fake: &FakeClerk, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let mut req = reqwest::Client::new()
        .request(method.clone(), format!("{}{path}", fake.url()))
        .bearer_auth(fake.secret_key());
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.expect("the fake answers");
    assert!(
        resp.status().is_success(),
        "{method} {path}: {}",
        resp.status()
    );
    resp.json().await.expect("JSON")
}

/// Every message the endpoint got once the fake's queue is empty, verified with the library.
fn received(fake: &FakeClerk, endpoint: &Endpoint) -> Vec<WebhookMessage> {
    assert!(fake.wait_webhooks(Duration::from_secs(5)));
    let webhook = Webhook::new(SECRET)
        .expect("secret")
        .with_clock(fake.clock().clone());
    let received = endpoint.received.lock().expect("lock").clone();
    received
        .iter()
        .map(|(headers, body)| webhook.verify_message(headers, body).expect("genuine"))
        .collect()
}

/// The payload of a session token the fake mints now for `session`.
async fn session_token_payload(fake: &FakeClerk, session: &str) -> Value {
    let jwt = fake
        .api()
        .expect("api")
        .create_session_token(session, None)
        .await
        .expect("minted");
    Value::Object(
        clerk_claims::verify::decode_unverified(&jwt)
            .expect("a JWT")
            .payload,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updating_a_user_sends_user_updated_with_the_user_the_route_answers() {
    let (fake, endpoint) = fake_with_endpoint().await;
    let answered = bapi(
        &fake,
        reqwest::Method::PATCH,
        "/v1/users/user_2alice",
        Some(json!({"first_name": "Alicia", "last_name": null})),
    )
    .await;

    let messages = received(&fake, &endpoint);
    assert_eq!(messages.len(), 1);
    let WebhookEvent::UserUpdated(user) = &messages[0].event else {
        panic!("{:?}", messages[0].event)
    };
    assert_eq!(user.id, "user_2alice");
    assert_eq!(user.first_name.as_deref(), Some("Alicia"));
    assert_eq!(user.last_name, None);
    assert_eq!(fake.webhook_deliveries()[0].body["data"], answered);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merging_user_metadata_sends_user_updated_and_templates_mint_the_new_value() {
    let (fake, endpoint) = fake_with_endpoint().await;
    let api = fake.api().expect("api");
    let template = clerk_claims::JwtTemplate::from_json(
        &json!({"name": "plan", "claims": {"plan": "{{user.public_metadata.plan}}"}}),
    )
    .expect("template");
    api.upsert_template(&template).await.expect("saved");
    let mint = || async {
        let jwt = api
            .create_template_token("sess_2alice_acme", "plan", None)
            .await
            .expect("minted");
        clerk_claims::verify::decode_unverified(&jwt)
            .expect("a JWT")
            .payload["plan"]
            .clone()
    };
    assert_eq!(mint().await, json!("pro"));

    bapi(
        &fake,
        reqwest::Method::PATCH,
        "/v1/users/user_2alice/metadata",
        Some(json!({"public_metadata": {"plan": "team"}})),
    )
    .await;

    let messages = received(&fake, &endpoint);
    assert_eq!(messages.len(), 1);
    let WebhookEvent::UserUpdated(user) = &messages[0].event else {
        panic!("{:?}", messages[0].event)
    };
    assert_eq!(user.public_metadata["plan"], json!("team"));
    assert_eq!(
        user.public_metadata["hasura_role"],
        json!("editor"),
        "merged"
    );
    assert_eq!(mint().await, json!("team"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_a_member_sends_organization_membership_created_with_organization_and_user() {
    let (fake, endpoint) = fake_with_endpoint().await;
    bapi(
        &fake,
        reqwest::Method::POST,
        "/v1/organizations/org_2acme/memberships",
        Some(json!({"user_id": "user_2carol", "role": "org:admin"})),
    )
    .await;

    let messages = received(&fake, &endpoint);
    assert_eq!(messages.len(), 1);
    let WebhookEvent::OrganizationMembershipCreated(membership) = &messages[0].event else {
        panic!("{:?}", messages[0].event)
    };
    assert_eq!(membership.role, "org:admin");
    assert_eq!(membership.organization.id, "org_2acme");
    assert_eq!(membership.organization.members_count, Some(3));
    assert_eq!(membership.public_user_data.user_id, "user_2carol");

    // A session in that organization now carries the membership.
    let session = bapi(
        &fake,
        reqwest::Method::POST,
        "/v1/sessions",
        Some(json!({"user_id": "user_2carol", "active_organization_id": "org_2acme"})),
    )
    .await;
    let id = session["id"].as_str().expect("id");
    let payload = session_token_payload(&fake, id).await;
    assert_eq!(payload["o"]["id"], json!("org_2acme"));
    assert_eq!(payload["o"]["rol"], json!("admin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_role_sends_organization_membership_updated_and_tokens_carry_it() {
    let (fake, endpoint) = fake_with_endpoint().await;
    assert_eq!(
        session_token_payload(&fake, "sess_2bob_acme").await["o"]["rol"],
        json!("member")
    );
    bapi(
        &fake,
        reqwest::Method::PATCH,
        "/v1/organizations/org_2acme/memberships/user_2bob",
        Some(json!({"role": "org:admin"})),
    )
    .await;

    let messages = received(&fake, &endpoint);
    assert_eq!(messages.len(), 1);
    let WebhookEvent::OrganizationMembershipUpdated(membership) = &messages[0].event else {
        panic!("{:?}", messages[0].event)
    };
    assert_eq!(membership.role, "org:admin");
    assert_eq!(membership.public_user_data.user_id, "user_2bob");
    assert_eq!(
        session_token_payload(&fake, "sess_2bob_acme").await["o"]["rol"],
        json!("admin")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_a_member_sends_organization_membership_deleted_and_tokens_lose_the_org() {
    let (fake, endpoint) = fake_with_endpoint().await;
    bapi(
        &fake,
        reqwest::Method::DELETE,
        "/v1/organizations/org_2acme/memberships/user_2bob",
        None,
    )
    .await;

    let messages = received(&fake, &endpoint);
    assert_eq!(messages.len(), 1);
    let WebhookEvent::OrganizationMembershipDeleted(membership) = &messages[0].event else {
        panic!("{:?}", messages[0].event)
    };
    assert_eq!(membership.id, "orgmem_2bob_acme");
    assert_eq!(membership.organization.members_count, Some(1));
    let session = fake
        .api()
        .expect("api")
        .get_session("sess_2bob_acme")
        .await
        .expect("session");
    assert_eq!(session.last_active_organization_id, None);
    let payload = session_token_payload(&fake, "sess_2bob_acme").await;
    assert!(payload.get("o").is_none(), "{payload}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_a_session_sends_session_ended_and_the_fed_revocation_list_rejects_its_token() {
    let (fake, endpoint) = fake_with_endpoint().await;
    let list = RevocationList::new();
    let verifier = fake
        .issuer()
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    let api = fake.api().expect("api");
    let phone = api
        .create_session_token("sess_2alice_personal", None)
        .await
        .expect("token");
    verifier.verify_session(&phone).await.expect("valid before");

    let ended = fake.end_session("sess_2alice_personal").expect("active");
    assert_eq!(ended.status, clerk_claims::api::SessionStatus::Ended);

    let messages = received(&fake, &endpoint);
    assert_eq!(messages.len(), 1);
    let WebhookEvent::SessionEnded(session) = &messages[0].event else {
        panic!("{:?}", messages[0].event)
    };
    assert_eq!(
        (session.id.as_str(), session.status.as_str()),
        ("sess_2alice_personal", "ended")
    );
    assert_eq!(list.apply(&messages[0].event), Some("sess_2alice_personal"));
    let err = verifier.verify_session(&phone).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
    assert!(
        api.create_session_token("sess_2alice_personal", None)
            .await
            .is_err(),
        "no token for an ended session"
    );
    assert!(
        fake.end_session("sess_2alice_personal").is_none(),
        "ended once"
    );
}

/// An app on loopback whose handler takes deliveries through the axum extractor with an
/// in-memory dedup, counting the handler's runs; `first_answer`, if given, replaces the first
/// response on the way out (a proxy that loses the handler's acknowledgement).
mod dedup_over_http {
    use axum::extract::FromRef;
    use axum::middleware::map_response;
    use axum::response::{IntoResponse, Response};
    use clerk_claims::webhooks::Dedup;
    use clerk_claims::webhooks::axum::VerifiedWebhook;

    use super::*;

    #[derive(Clone)]
    struct App {
        webhook: Webhook,
        runs: Arc<Mutex<Vec<String>>>,
        /// The handler fails (and forgets the id) this many times first.
        fail_first: Arc<AtomicUsize>,
    }

    impl FromRef<App> for Webhook {
        fn from_ref(app: &App) -> Webhook {
            app.webhook.clone()
        }
    }

    async fn handler(
        State(app): State<App>,
        VerifiedWebhook(message): VerifiedWebhook,
    ) -> StatusCode {
        app.runs.lock().expect("lock").push(message.id.clone());
        let failing = app
            .fail_first
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
            .is_ok();
        if failing {
            // Not done: release the id so Svix's retry is processed.
            app.webhook.forget(&message.id).await.expect("forgotten");
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        }
    }

    /// Starts the app; returns its state and its URL.
    async fn serve(fail_first: usize, lose_first_answer: bool) -> (App, String) {
        let app = App {
            webhook: Webhook::new(SECRET).expect("secret").dedup(Dedup::memory()),
            runs: Arc::default(),
            fail_first: Arc::new(AtomicUsize::new(fail_first)),
        };
        let lost = Arc::new(AtomicUsize::new(usize::from(lose_first_answer)));
        let router = Router::new()
            .route("/webhooks/clerk", post(handler))
            .layer(map_response(move |response: Response| {
                let lost = lost.clone();
                async move {
                    let lose = lost
                        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                        .is_ok();
                    if lose {
                        StatusCode::BAD_GATEWAY.into_response()
                    } else {
                        response
                    }
                }
            }))
            .with_state(app.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!(
            "http://{}/webhooks/clerk",
            listener.local_addr().expect("addr")
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        (app, url)
    }

    fn fake_sending_to(url: String) -> FakeClerk {
        let config = WebhookConfig::new(url, SECRET)
            .expect("secret")
            .retry_delays(vec![Duration::from_millis(10); 3]);
        FakeClerk::builder().webhooks(config).start().expect("fake")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_retry_after_a_lost_acknowledgement_is_answered_200_without_the_handler() {
        let (app, url) = serve(0, true).await;
        let fake = fake_sending_to(url);
        let id = fake
            .send_webhook("user.updated", json!({"id": "user_2alice"}))
            .expect("an endpoint");
        assert!(fake.wait_webhooks(Duration::from_secs(5)));

        let deliveries = fake.webhook_deliveries();
        assert_eq!(deliveries[0].attempts, [Ok(502), Ok(200)]);
        assert!(deliveries[0].delivered, "Svix stops retrying");
        assert_eq!(
            *app.runs.lock().expect("lock"),
            [id],
            "the handler ran once"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_handler_that_fails_and_forgets_the_id_gets_the_retry() {
        let (app, url) = serve(1, false).await;
        let fake = fake_sending_to(url);
        let id = fake
            .send_webhook("user.updated", json!({"id": "user_2alice"}))
            .expect("an endpoint");
        assert!(fake.wait_webhooks(Duration::from_secs(5)));

        assert_eq!(fake.webhook_deliveries()[0].attempts, [Ok(500), Ok(200)]);
        assert_eq!(*app.runs.lock().expect("lock"), [id.clone(), id]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_replayed_delivery_is_acknowledged_and_not_processed_again() {
        let (app, url) = serve(0, false).await;
        let fake = fake_sending_to(url.clone());
        fake.send_webhook(
            "session.revoked",
            json!({"object": "session", "id": "sess_1",
            "user_id": "user_1", "client_id": "client_1", "status": "revoked"}),
        );
        assert!(fake.wait_webhooks(Duration::from_secs(5)));
        // The same delivery again within the window, as a replay (or a Svix retry) sends it.
        let delivery = &fake.webhook_deliveries()[0];
        let body = delivery.body.to_string();
        let now = fake.clock().now();
        let replay = reqwest::Client::new()
            .post(&url)
            .header("svix-id", &delivery.id)
            .header("svix-timestamp", now.to_string())
            .header(
                "svix-signature",
                Webhook::new(SECRET)
                    .expect("secret")
                    .sign(&delivery.id, now, body.as_bytes()),
            )
            .body(body)
            .send()
            .await
            .expect("answered");
        assert_eq!(replay.status(), 200);
        let text = replay.text().await.expect("text");
        assert!(text.contains("already received"), "{text}");
        assert_eq!(app.runs.lock().expect("lock").len(), 1);
    }
}
