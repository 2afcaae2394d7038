//! The verifier's one clock, its verified-token cache, the template-lifetime check and the
//! revocation hook: a cached token is rejected the second after `exp` (a manual clock, no
//! sleeping), a swapped payload never hits, a revoked session is refused fresh and cached.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{Reason, RevocationCheck};
use clerk_claims::{ClaimInfo, ClerkClaims, Clock, JwtTemplate, VerifyError};
use serde::{Deserialize, Serialize};

const NOW: i64 = 1_767_225_600;

/// A template type with a 300 s lifetime (the `api` template), written by hand: no marker
/// claim, and the lifetime opt-in a derived type gets from `#[clerk(exact_lifetime)]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ApiClaims {
    plan: String,
}

impl ClerkClaims for ApiClaims {
    const TEMPLATE_NAME: Option<&'static str> = Some("api");
    const EXACT_LIFETIME: Option<u32> = Some(300);
    fn jwt_template() -> JwtTemplate {
        JwtTemplate {
            name: "api".into(),
            claims: serde_json::json!({ "plan": "{{user.public_metadata.plan}}" }),
            lifetime: 300,
            allowed_clock_skew: 5,
            signing_algorithm: None,
            session_token: false,
        }
    }
    fn claim_info() -> &'static [ClaimInfo] {
        &[ClaimInfo {
            claim: "plan",
            expression: "{{user.public_metadata.plan}}",
            nullable: false,
        }]
    }
}

/// A revocation list the test fills by hand.
#[derive(Debug, Default, Clone)]
struct Revoked(Arc<RwLock<HashSet<String>>>);

impl Revoked {
    fn revoke(&self, sid: &str) {
        if let Ok(mut set) = self.0.write() {
            set.insert(sid.to_owned());
        }
    }
}

impl RevocationCheck for Revoked {
    fn is_revoked(&self, session_id: &str) -> bool {
        self.0.read().is_ok_and(|set| set.contains(session_id))
    }

    /// Sessions only: these tests mint session tokens.
    fn is_user_token_revoked(&self, _: &str, _: Option<i64>) -> bool {
        false
    }
}

fn issuer_at(clock: &Clock) -> TestIssuer {
    TestIssuer::new().with_clock(clock.clone())
}

fn reason(result: Result<impl std::fmt::Debug, VerifyError>) -> Option<Reason> {
    result.err().map(|e| e.reason())
}

#[tokio::test]
async fn verifier_reads_time_from_the_clock_it_was_given() {
    let clock = Clock::manual(NOW);
    let issuer = issuer_at(&clock);
    let verifier = issuer
        .verifier_builder()
        .clock(clock.clone())
        .build()
        .unwrap();
    assert_eq!(verifier.clock().now(), NOW);
    let token = issuer.session().mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    // 60 s lifetime + 5 s skew: moving the shared clock expires the token.
    clock.advance(Duration::from_secs(65));
    assert_eq!(verifier.clock().now(), NOW + 65);
    assert_eq!(
        reason(verifier.verify_session(&token).await),
        Some(Reason::TokenExpired)
    );
}

#[tokio::test]
async fn now_is_shorthand_for_a_manual_clock() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier_builder().now(NOW).build().unwrap();
    assert!(verifier.clock().is_manual());
    assert_eq!(verifier.clock().now(), NOW);
}

#[tokio::test]
async fn cached_token_is_rejected_the_second_after_exp() {
    let clock = Clock::manual(NOW);
    let issuer = issuer_at(&clock);
    let verifier = issuer
        .verifier_builder()
        .clock(clock.clone())
        .clock_skew(Duration::ZERO)
        .token_cache(16)
        .build()
        .unwrap();
    let token = issuer.session().mint(); // exp = NOW + 60
    assert!(verifier.verify_session(&token).await.is_ok());
    assert_eq!(verifier.cached_tokens(), 1);
    clock.set(NOW + 59);
    let hit = verifier.verify_session(&token).await;
    assert_eq!(hit.map(|v| v.exp).ok(), Some(NOW + 60));
    // Clerk's rule: expired when exp <= now - skew, so at exp itself.
    clock.set(NOW + 60);
    assert_eq!(
        reason(verifier.verify_session(&token).await),
        Some(Reason::TokenExpired)
    );
}

