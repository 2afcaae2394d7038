//! `api::TemplateTokens` (per-(session, template) cache with refresh-ahead, one request in
//! flight, never an expired token) and the multi-device session helpers, against FakeClerk.
//! Time moves with `FakeClerk::advance_clock` and the same amount on the cache's clock, so
//! nothing here waits for a token to expire.

use std::time::Duration;

use clerk_claims::api::{ApiError, SessionStatus, TemplateToken, TemplateTokens};
use clerk_claims::testing::fake::{FakeClerk, Fault};
use clerk_claims::{ClerkClaims, Clock};
use clerk_claims_examples::ApiClaims;

const SESSION: &str = "sess_2alice_acme";

fn token_path(session: &str, template: &str) -> String {
    format!("/v1/sessions/{session}/tokens/{template}")
}

/// A fake with the `api` template (lifetime 300 s), and a cache whose clock follows the
/// fake's: `advance` moves both.
struct Setup {
    fake: FakeClerk,
    tokens: TemplateTokens,
    clock: Clock,
}

impl Setup {
    async fn new() -> Setup {
        let fake = FakeClerk::start();
        let api = fake.api().expect("client for the fake");
        api.upsert_template(&ApiClaims::jwt_template())
            .await
            .expect("template pushed");
        let clock = Clock::system();
        let tokens = TemplateTokens::builder(api)
            .refresh_margin(Duration::from_secs(10))
            .clock(clock.clone())
            .build()
            .expect("valid settings");
        Setup {
            fake,
            tokens,
            clock,
        }
    }

    fn advance(&self, seconds: u64) {
        self.clock.advance(Duration::from_secs(seconds));
        self.fake
            .advance_clock(seconds.try_into().expect("a few minutes"));
    }

    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn mints(&self) -> usize {
        self.fake.request_count("POST", &token_path(SESSION, "api"))
    }

    async fn get(&self) -> Result<TemplateToken, ApiError> {
        self.tokens.get(SESSION, "api").await
    }

    /// Polls until `done` (the background refresh is observable), at most ~20 s.
    async fn until(&self, mut done: impl FnMut(&Setup) -> bool) {
        for _ in 0..2000 {
            if done(self) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the background refresh never finished");
    }
}

#[tokio::test]
async fn a_fresh_token_is_minted_once_and_then_served_from_the_cache() {
    let s = Setup::new().await;
    let first = s.get().await.expect("minted");
    assert_eq!(first.expires_at - first.issued_at.expect("iat"), 300);
    for _ in 0..5 {
        assert_eq!(s.get().await.expect("cached"), first);
    }
    assert_eq!(s.mints(), 1);
    assert_eq!(s.tokens.cached(SESSION, "api"), Some(first));
}

#[tokio::test]
async fn concurrent_first_calls_share_one_request() {
    let s = Setup::new().await;
    s.fake
        .inject(Fault::delay(Duration::from_millis(200)).on(token_path(SESSION, "api")));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let tokens = s.tokens.clone();
        set.spawn(async move { tokens.get(SESSION, "api").await });
    }
    let mut jwts = Vec::new();
    while let Some(done) = set.join_next().await {
        jwts.push(done.expect("task").expect("token").jwt);
    }
    assert_eq!(jwts.len(), 8);
    assert!(jwts.windows(2).all(|w| w[0] == w[1]), "one token for all");
    assert_eq!(s.mints(), 1, "{:?}", s.fake.requests());
}

#[tokio::test]
async fn within_the_margin_the_valid_token_is_served_while_one_refresh_runs_ahead() {
    let s = Setup::new().await;
    let first = s.get().await.expect("minted");
    s.advance(295); // 5 s left, inside the 10 s margin
    s.fake
        .inject(Fault::delay(Duration::from_millis(500)).on(token_path(SESSION, "api")));
    // The call that finds the token stale returns it at once and starts the refresh.
    assert_eq!(s.get().await.expect("still valid"), first);
    for _ in 0..4 {
        // While the refresh is in flight: the same token; if it already landed: the new one.
        let t = s.get().await.expect("valid");
        assert!(t == first || t.expires_at > first.expires_at, "{t:?}");
        assert!(t.expires_at > s.now());
    }
    s.until(|s| s.tokens.cached(SESSION, "api").is_some_and(|t| t != first))
        .await;
    let second = s.get().await.expect("refreshed");
    assert!(
        second.expires_at > first.expires_at,
        "{second:?} vs {first:?}"
    );
    assert_eq!(s.mints(), 2, "one refresh for five stale calls");
}

#[tokio::test]
async fn past_exp_the_caller_waits_for_a_new_token_and_never_gets_the_expired_one() {
    let s = Setup::new().await;
    let first = s.get().await.expect("minted");
    s.advance(301);
    assert_eq!(
        s.tokens.cached(SESSION, "api"),
        None,
        "expired is not cached"
    );
    let second = s.get().await.expect("a new token");
    assert_ne!(second, first);
    assert!(second.expires_at > s.now());
    assert_eq!(s.mints(), 2);
}

