//! FakeClerk's behaviour through the Backend API client: auth, pagination and filters,
//! Clerk's save checks, fault injection and key rotation.

use std::time::{Duration, Instant};

use clerk_claims::api::{ApiError, ClerkApi, SessionListParams, SessionStatus, Upserted};
use clerk_claims::testing::fake::{FakeClerk, Fault};
use clerk_claims::{Clock, JwtTemplate, Reason, Verifier};
use serde_json::json;

fn template(name: &str, claims: serde_json::Value) -> JwtTemplate {
    JwtTemplate {
        name: name.to_owned(),
        claims,
        lifetime: 60,
        allowed_clock_skew: 5,
        signing_algorithm: None,
        session_token: false,
    }
}

#[tokio::test]
async fn wrong_secret_key_is_secret_key_invalid() {
    let fake = FakeClerk::start();
    let api = ClerkApi::new("sk_test_not_the_fakes_key")
        .and_then(|a| a.with_base_url(&fake.url()))
        .expect("client");
    let err = api.jwks().await.expect_err("wrong key");
    assert!(matches!(err, ApiError::SecretKeyInvalid { .. }), "{err}");
    assert!(!err.to_string().contains("not_the_fakes_key"), "{err}");
}

#[tokio::test]
async fn sessions_list_filters_by_status_and_pages_newest_first() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let all = api
        .list_sessions(&SessionListParams::for_user("user_2alice"))
        .await
        .expect("list");
    assert_eq!(all.total_count, 3);
    let created: Vec<i64> = all.data.iter().map(|s| s.created_at.0).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "{created:?}");

    let active = SessionListParams {
        status: Some(SessionStatus::Active),
        ..SessionListParams::for_user("user_2alice")
    };
    let page = api.list_sessions(&active).await.expect("list");
    assert_eq!(page.total_count, 2);
    assert!(page.data.iter().all(|s| s.status == SessionStatus::Active));

    let second = SessionListParams {
        limit: Some(1),
        offset: Some(1),
        ..SessionListParams::for_user("user_2alice")
    };
    let page = api.list_sessions(&second).await.expect("list");
    assert_eq!((page.data.len(), page.total_count), (1, 3));
    assert_eq!(page.data[0].id, all.data[1].id);
}

#[tokio::test]
async fn revoked_session_gets_no_tokens() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let s = api.revoke_session("sess_2bob_acme").await.expect("revoke");
    assert_eq!(s.status, SessionStatus::Revoked);
    let err = api
        .create_session_token("sess_2bob_acme", None)
        .await
        .expect_err("inactive");
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn push_is_idempotent_and_reserved_claims_are_refused() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let t = template("app", json!({"email": "{{user.primary_email_address}}"}));
    assert!(matches!(
        api.upsert_template(&t).await,
        Ok(Upserted::Created(_))
    ));
    assert!(matches!(
        api.upsert_template(&t).await,
        Ok(Upserted::Unchanged(_))
    ));
    let changed = template(
        "app",
        json!({"email": "{{user.primary_email_address}}", "x": 1}),
    );
    assert!(matches!(
        api.upsert_template(&changed).await,
        Ok(Upserted::Updated(_))
    ));

    let bad = template("other", json!({"sub": "{{user.id}}"}));
    let err = api.create_jwt_template(&bad).await.expect_err("reserved");
    assert_eq!(
        (err.status(), err.code()),
        (Some(400), Some("jwt_template_reserved_claim"))
    );
}

#[tokio::test]
async fn injected_status_fault_is_counted_then_gone() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    fake.inject(Fault::status(503).on("/v1/jwks").times(1));
    let err = api.jwks().await.expect_err("fault");
    assert_eq!(err.status(), Some(503));
    assert!(api.jwks().await.is_ok(), "the fault was used up");
}

#[tokio::test]
async fn garbage_body_is_an_unexpected_response() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    fake.inject(Fault::garbage().on("/v1/users/"));
    let err = api.get_user("user_2alice").await.expect_err("garbage");
    assert!(matches!(err, ApiError::UnexpectedResponse { .. }), "{err}");
    fake.clear_faults();
    assert!(api.get_user("user_2alice").await.is_ok());
}

