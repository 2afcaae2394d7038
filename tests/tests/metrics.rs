//! Feature `metrics`: the names and labels of `api.md` §12 recorded by real operations (tokens
//! verified and refused, the token cache, a JWKS fetch and Backend API calls against FakeClerk
//! over loopback, webhooks, revocations), read back through `metrics-util`'s debugging recorder.
//! No label holds a token, a secret, or a user, session or organization ID.

use axum::http::{HeaderMap, HeaderValue};
use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::webhooks::Webhook;
use clerk_claims::{ClerkClaims, Verifier};

use crate::common::metrics::{Metrics, recorded};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(ClerkClaims, Debug)]
#[clerk(template = "billing")]
struct BillingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
}

/// No label of any metric holds an ID of Clerk's (`user_…`, `sess_…`, `org_…`), a token or a
/// secret.
fn assert_nothing_identifying(metrics: &Metrics) {
    for key in metrics.0.keys() {
        for id in ["user_", "sess_", "org_", "eyJ", "sk_", "whsec_", "msg_"] {
            assert!(!key.contains(id), "{key} holds {id}…");
        }
    }
}

#[test]
fn verifications_are_counted_by_token_type_outcome_and_reason_and_timed() {
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .token_cache(8)
        .build()
        .expect("verifier");
    let fresh = issuer
        .session()
        .user("user_2alice")
        .session_id("sess_1")
        .mint();
    let now = issuer.clock().now_ms() / 1000;
    let expired = issuer
        .session()
        .user("user_2alice")
        .issued_at(now - 3600)
        .lifetime(60)
        .mint();
    let billing = issuer
        .template_token(&BillingClaims { plan: "pro".into() })
        .mint();
    let ((), metrics) = recorded(async {
        verifier.verify_session(&fresh).await.expect("fresh");
        verifier.verify_session(&fresh).await.expect("cached");
        verifier
            .verify_session(&expired)
            .await
            .expect_err("expired");
        verifier
            .verify::<BillingClaims>(&billing)
            .await
            .expect("billing");
        verifier
            .verify_session(&billing)
            .await
            .expect_err("wrong type");
    });
    let verifications =
        |labels: &str| metrics.counter(&format!("clerk_claims_verifications_total{{{labels}}}"));
    assert_eq!(
        verifications(r#"outcome="verified",reason="none",token_type="session""#),
        Some(2)
    );
    assert_eq!(
        verifications(r#"outcome="rejected",reason="token-expired",token_type="session""#),
        Some(1)
    );
    assert_eq!(
        verifications(r#"outcome="verified",reason="none",token_type="template""#),
        Some(1)
    );
    assert_eq!(
        metrics.keys_of("clerk_claims_verifications_total").len(),
        4,
        "{metrics:#?}"
    );
    let rejected_wrong_type = metrics
        .keys_of("clerk_claims_verifications_total")
        .into_iter()
        .filter(|k| k.contains("rejected") && !k.contains("token-expired"))
        .count();
    assert_eq!(rejected_wrong_type, 1, "{metrics:#?}");
    let durations = metrics.histogram("clerk_claims_verify_duration_seconds");
    assert_eq!(durations.len(), 5, "one per verification");
    assert!(
        durations.iter().all(|s| *s >= 0.0 && *s < 60.0),
        "{durations:?}"
    );
    // The second `fresh` is the one hit; every other token was looked up and missed.
    assert_eq!(
        metrics.counter(r#"clerk_claims_token_cache_total{result="hit"}"#),
        Some(1)
    );
    assert_eq!(
        metrics.counter(r#"clerk_claims_token_cache_total{result="miss"}"#),
        Some(4)
    );
    assert_nothing_identifying(&metrics);
}

#[test]
fn jwks_fetches_from_fake_clerk_are_counted_by_outcome() {
    let fake = FakeClerk::start();
    let verifier = Verifier::from_jwks_url(&fake.jwks_url()).expect("verifier");
    let token = fake.issuer().session().mint();
    let nowhere = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().expect("addr")
        );
        drop(listener);
        Verifier::from_jwks_url(&url).expect("verifier")
    };
    let ((), metrics) = recorded(async {
        verifier.verify_session(&token).await.expect("verified");
        verifier.verify_session(&token).await.expect("keys cached");
        nowhere.verify_session(&token).await.expect_err("no JWKS");
    });
    assert_eq!(
        metrics.counter(r#"clerk_claims_jwks_fetches_total{outcome="ok"}"#),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        metrics.counter(r#"clerk_claims_jwks_fetches_total{outcome="error"}"#),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        metrics.counter(
            r#"clerk_claims_verifications_total{outcome="verified",reason="none",token_type="session"}"#
        ),
        Some(2)
    );
    assert_nothing_identifying(&metrics);
}

#[test]
fn backend_api_requests_are_counted_by_route_template_and_status_without_ids() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("api");
    let ((), metrics) = recorded(async {
        api.revoke_session("sess_2alice_acme")
            .await
            .expect("revoked");
        api.get_session("sess_2nobody").await.expect_err("404");
    });
    assert_eq!(
        metrics.counter(
            r#"clerk_claims_backend_api_requests_total{endpoint="/v1/sessions/{id}/revoke",status="200"}"#
        ),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        metrics.counter(
            r#"clerk_claims_backend_api_requests_total{endpoint="/v1/sessions/{id}",status="404"}"#
        ),
        Some(1),
        "{metrics:#?}"
    );
    for endpoint in ["/v1/sessions/{id}/revoke", "/v1/sessions/{id}"] {
        let times = metrics.histogram(&format!(
            "clerk_claims_backend_api_duration_seconds{{endpoint=\"{endpoint}\"}}"
        ));
        assert_eq!(times.len(), 1, "{endpoint}: {metrics:#?}");
    }
    assert_nothing_identifying(&metrics);
}

fn signed(webhook: &Webhook, id: &str, body: &[u8]) -> HeaderMap {
    let timestamp = webhook_now();
    let signature = webhook.sign(id, timestamp, body);
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("svix-id", id.to_owned()),
        ("svix-timestamp", timestamp.to_string()),
        ("svix-signature", signature),
    ] {
        headers.insert(name, HeaderValue::from_str(&value).expect("header value"));
    }
    headers
}

fn webhook_now() -> i64 {
    clerk_claims::Clock::system().now()
}

#[test]
fn webhooks_are_counted_by_known_event_type_and_outcome_and_revocations_by_the_gauge() {
    let webhook = Webhook::new(SECRET).expect("secret");
    let list = RevocationList::new();
    let revoked = serde_json::json!({
        "type": "session.revoked",
        "object": "event",
        "data": {"object": "session", "id": "sess_2phone", "user_id": "user_2alice",
                 "client_id": "client_phone", "status": "revoked"},
        "timestamp": 1,
        "instance_id": "ins_test",
    })
    .to_string();
    let other = serde_json::json!({
        "type": "email.created", "object": "event", "data": {"id": "ema_1"},
        "timestamp": 1, "instance_id": "ins_test",
    })
    .to_string();
    let ((), metrics) = recorded(async {
        let event = webhook
            .verify(
                &signed(&webhook, "msg_1", revoked.as_bytes()),
                revoked.as_bytes(),
            )
            .expect("session.revoked");
        assert_eq!(list.apply(&event), Some("sess_2phone"));
        list.revoke("sess_2laptop", "user_2alice");
        webhook
            .verify(
                &signed(&webhook, "msg_2", other.as_bytes()),
                other.as_bytes(),
            )
            .expect("email.created");
        let forged = signed(&webhook, "msg_3", b"{}");
        webhook
            .verify(&forged, other.as_bytes())
            .expect_err("another body");
    });
    let webhooks =
        |labels: &str| metrics.counter(&format!("clerk_claims_webhooks_total{{{labels}}}"));
    assert_eq!(
        webhooks(r#"event_type="session.revoked",outcome="verified""#),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        webhooks(r#"event_type="other",outcome="verified""#),
        Some(1),
        "an unknown type is `other`: {metrics:#?}"
    );
    assert_eq!(
        webhooks(r#"event_type="other",outcome="rejected""#),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        metrics.gauge("clerk_claims_revoked_sessions"),
        Some(2.0),
        "the webhook's session and the one revoked here"
    );
    assert_nothing_identifying(&metrics);
}

#[test]
fn a_shared_verification_counts_one_cache_lookup_and_one_verification() {
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .token_cache(8)
        .build()
        .expect("verifier");
    let token = issuer
        .session()
        .user("user_2alice")
        .session_id("sess_1")
        .mint();
    let ((), metrics) = recorded(async {
        verifier.verify_session_shared(&token).await.expect("miss");
        verifier.verify_session_shared(&token).await.expect("hit");
    });
    assert_eq!(
        metrics.counter(r#"clerk_claims_token_cache_total{result="miss"}"#),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        metrics.counter(r#"clerk_claims_token_cache_total{result="hit"}"#),
        Some(1),
        "{metrics:#?}"
    );
    assert_eq!(
        metrics.counter(
            r#"clerk_claims_verifications_total{outcome="verified",reason="none",token_type="session"}"#
        ),
        Some(2)
    );
    assert_eq!(
        metrics
            .histogram("clerk_claims_verify_duration_seconds")
            .len(),
        2
    );
}
