//! The in-memory revocation list in the verifier: a revoked session's token is refused with
//! `session-revoked`, on token-cache hits too; the list is fed by session webhooks, by what
//! `revoke_other_sessions` revoked, and by hand; entries go after the longest token lifetime.

use std::time::Duration;

use clerk_claims::Clock;
use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::Reason;
use clerk_claims::webhooks::{Webhook, WebhookEvent};

fn issuer_and_list(lifetime: u64) -> (TestIssuer, RevocationList, Clock) {
    let clock = Clock::manual(1_767_225_600);
    let issuer = TestIssuer::new().with_clock(clock.clone());
    let list = RevocationList::builder()
        .max_token_lifetime(Duration::from_secs(lifetime))
        .clock(clock.clone())
        .build();
    (issuer, list, clock)
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

    list.revoke("sess_phone");
    let err = verifier.verify_session(&phone).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
    assert_eq!(err.reason().as_str(), "session-revoked");
    verifier
        .verify_session(&laptop)
        .await
        .expect("other sessions pass");
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
    list.revoke("sess_phone");
    let err = verifier.verify_session(&phone).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
}

#[tokio::test]
async fn entries_expire_after_the_longest_token_lifetime() {
    let (_, list, clock) = issuer_and_list(120);
    list.revoke("sess_phone");
    assert!(list.is_revoked("sess_phone"));
    clock.advance(Duration::from_secs(119));
    assert!(list.is_revoked("sess_phone"));
    clock.advance(Duration::from_secs(1));
    assert!(!list.is_revoked("sess_phone"));
}

#[test]
fn the_three_ending_session_webhooks_revoke_and_the_others_do_not() {
    let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
    let list = RevocationList::new();
    let deliver = |event_type: &str, session_id: &str| {
        let body = serde_json::json!({
            "type": event_type,
            "data": {"id": session_id, "user_id": "user_1", "status": "x"},
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
        deliver("session.revoked", "sess_a").as_deref(),
        Some("sess_a")
    );
    assert_eq!(
        deliver("session.ended", "sess_b").as_deref(),
        Some("sess_b")
    );
    assert_eq!(
        deliver("session.removed", "sess_c").as_deref(),
        Some("sess_c")
    );
    assert_eq!(deliver("session.created", "sess_d"), None);
    assert_eq!(list.len(), 3);
    assert!(
        ["sess_a", "sess_b", "sess_c"]
            .iter()
            .all(|s| list.is_revoked(s))
    );
    assert!(!list.is_revoked("sess_d"));
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
    let phone = api
        .create_session_token("sess_2alice_personal", None)
        .await
        .expect("token of the phone");
    verifier.verify_session(&phone).await.expect("valid before");

    // "Sign out other devices" from the laptop's session.
    let revoked = api
        .revoke_other_sessions("user_2alice", "sess_2alice_acme")
        .await
        .expect("revoked");
    assert_eq!(
        list.revoke_sessions(revoked.revoked.iter().map(|s| s.id.as_str())),
        1
    );

    // The phone's token is still inside its lifetime, but refused now.
    let err = verifier.verify_session(&phone).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
}