#[tokio::test]
async fn cached_template_token_is_rejected_the_second_after_exp() {
    let clock = Clock::manual(NOW);
    let issuer = issuer_at(&clock);
    let verifier = issuer
        .verifier_builder()
        .clock(clock.clone())
        .clock_skew(Duration::ZERO)
        .token_cache(16)
        .build()
        .unwrap();
    let claims = ApiClaims { plan: "pro".into() };
    let token = issuer.template_token(&claims).mint(); // exp = NOW + 300
    let first = verifier.verify::<ApiClaims>(&token).await.unwrap();
    clock.set(NOW + 299);
    let hit = verifier.verify::<ApiClaims>(&token).await.unwrap();
    assert_eq!(hit, first);
    clock.set(NOW + 300);
    assert_eq!(
        reason(verifier.verify::<ApiClaims>(&token).await),
        Some(Reason::TokenExpired)
    );
}

#[tokio::test]
async fn cache_hit_rechecks_nbf_with_the_clock() {
    let clock = Clock::manual(NOW);
    let issuer = issuer_at(&clock);
    let verifier = issuer
        .verifier_builder()
        .clock(clock.clone())
        .clock_skew(Duration::ZERO)
        .token_cache(16)
        .build()
        .unwrap();
    // Session tokens carry nbf = iat - 10.
    let token = issuer.session().mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    clock.set(NOW - 11);
    assert_eq!(
        reason(verifier.verify_session(&token).await),
        Some(Reason::TokenNotActiveYet)
    );
}

/// The same header and signature with another payload: the cache is keyed on the whole
/// token text, so the forgery is verified afresh and its signature fails.
#[tokio::test]
async fn token_with_a_swapped_payload_never_hits_the_cache() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier_builder().token_cache(16).build().unwrap();
    let token = issuer.session().user("user_victim").mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    let other = issuer.session().user("user_attacker").mint();
    let parts: Vec<&str> = token.split('.').collect();
    let other_payload = other.split('.').nth(1).unwrap();
    let forged = format!("{}.{}.{}", parts[0], other_payload, parts[2]);
    assert_eq!(
        reason(verifier.verify_session(&forged).await),
        Some(Reason::TokenInvalidSignature)
    );
    assert_eq!(
        verifier.cached_tokens(),
        1,
        "a rejected token is not cached"
    );
    assert_eq!(
        verifier.verify_session(&token).await.map(|v| v.sub).ok(),
        Some("user_victim".to_owned())
    );
}

#[tokio::test]
async fn cache_keeps_one_entry_per_way_of_reading_a_token() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier_builder().token_cache(16).build().unwrap();
    let token = issuer.session().mint();
    let session = verifier.verify_session(&token).await.unwrap();
    let raw = verifier
        .verify_payload(&token, clerk_claims::verify::TokenKind::Session)
        .await
        .unwrap();
    assert_eq!(verifier.cached_tokens(), 2);
    assert_eq!(verifier.verify_session(&token).await.unwrap(), session);
    assert_eq!(raw.claims.get("sub"), Some(&serde_json::json!(session.sub)));
    // A session token asked for as a template type is still refused, cached or not.
    assert_eq!(
        reason(verifier.verify::<ApiClaims>(&token).await),
        Some(Reason::TokenTypeMismatch)
    );
}

#[tokio::test]
async fn cache_is_bounded_by_its_capacity() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier_builder().token_cache(4).build().unwrap();
    for _ in 0..40 {
        let token = issuer.session().mint();
        assert!(verifier.verify_session(&token).await.is_ok());
    }
    assert!(
        verifier.cached_tokens() <= 4,
        "{}",
        verifier.cached_tokens()
    );
}

#[tokio::test]
async fn cache_is_off_by_default() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier();
    let token = issuer.session().mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    assert_eq!(verifier.cached_tokens(), 0);
}

#[tokio::test]
async fn concurrent_requests_share_one_cache() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier_builder().token_cache(64).build().unwrap();
    let tokens: Vec<String> = (0..4).map(|_| issuer.session().mint()).collect();
    let mut tasks = Vec::new();
    for i in 0..32 {
        let verifier = verifier.clone();
        let token = tokens[i % tokens.len()].clone();
        tasks.push(tokio::spawn(async move {
            verifier.verify_session(&token).await.map(|v| v.sub)
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().ok(), Some("user_test".to_owned()));
    }
    assert_eq!(verifier.cached_tokens(), tokens.len());
}

#[tokio::test]
async fn template_token_of_another_lifetime_is_a_type_mismatch() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier();
    let claims = ApiClaims { plan: "pro".into() };
    // A "reporting" template with lifetime 3600 and compatible claims.
    let token = issuer.template_token(&claims).lifetime(3600).mint();
    let err = verifier.verify::<ApiClaims>(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::TokenTypeMismatch);
    let message = err.to_string();
    assert!(message.contains("300 s"), "{message}");
    assert!(message.contains("3600 s"), "{message}");
    assert!(message.contains("another template"), "{message}");
    // The declared lifetime passes.
    let token = issuer.template_token(&claims).mint();
    assert!(verifier.verify::<ApiClaims>(&token).await.is_ok());
}