#[tokio::test]
async fn an_oversized_body_is_refused_without_reading_it_whole() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    // 9 MiB of a valid JSON string: parseable, but over the client's 8 MiB cap.
    let huge = format!("\"{}\"", "x".repeat(9 * 1024 * 1024));
    fake.inject(Fault::body(200, huge).on("/v1/users/"));
    let err = api.get_user("user_2alice").await.expect_err("too large");
    assert!(
        matches!(&err, ApiError::UnexpectedResponse { found, .. } if found.contains("larger than 8388608 bytes")),
        "{err}"
    );
}

#[tokio::test]
async fn delay_fault_delays_the_answer() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    fake.inject(Fault::delay(Duration::from_millis(300)).times(1));
    let start = Instant::now();
    api.jwks().await.expect("answers after the delay");
    // A lower bound only: the fault must have waited; no upper bound is asserted.
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn rotated_keys_sign_new_tokens_and_old_tokens_still_verify() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let before = api
        .create_session_token("sess_2carol", None)
        .await
        .expect("mint");
    fake.rotate_keys();
    let after = api
        .create_session_token("sess_2carol", None)
        .await
        .expect("mint");
    let jwks = api.jwks().await.expect("jwks");
    assert_eq!(jwks["keys"].as_array().map(Vec::len), Some(2));
    let verifier = Verifier::builder()
        .jwks_json(jwks.to_string())
        .issuer(fake.frontend_api_url())
        .build()
        .expect("verifier");
    for jwt in [&before, &after] {
        let v = verifier.verify_session(jwt).await.expect("verifies");
        assert_eq!(v.sub, "user_2carol");
    }
    fake.drop_retired_keys();
    let jwks = api.jwks().await.expect("jwks");
    assert_eq!(jwks["keys"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn session_token_carries_the_active_organization_without_system_permissions() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let jwt = api
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("mint");
    let v = fake
        .issuer()
        .verifier()
        .verify_session(&jwt)
        .await
        .expect("verifies");
    assert_eq!(v.sid.as_deref(), Some("sess_2alice_acme"));
    let auth = v.claims.auth();
    assert_eq!(auth.org_id.as_deref(), Some("org_2acme"));
    assert_eq!(auth.org_role.as_deref(), Some("org:admin"));
    let permissions = auth.org_permissions.clone().unwrap_or_default();
    assert!(
        permissions.iter().any(|p| p == "org:invoices:write"),
        "{permissions:?}"
    );
    assert!(
        permissions.iter().all(|p| !p.starts_with("org:sys_")),
        "{permissions:?}"
    );
}

/// Clerk saves a template with a shortcode inside an object inside an array, and its tokens
/// carry that text as written: the fake mints exactly that, and substitutes the rest.
#[tokio::test]
async fn template_tokens_carry_text_clerk_does_not_walk_as_written() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("client");
    let claims = json!({
        "id": "{{user.id}}",
        "rows": ["{{org.id}}", {"org": "{{org.id}}"}],
        "typo": "{{user.frist_name}}"
    });
    api.upsert_template(&template("walked", claims))
        .await
        .expect("Clerk saves it");
    let jwt = api
        .create_template_token("sess_2alice_acme", "walked", None)
        .await
        .expect("minted");
    let payload = clerk_claims::verify::decode_unverified(&jwt)
        .expect("a JWT")
        .payload;
    assert_eq!(payload["id"], json!("user_2alice"));
    assert_eq!(payload["rows"], json!(["org_2acme", {"org": "{{org.id}}"}]));
    assert_eq!(payload["typo"], json!("{{user.frist_name}}"));
}

// ---- one clock ----------------------------------------------------------------------------

const NOW: i64 = 1_767_225_600;

/// `POST /v1/sessions` (no client method: testing instances only), the new session's JSON.
async fn create_session(fake: &FakeClerk, user_id: &str) -> serde_json::Value {
    let answer = reqwest::Client::new()
        .post(format!("{}/v1/sessions", fake.url()))
        .bearer_auth(fake.secret_key())
        .json(&json!({ "user_id": user_id }))
        .send()
        .await
        .expect("the fake answers");
    assert_eq!(answer.status().as_u16(), 200);
    answer.json().await.expect("a session")
}

