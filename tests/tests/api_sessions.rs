//! Typed sessions of the Backend API client against FakeClerk: `latest_activity` as a
//! `SessionActivity`, millisecond timestamps, the typed `actor`, what `revoke_other_sessions`
//! returns after a partial failure, and a transport failure that says what failed. (The fake's
//! session bodies themselves are validated against Clerk's OpenAPI schema in `fake_openapi`.)

use clerk_claims::api::{
    ApiError, ClerkApi, Session, SessionActivity, SessionStatus, TransportFailure,
};
use clerk_claims::testing::fake::{FakeClerk, Fault};
use serde_json::Value;

/// The raw JSON of `GET /v1/sessions?user_id=USER`, as the fake sends it.
async fn raw_sessions(fake: &FakeClerk, user: &str) -> Vec<Value> {
    let body: Value = reqwest::Client::new()
        .get(format!("{}/v1/sessions?user_id={user}", fake.url()))
        .bearer_auth(fake.secret_key())
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    body.as_array().expect("a bare array").clone()
}

#[tokio::test]
async fn sessions_decode_to_typed_activity_and_serialize_back_to_the_same_json() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    for user in ["user_2alice", "user_2bob", "user_2carol"] {
        let raw = raw_sessions(&fake, user).await;
        let typed = api.user_sessions(user, None).await.expect("listed");
        assert_eq!(typed.len(), raw.len(), "{user}");
        for (t, r) in typed.iter().zip(&raw) {
            let back = serde_json::to_value(t).expect("serializes");
            assert_eq!(&back, r, "{user}: the typed Session keeps every field");
            let activity = t
                .latest_activity
                .as_ref()
                .unwrap_or_else(|| panic!("the seed gives {} an activity", t.id));
            assert_eq!(activity.object, "session_activity");
            assert!(activity.browser().is_some(), "{activity:?}");
            assert!(activity.location().is_some(), "{activity:?}");
        }
    }
}

#[tokio::test]
async fn the_seed_has_a_phone_a_laptop_and_two_browsers() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let alice = api
        .user_sessions("user_2alice", None)
        .await
        .expect("listed");
    let activity = |id: &str| -> SessionActivity {
        alice
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.latest_activity.clone())
            .unwrap_or_else(|| panic!("{id} with activity"))
    };
    let phone = activity("sess_2alice_personal");
    assert!(phone.is_mobile, "{phone:?}");
    assert_eq!(phone.device_type.as_deref(), Some("iPhone"));
    let laptop = activity("sess_2alice_acme");
    assert!(!laptop.is_mobile, "{laptop:?}");
    let old = activity("sess_2alice_old");
    assert_eq!(laptop.device_type, old.device_type, "the same laptop");
    assert_ne!(laptop.browser_name, old.browser_name, "two browsers");
}

#[tokio::test]
async fn timestamps_are_milliseconds_and_convert_to_token_seconds() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let session: Session = api.get_session("sess_2alice_acme").await.expect("session");
    let raw = raw_sessions(&fake, "user_2alice").await;
    let raw = raw
        .iter()
        .find(|s| s["id"] == "sess_2alice_acme")
        .expect("listed");
    assert_eq!(
        Some(session.last_active_at.0),
        raw["last_active_at"].as_i64()
    );
    assert_eq!(
        session.last_active_at.as_secs(),
        session.last_active_at.0 / 1000
    );
    assert!(session.expire_at > session.created_at);
}

#[tokio::test]
async fn an_impersonated_session_has_a_typed_actor() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let session = api
        .get_session("sess_2carol_impersonated")
        .await
        .expect("session");
    let actor = session.actor.expect("an actor");
    assert_eq!(actor.sub, "user_2support");
    assert_eq!(
        api.get_session("sess_2carol").await.expect("session").actor,
        None
    );
}