#[tokio::test]
async fn template_token_without_iat_is_a_type_mismatch() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier();
    let now = issuer.clock().now();
    let payload = serde_json::json!({
        "plan": "pro", "sub": "user_1", "exp": now + 300, "iss": issuer.issuer(),
    });
    let token = issuer.sign(
        &issuer.header(clerk_claims::verify::CATEGORY_TEMPLATE),
        &payload,
    );
    let err = verifier.verify::<ApiClaims>(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::TokenTypeMismatch);
    assert!(err.to_string().contains("no iat"), "{err}");
}

#[tokio::test]
async fn revoked_session_is_rejected_with_session_revoked() {
    let revoked = Revoked::default();
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .revocations(revoked.clone())
        .build()
        .unwrap();
    let token = issuer.session().session_id("sess_gone").mint();
    let other = issuer.session().session_id("sess_kept").mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    revoked.revoke("sess_gone");
    let err = verifier.verify_session(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::SessionRevoked);
    assert_eq!(err.reason().as_str(), "session-revoked");
    assert!(
        matches!(&err, VerifyError::SessionRevoked { session_id } if session_id == "sess_gone")
    );
    assert!(verifier.verify_session(&other).await.is_ok());
}

#[tokio::test]
async fn cached_token_is_rejected_once_its_session_is_revoked() {
    let revoked = Revoked::default();
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .revocations(revoked.clone())
        .token_cache(16)
        .build()
        .unwrap();
    let token = issuer.session().session_id("sess_1").mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    assert!(verifier.verify_session(&token).await.is_ok());
    revoked.revoke("sess_1");
    assert_eq!(
        reason(verifier.verify_session(&token).await),
        Some(Reason::SessionRevoked)
    );
}

#[tokio::test]
async fn token_without_sid_is_asked_about_its_user_and_iat_not_a_session() {
    #[derive(Debug)]
    struct RevokeSessions;
    impl RevocationCheck for RevokeSessions {
        fn is_revoked(&self, _: &str) -> bool {
            true
        }
        fn is_user_token_revoked(&self, user_id: &str, issued_at: Option<i64>) -> bool {
            user_id == "user_2bob" && issued_at.is_some()
        }
    }
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .revocations(RevokeSessions)
        .build()
        .unwrap();
    // Template tokens carry no sid.
    let token = issuer
        .template_token(&ApiClaims { plan: "pro".into() })
        .mint();
    assert!(verifier.verify::<ApiClaims>(&token).await.is_ok());
    let bob = issuer
        .template_token(&ApiClaims { plan: "pro".into() })
        .user("user_2bob")
        .mint();
    assert_eq!(
        reason(verifier.verify::<ApiClaims>(&bob).await),
        Some(Reason::SessionRevoked)
    );
    let session = issuer.session().mint();
    assert_eq!(
        reason(verifier.verify_session(&session).await),
        Some(Reason::SessionRevoked)
    );
}

#[test]
fn session_revoked_is_a_reason_code() {
    assert!(Reason::ALL.contains(&Reason::SessionRevoked));
    assert_eq!(
        "session-revoked".parse::<Reason>(),
        Ok(Reason::SessionRevoked)
    );
}

#[tokio::test]
async fn shared_session_hits_hand_out_the_cached_claims_and_recheck_the_clock() {
    let clock = Clock::manual(NOW);
    let issuer = issuer_at(&clock);
    let verifier = issuer
        .verifier_builder()
        .clock(clock.clone())
        .clock_skew(Duration::ZERO)
        .token_cache(16)
        .build()
        .unwrap();
    let token = issuer.session().mint();
    let fresh = verifier.verify_session_shared(&token).await.unwrap();
    let first = verifier.verify_session_shared(&token).await.unwrap();
    let second = verifier.verify_session_shared(&token).await.unwrap();
    assert!(
        Arc::ptr_eq(&first, &second),
        "a hit shares the cached claims"
    );
    assert_eq!(*fresh, *first);
    assert_eq!(verifier.verify_session(&token).await.unwrap(), *first);
    clock.set(NOW + 60);
    assert_eq!(
        reason(verifier.verify_session_shared(&token).await),
        Some(Reason::TokenExpired)
    );
}