#[tokio::test]
async fn the_fakes_timestamps_follow_its_clock_and_advance_clock() {
    let clock = Clock::manual(NOW);
    let fake = FakeClerk::builder()
        .clock(clock.clone())
        .start()
        .expect("fake starts");
    let first = create_session(&fake, "user_2alice").await;
    assert_eq!(first["created_at"], json!(NOW * 1000));
    assert_eq!(first["last_active_at"], json!(NOW * 1000));
    assert_eq!(first["expire_at"], json!((NOW + 7 * 24 * 3600) * 1000));

    fake.advance_clock(3600);
    assert_eq!(fake.now(), NOW + 3600);
    assert_eq!(
        clock.now(),
        NOW + 3600,
        "the fake moved the clock handed to it"
    );
    let second = create_session(&fake, "user_2alice").await;
    assert_eq!(second["created_at"], json!((NOW + 3600) * 1000));
    let api = fake.api().expect("client");
    let revoked = api
        .revoke_session(first["id"].as_str().expect("id"))
        .await
        .expect("revoked");
    assert_eq!(revoked.updated_at.0, (NOW + 3600) * 1000);
    let template = api
        .upsert_template(&template("clocked", json!({"id": "{{user.id}}"})))
        .await
        .expect("created");
    assert_eq!(template.resource().created_at, (NOW + 3600) * 1000);
}

#[tokio::test]
async fn one_clock_drives_the_fakes_tokens_and_the_verifier() {
    let clock = Clock::manual(NOW);
    let fake = FakeClerk::builder()
        .clock(clock.clone())
        .start()
        .expect("fake starts");
    assert_eq!(fake.clock().now(), NOW);
    let verifier = fake.issuer().verifier();
    let api = fake.api().expect("client");
    let jwt = api
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("minted");
    let verified = verifier.verify_session(&jwt).await.expect("fresh token");
    assert_eq!(verified.iat, Some(NOW));
    clock.advance(Duration::from_secs(120));
    let err = verifier
        .verify_session(&jwt)
        .await
        .expect_err("expired on the shared clock");
    assert_eq!(err.reason(), Reason::TokenExpired);
}

// ---- one template body parser -------------------------------------------------------------

/// The fake answers a template body with the parameter (and, for Clerk's rules, the code)
/// that `JwtTemplate::from_json` names for the same body: one parser.
#[tokio::test]
async fn the_fake_and_from_json_name_the_same_field_for_a_bad_template_body() {
    let fake = FakeClerk::start();
    let http = reqwest::Client::new();
    let bodies = [
        json!({"name": "", "claims": {}}),
        json!({"name": 3, "claims": {}}),
        json!({"name": "a", "claims": {}, "lifetime": "60"}),
        json!({"name": "a", "claims": {}, "allowed_clock_skew": -1}),
        json!({"name": "a", "claims": {}, "custom_signing_key": "yes"}),
        json!({"name": "a", "claims": {}, "custom_signing_key": true}),
        json!({"name": "a", "claims": {}, "signing_algorithm": 256}),
    ];
    for body in bodies {
        let local = JwtTemplate::from_json(&body).expect_err("a bad body");
        let answer = http
            .post(format!("{}/v1/jwt_templates", fake.url()))
            .bearer_auth(fake.secret_key())
            .json(&body)
            .send()
            .await
            .expect("the fake answers");
        assert_eq!(answer.status().as_u16(), 422, "{body}");
        let errors: serde_json::Value = answer.json().await.expect("an error envelope");
        let error = &errors["errors"][0];
        assert_eq!(
            error["meta"]["param_name"].as_str(),
            local.param(),
            "{body}: {errors}"
        );
        let code = error["code"].as_str();
        match local.code() {
            Some(rule) => assert_eq!(code, Some(rule), "{body}: {errors}"),
            None => assert_eq!(code, Some("form_param_format_invalid"), "{body}: {errors}"),
        }
        let words = error["long_message"].as_str().unwrap_or_default();
        assert!(
            !words.is_empty() && local.to_string().ends_with(words),
            "{body}: the same words: {local} / {words}"
        );
    }
}