#[tokio::test]
async fn a_partial_failure_of_revoke_other_sessions_says_which_session_is_still_active() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    // A third active session of Alice, so one revoke can fail while another succeeds.
    let created: Value = reqwest::Client::new()
        .post(format!("{}/v1/sessions", fake.url()))
        .bearer_auth(fake.secret_key())
        .json(&serde_json::json!({"user_id": "user_2alice"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let third = created["id"].as_str().expect("a session ID").to_owned();
    fake.inject(Fault::status(500).on("/v1/sessions/sess_2alice_personal/revoke"));

    let done = api
        .revoke_other_sessions("user_2alice", "sess_2alice_acme")
        .await
        .expect("the keep session is active, so it tries");
    assert!(!done.is_complete());
    assert_eq!(done.kept.id, "sess_2alice_acme");
    let revoked: Vec<&str> = done.revoked.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(revoked, [third.as_str()]);
    assert!(
        done.revoked
            .iter()
            .all(|s| s.status == SessionStatus::Revoked)
    );
    assert_eq!(done.failed.len(), 1, "{:?}", done.failed);
    let failure = &done.failed[0];
    assert_eq!(failure.session.id, "sess_2alice_personal");
    assert_eq!(failure.error.status(), Some(500), "{}", failure.error);
    assert_eq!(
        api.get_session("sess_2alice_personal")
            .await
            .expect("session")
            .status,
        SessionStatus::Active,
        "the failed one is still active"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_that_says_it_could_not_connect() {
    // Port 1 on loopback: nothing listens there.
    let api = ClerkApi::new("sk_test_transport_check")
        .and_then(|a| a.with_base_url("http://127.0.0.1:1"))
        .expect("client");
    let err = api
        .get_session("sess_1")
        .await
        .expect_err("nothing listens");
    let ApiError::Transport {
        method,
        path,
        source,
    } = &err
    else {
        panic!("a transport error: {err:?}");
    };
    assert_eq!((*method, path.as_str()), ("GET", "/v1/sessions/sess_1"));
    assert_eq!(source.failure, TransportFailure::Connect, "{source}");
    assert!(err.to_string().contains("could not connect"), "{err}");
    assert!(
        !err.to_string().contains("sk_test_transport_check"),
        "{err}"
    );
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_without_reading_it_all() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let huge = format!("\"{}\"", "x".repeat(9 * 1024 * 1024));
    fake.inject(Fault::body(200, huge).on("/v1/sessions/sess_2alice_acme"));
    let err = api
        .get_session("sess_2alice_acme")
        .await
        .expect_err("9 MiB is over the 8 MiB cap");
    assert!(
        matches!(err, ApiError::UnexpectedResponse { status: 200, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("larger than 8388608 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn the_default_seed_is_as_of_the_fakes_clock_and_a_given_seed_is_kept_as_written() {
    use clerk_claims::Clock;
    use clerk_claims::api::UnixMillis;
    use clerk_claims::testing::fake::Seed;

    let now = UnixMillis(1_767_225_600_000);
    let fake = FakeClerk::builder()
        .clock(Clock::manual(now.as_secs()))
        .start()
        .expect("started");
    let api = fake.api().expect("client");
    // The seed's latest activity (any user's) is moved to now, every other time with it.
    let written = Seed::default_seed().expect("seed");
    let written_latest = written.sessions.iter().map(|s| s.last_active_at.0).max();
    let shift = now.0 - written_latest.expect("seeded sessions");
    let mut latest = UnixMillis(0);
    for user in ["user_2alice", "user_2bob", "user_2carol"] {
        for session in api.user_sessions(user, None).await.expect("listed") {
            let seeded = written
                .sessions
                .iter()
                .find(|s| s.id == session.id)
                .expect("a seeded session");
            for (name, served, seeded) in [
                (
                    "last_active_at",
                    session.last_active_at,
                    seeded.last_active_at,
                ),
                ("created_at", session.created_at, seeded.created_at),
                ("expire_at", session.expire_at, seeded.expire_at),
            ] {
                assert_eq!(served.0, seeded.0 + shift, "{} {name}", session.id);
            }
            latest = latest.max(session.last_active_at);
        }
    }
    assert_eq!(latest, now, "the latest seeded activity is the fake's now");

    let given = FakeClerk::builder()
        .clock(Clock::manual(now.as_secs()))
        .seed(written.clone())
        .start()
        .expect("started");
    let kept = given
        .api()
        .expect("client")
        .user_sessions("user_2alice", None)
        .await
        .expect("listed");
    for session in &kept {
        let seeded = written
            .sessions
            .iter()
            .find(|s| s.id == session.id)
            .expect("seeded");
        assert_eq!(
            session.last_active_at, seeded.last_active_at,
            "{}",
            session.id
        );
    }
}
