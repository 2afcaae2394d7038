//! `ClerkApi::update_user_metadata` (`PATCH /v1/users/{id}/metadata`) and the fake's sign-out
//! over HTTP (`end_session_over_http`), over loopback against `FakeClerk`: what changes shows
//! in what the fake serves and mints next, and goes out as a webhook.

use std::time::Duration;

use clerk_claims::api::{ApiError, SessionStatus, UserMetadataUpdate};
use clerk_claims::testing::fake::{FakeClerk, WebhookConfig, end_session_over_http};
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A fake whose webhooks go to a closed port, one attempt each: the deliveries it records are
/// what it sent.
fn fake_with_webhooks() -> FakeClerk {
    let config = WebhookConfig::new("http://127.0.0.1:9/webhooks", SECRET)
        .expect("secret")
        .retry_delays(Vec::new());
    FakeClerk::builder().webhooks(config).start().expect("fake")
}

fn sent(fake: &FakeClerk, event_type: &str) -> Vec<Value> {
    assert!(fake.wait_webhooks(Duration::from_secs(10)));
    fake.webhook_deliveries()
        .into_iter()
        .filter(|d| d.event_type == event_type)
        .map(|d| d.body)
        .collect()
}

#[tokio::test]
async fn update_user_metadata_deep_merges_sends_user_updated_and_reaches_new_template_tokens() {
    let fake = fake_with_webhooks();
    let api = fake.api().expect("api");
    let template = clerk_claims::JwtTemplate::from_json(&json!({
        "name": "billing",
        "claims": { "plan": "{{user.public_metadata.plan}}", "seats": "{{user.public_metadata.limits.seats}}" },
    }))
    .expect("template");
    api.create_jwt_template(&template).await.expect("created");

    let update = UserMetadataUpdate {
        public_metadata: Some(
            json!({ "plan": "team", "hasura_role": null, "limits": { "seats": 5 } }),
        ),
        private_metadata: Some(json!({ "stripe": "cus_1" })),
        ..UserMetadataUpdate::default()
    };
    let user = api
        .update_user_metadata("user_2alice", &update)
        .await
        .expect("updated");
    // Merged: `plan` replaced, `hasura_role` deleted by its null, `limits` added.
    assert_eq!(
        user["public_metadata"],
        json!({ "plan": "team", "limits": { "seats": 5 } })
    );
    assert_eq!(user["private_metadata"]["stripe"], "cus_1");
    assert_eq!(
        user["unsafe_metadata"],
        json!({ "theme": "dark" }),
        "left as it was"
    );
    let served = api.get_user("user_2alice").await.expect("user");
    assert_eq!(served["public_metadata"], user["public_metadata"]);

    let events = sent(&fake, "user.updated");
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["data"]["id"], "user_2alice");
    assert_eq!(events[0]["data"]["public_metadata"]["plan"], "team");

    let token = api
        .create_template_token("sess_2alice_acme", "billing", None)
        .await
        .expect("minted");
    let claims = clerk_claims::verify::decode_unverified(&token)
        .expect("decodes")
        .payload;
    assert_eq!(
        (claims["plan"].clone(), claims["seats"].clone()),
        (json!("team"), json!(5))
    );
}

#[tokio::test]
async fn update_user_metadata_of_a_non_object_is_clerks_typed_422() {
    let fake = FakeClerk::start();
    let api = fake.api().expect("api");
    let err = api
        .update_user_metadata("user_2alice", &UserMetadataUpdate::public(json!("pro")))
        .await
        .expect_err("not an object");
    assert_eq!(err.code(), Some("form_param_format_invalid"), "{err}");
    let err = api
        .update_user_metadata("user_nobody", &UserMetadataUpdate::public(json!({})))
        .await
        .expect_err("no such user");
    assert!(matches!(err, ApiError::Clerk { .. }), "{err:?}");
}

#[tokio::test]
async fn ending_a_session_over_http_stops_its_tokens_and_sends_session_ended() {
    let fake = fake_with_webhooks();
    let api = fake.api().expect("api");
    let ended = end_session_over_http(&api, "sess_2bob_acme")
        .await
        .expect("ended");
    assert_eq!(ended.status, SessionStatus::Ended);
    assert_eq!(
        api.get_session("sess_2bob_acme")
            .await
            .map(|s| s.status)
            .ok(),
        Some(SessionStatus::Ended)
    );
    assert!(
        api.create_session_token("sess_2bob_acme", None)
            .await
            .is_err(),
        "an ended session mints no token"
    );
    let events = sent(&fake, "session.ended");
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["data"]["id"], "sess_2bob_acme");

    // Not active any more: Clerk's 404, typed.
    let again = end_session_over_http(&api, "sess_2bob_acme")
        .await
        .expect_err("already ended");
    assert_eq!(again.code(), Some("resource_not_found"), "{again}");
    // The route wants the secret key, as the Backend API routes do.
    let stranger = clerk_claims::api::ClerkApi::new("sk_test_wrongwrongwrong")
        .and_then(|a| a.with_base_url(&fake.url()))
        .expect("client");
    let refused = end_session_over_http(&stranger, "sess_2alice_acme")
        .await
        .expect_err("wrong key");
    assert!(
        matches!(refused, ApiError::SecretKeyInvalid { .. }),
        "{refused:?}"
    );
}
