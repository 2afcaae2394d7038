//! The in-memory revocation list in the verifier: a revoked session's session tokens (by
//! `sid`) and its user's template tokens issued before the revocation (by `sub` and `iat`:
//! template tokens carry no `sid`) are refused with `session-revoked`, on token-cache hits too;
//! the list is fed by session webhooks, by what `revoke_other_sessions` revoked, and by hand;
//! entries go after the longest token lifetime.

use std::time::Duration;

use axum::Router;
use axum::routing::post;
use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::fake::{FakeClerk, WebhookConfig};
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{Reason, VerifyError};
use clerk_claims::webhooks::axum::VerifiedWebhook;
use clerk_claims::webhooks::{Webhook, WebhookEvent};
use clerk_claims::{ClerkClaims, Clock, Verifier};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The claims of a `billing` JWT template, as the user who found the defect had them.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "billing")]
struct BillingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
    #[clerk(shortcode = "org.id")]
    org_id: Option<String>,
}

fn issuer_and_list(lifetime: u64) -> (TestIssuer, RevocationList, Clock) {
    let clock = Clock::manual(1_767_225_600);
    let issuer = TestIssuer::new().with_clock(clock.clone());
    let list = RevocationList::builder()
        .max_token_lifetime(Duration::from_secs(lifetime))
        .clock(clock.clone())
        .build();
    (issuer, list, clock)
}

/// The fake on a manual clock, a list on the same clock, a verifier with the list, and the
/// `billing` template pushed.
async fn fake_on_a_manual_clock() -> (FakeClerk, RevocationList, Verifier) {
    let clock = Clock::manual(1_767_225_600);
    let fake = FakeClerk::builder()
        .clock(clock.clone())
        .start()
        .expect("fake");
    let list = RevocationList::builder().clock(clock).build();
    let verifier = fake
        .issuer()
        .verifier_builder()
        .revocations(list.clone())
        .token_cache(16)
        .build()
        .expect("verifier");
    fake.api()
        .expect("api")
        .upsert_template(&BillingClaims::jwt_template())
        .await
        .expect("template saved");
    (fake, list, verifier)
}

async fn billing_token(fake: &FakeClerk, session_id: &str) -> String {
    fake.api()
        .expect("api")
        .create_template_token(session_id, "billing", None)
        .await
        .expect("template token")
}

#[tokio::test]
async fn a_revoked_session_is_rejected_with_session_revoked() {
    let (issuer, list, _) = issuer_and_list(120);
    let verifier = issuer
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    let phone = issuer.session().session_id("sess_phone").mint();
    let laptop = issuer.session().session_id("sess_laptop").mint();
    verifier.verify_session(&phone).await.expect("valid before");

    list.revoke("sess_phone", "user_test");
    let err = verifier.verify_session(&phone).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
    assert_eq!(err.reason().as_str(), "session-revoked");
    verifier
        .verify_session(&laptop)
        .await
        .expect("the user's other sessions' session tokens pass: the exact per-sid rule");
}