#[tokio::test]
async fn an_expired_token_with_a_failing_refresh_is_an_error_not_the_old_token() {
    let s = Setup::new().await;
    s.get().await.expect("minted");
    s.advance(301);
    s.fake
        .inject(Fault::status(503).on(token_path(SESSION, "api")));
    let err = s.get().await.expect_err("no valid token to hand out");
    assert_eq!(err.status(), Some(503), "{err}");
    s.fake.clear_faults();
    let t = s.get().await.expect("recovers");
    assert!(t.expires_at > s.now());
}

#[tokio::test]
async fn a_failed_refresh_ahead_keeps_the_still_valid_token_and_retries() {
    let s = Setup::new().await;
    let first = s.get().await.expect("minted");
    s.advance(295);
    s.fake
        .inject(Fault::status(503).on(token_path(SESSION, "api")));
    assert_eq!(s.get().await.expect("still valid"), first);
    s.until(|s| s.mints() >= 2).await; // the failed refresh reached the fake
    assert_eq!(s.get().await.expect("still valid after the failure"), first);
    s.fake.clear_faults();
    let mut refreshed = None;
    for _ in 0..2000 {
        let t = s.get().await.expect("valid throughout");
        assert!(t.expires_at > s.now());
        if t != first {
            refreshed = Some(t);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let refreshed = refreshed.expect("a later refresh succeeds");
    assert!(refreshed.expires_at > first.expires_at);
}

#[tokio::test]
async fn tokens_are_cached_per_session_and_template() {
    let s = Setup::new().await;
    let api = s.fake.api().expect("client");
    let mut other = ApiClaims::jwt_template();
    other.name = "api2".into();
    api.upsert_template(&other).await.expect("second template");
    let a = s.tokens.get(SESSION, "api").await.expect("a");
    let b = s.tokens.get(SESSION, "api2").await.expect("b");
    let c = s.tokens.get("sess_2bob_acme", "api").await.expect("c");
    assert_ne!(a, b);
    assert_ne!(a, c);
    assert_eq!(s.tokens.get(SESSION, "api2").await.expect("b again"), b);

    s.tokens.forget_session(SESSION);
    assert_eq!(s.tokens.cached(SESSION, "api"), None);
    assert_eq!(s.tokens.cached("sess_2bob_acme", "api"), Some(c));
    assert_ne!(s.tokens.get(SESSION, "api").await.expect("new"), a);
}

#[tokio::test]
async fn a_margin_as_long_as_the_lifetime_is_refused_at_build() {
    let fake = FakeClerk::start();
    let err = TemplateTokens::builder(fake.api().expect("client"))
        .expires_in(60)
        .refresh_margin(Duration::from_secs(60))
        .build()
        .expect_err("every token would be stale at once");
    assert!(err.to_string().contains("margin 60 s"), "{err}");
}

#[tokio::test]
async fn user_sessions_span_every_client_of_the_user() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let sessions = api
        .user_sessions("user_2alice", None)
        .await
        .expect("listed");
    assert!(sessions.iter().all(|s| s.user_id == "user_2alice"));
    let mut clients: Vec<&str> = sessions.iter().map(|s| s.client_id.as_str()).collect();
    clients.sort_unstable();
    clients.dedup();
    assert!(clients.len() >= 2, "several devices: {clients:?}");
    let active = api
        .user_sessions("user_2alice", Some(SessionStatus::Active))
        .await
        .expect("listed");
    assert!(active.iter().all(|s| s.status == SessionStatus::Active));
    assert!(
        active.len() < sessions.len(),
        "a revoked session is not active"
    );
}

#[tokio::test]
async fn revoke_other_sessions_signs_out_every_other_device_only() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let before = api
        .user_sessions("user_2alice", Some(SessionStatus::Active))
        .await
        .expect("listed");
    assert!(before.len() >= 2, "{before:?}");
    let done = api
        .revoke_other_sessions("user_2alice", SESSION)
        .await
        .expect("revoked");
    assert!(done.is_complete(), "{:?}", done.failed);
    assert_eq!(done.kept.id, SESSION);
    let revoked = done.revoked;
    assert_eq!(revoked.len(), before.len() - 1);
    assert!(
        revoked
            .iter()
            .all(|s| s.status == SessionStatus::Revoked && s.id != SESSION)
    );
    let after = api
        .user_sessions("user_2alice", Some(SessionStatus::Active))
        .await
        .expect("listed");
    let ids: Vec<&str> = after.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [SESSION]);
    // Bob is untouched.
    assert_eq!(
        api.get_session("sess_2bob_acme").await.expect("bob").status,
        SessionStatus::Active
    );
}

#[tokio::test]
async fn revoke_other_sessions_refuses_to_keep_a_session_that_is_not_active() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    for keep in ["sess_2alice_old", "sess_2bob_acme", "sess_nope"] {
        let err = api
            .revoke_other_sessions("user_2alice", keep)
            .await
            .expect_err("nothing to keep");
        assert!(
            matches!(err, ApiError::KeepSessionNotActive { .. }),
            "{keep}: {err}"
        );
    }
    let active = api
        .user_sessions("user_2alice", Some(SessionStatus::Active))
        .await
        .expect("listed");
    assert!(active.len() >= 2, "nothing was revoked: {active:?}");
}