#[tokio::test]
async fn a_revoked_sessions_template_token_is_rejected_with_session_revoked() {
    // The reproduction of issue 15: Bob's `billing` token, his session revoked, the token
    // still inside its lifetime.
    let fake = FakeClerk::start();
    let list = RevocationList::new();
    let verifier = fake
        .issuer()
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    fake.api()
        .expect("api")
        .upsert_template(&BillingClaims::jwt_template())
        .await
        .expect("template saved");
    let token = billing_token(&fake, "sess_2bob_acme").await;
    let verified = verifier
        .verify::<BillingClaims>(&token)
        .await
        .expect("valid before");
    assert_eq!((verified.sub.as_str(), verified.sid), ("user_2bob", None));

    list.revoke("sess_2bob_acme", "user_2bob");
    let err = verifier.verify::<BillingClaims>(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
    assert!(
        matches!(&err, VerifyError::UserTokenRevoked { user_id, issued_at: Some(_) } if user_id == "user_2bob"),
        "{err:?}"
    );
    assert!(err.to_string().contains("user_2bob"), "{err}");
}

#[tokio::test]
async fn a_template_token_minted_after_the_revocation_is_accepted() {
    let (fake, list, verifier) = fake_on_a_manual_clock().await;
    let before = billing_token(&fake, "sess_2alice_acme").await;
    list.revoke("sess_2alice_personal", "user_2alice");

    fake.advance_clock(1);
    let after = billing_token(&fake, "sess_2alice_acme").await;
    verifier
        .verify::<BillingClaims>(&after)
        .await
        .expect("minted after the revocation");
    assert_eq!(
        verifier
            .verify::<BillingClaims>(&before)
            .await
            .unwrap_err()
            .reason(),
        Reason::SessionRevoked
    );
}

#[tokio::test]
async fn a_revocation_also_refuses_the_users_template_tokens_of_other_sessions_minted_before() {
    // The documented trade-off: a template token does not say which session minted it.
    let (fake, list, verifier) = fake_on_a_manual_clock().await;
    let api = fake.api().expect("api");
    let laptop_template = billing_token(&fake, "sess_2alice_acme").await;
    let laptop_session = api
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("session token");
    let bob_template = billing_token(&fake, "sess_2bob_acme").await;

    list.revoke("sess_2alice_personal", "user_2alice");
    assert_eq!(
        verifier
            .verify::<BillingClaims>(&laptop_template)
            .await
            .unwrap_err()
            .reason(),
        Reason::SessionRevoked,
        "Alice's template token of her other session, minted before"
    );
    verifier
        .verify_session(&laptop_session)
        .await
        .expect("her other session's session token: the sid rule");
    verifier
        .verify::<BillingClaims>(&bob_template)
        .await
        .expect("another user's template token");
    // One fetch later, the laptop goes on.
    fake.advance_clock(1);
    let refetched = billing_token(&fake, "sess_2alice_acme").await;
    verifier
        .verify::<BillingClaims>(&refetched)
        .await
        .expect("fetched again");
}

#[tokio::test]
async fn a_token_cache_hit_is_checked_against_the_list_every_time() {
    let (issuer, list, _) = issuer_and_list(120);
    let verifier = issuer
        .verifier_builder()
        .revocations(list.clone())
        .token_cache(16)
        .build()
        .expect("verifier");
    let phone = issuer.session().session_id("sess_phone").mint();
    verifier.verify_session(&phone).await.expect("verified");
    verifier.verify_session(&phone).await.expect("cache hit");
    list.revoke("sess_phone", "user_test");
    let err = verifier.verify_session(&phone).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
}

#[tokio::test]
async fn a_cached_template_token_is_checked_against_the_list_every_time() {
    let (fake, list, verifier) = fake_on_a_manual_clock().await;
    let token = billing_token(&fake, "sess_2bob_acme").await;
    verifier
        .verify::<BillingClaims>(&token)
        .await
        .expect("verified");
    verifier
        .verify::<BillingClaims>(&token)
        .await
        .expect("cache hit");
    list.revoke("sess_2bob_acme", "user_2bob");
    let err = verifier.verify::<BillingClaims>(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
}

#[tokio::test]
async fn entries_expire_after_the_longest_token_lifetime() {
    // The list keeps entries 30 s; the template token lives 60 s.
    let (issuer, list, clock) = issuer_and_list(30);
    let verifier = issuer
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    let template = issuer
        .template_token(&BillingClaims {
            plan: "pro".into(),
            org_id: None,
        })
        .user("user_test")
        .mint();
    list.revoke("sess_phone", "user_test");
    assert!(list.is_revoked("sess_phone"));
    clock.advance(Duration::from_secs(29));
    assert!(list.is_revoked("sess_phone"));
    assert!(verifier.verify::<BillingClaims>(&template).await.is_err());
    clock.advance(Duration::from_secs(1));
    assert!(!list.is_revoked("sess_phone"));
    // A token that lives longer than the list keeps its entries outlives the revocation: set
    // `max_token_lifetime` to the longest lifetime the app accepts.
    verifier
        .verify::<BillingClaims>(&template)
        .await
        .expect("the entry went");
}

#[test]
fn the_three_ending_session_webhooks_revoke_the_session_and_its_users_template_tokens() {
    let webhook = Webhook::new(SECRET).expect("secret");
    let list = RevocationList::new();
    let issued = Clock::system().now();
    let deliver = |event_type: &str, session_id: &str, user_id: &str| {
        let body = serde_json::json!({
            "type": event_type,
            "data": {"id": session_id, "user_id": user_id, "status": "x"},
        })
        .to_string();
        let now = Clock::system().now();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("svix-id", "msg_1".parse().expect("header"));
        headers.insert("svix-timestamp", now.to_string().parse().expect("header"));
        headers.insert(
            "svix-signature",
            webhook
                .sign("msg_1", now, body.as_bytes())
                .parse()
                .expect("header"),
        );
        let event: WebhookEvent = webhook.verify(&headers, body.as_bytes()).expect("genuine");
        list.apply(&event).map(str::to_owned)
    };
    assert_eq!(
        deliver("session.revoked", "sess_a", "user_a").as_deref(),
        Some("sess_a")
    );
    assert_eq!(
        deliver("session.ended", "sess_b", "user_b").as_deref(),
        Some("sess_b")
    );
    assert_eq!(
        deliver("session.removed", "sess_c", "user_c").as_deref(),
        Some("sess_c")
    );
    assert_eq!(deliver("session.created", "sess_d", "user_d"), None);
    assert_eq!(list.len(), 6, "three sessions and their three users");
    assert!(
        ["sess_a", "sess_b", "sess_c"]
            .iter()
            .all(|s| list.is_revoked(s))
    );
    assert!(
        ["user_a", "user_b", "user_c"]
            .iter()
            .all(|u| list.is_user_token_revoked(u, Some(issued)))
    );
    assert!(!list.is_revoked("sess_d"));
    assert!(!list.is_user_token_revoked("user_d", Some(issued)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_webhook_refuses_the_sessions_template_tokens() {
    // The app's webhook endpoint feeds the list, as the README shows.
    let list = RevocationList::new();
    let feed = list.clone();
    let app = Router::new()
        .route(
            "/webhooks/clerk",
            post(move |VerifiedWebhook(message): VerifiedWebhook| {
                let feed = feed.clone();
                async move {
                    feed.apply(&message.event);
                    "ok"
                }
            }),
        )
        .with_state(Webhook::new(SECRET).expect("secret"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/webhooks/clerk",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let fake = FakeClerk::builder()
        .webhooks(WebhookConfig::new(url, SECRET).expect("secret"))
        .start()
        .expect("fake");
    let verifier = fake
        .issuer()
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    fake.api()
        .expect("api")
        .upsert_template(&BillingClaims::jwt_template())
        .await
        .expect("template saved");
    let token = billing_token(&fake, "sess_2alice_personal").await;
    verifier
        .verify::<BillingClaims>(&token)
        .await
        .expect("valid before");

    fake.end_session("sess_2alice_personal").expect("active");
    assert!(fake.wait_webhooks(Duration::from_secs(5)), "delivered");
    let deliveries = fake.webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .any(|d| d.event_type == "session.ended" && d.delivered),
        "{deliveries:?}"
    );
    let err = verifier.verify::<BillingClaims>(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
}

#[tokio::test]
async fn what_revoke_other_sessions_revoked_is_refused_at_once() {
    let fake = FakeClerk::start();
    let issuer = fake.issuer();
    let list = RevocationList::new();
    let verifier = issuer
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    let api = fake.api().expect("api");
    api.upsert_template(&BillingClaims::jwt_template())
        .await
        .expect("template saved");
    let phone = api
        .create_session_token("sess_2alice_personal", None)
        .await
        .expect("token of the phone");
    let phone_billing = billing_token(&fake, "sess_2alice_personal").await;
    verifier.verify_session(&phone).await.expect("valid before");
    verifier
        .verify::<BillingClaims>(&phone_billing)
        .await
        .expect("valid before");

    // "Sign out other devices" from the laptop's session.
    let revoked = api
        .revoke_other_sessions("user_2alice", "sess_2alice_acme")
        .await
        .expect("revoked");
    assert_eq!(
        list.revoke_sessions("user_2alice", revoked.revoked.iter().map(|s| s.id.as_str())),
        1
    );

    // The phone's tokens are still inside their lifetime, but refused now.
    for err in [
        verifier.verify_session(&phone).await.unwrap_err(),
        verifier
            .verify::<BillingClaims>(&phone_billing)
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.reason(), Reason::SessionRevoked, "{err}");
    }
}
