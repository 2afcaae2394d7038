//! Interop with Clerk's own webhook code (`tests/node`): deliveries signed by the
//! `standardwebhooks` library Clerk's `verifyWebhook` uses verify here, and deliveries signed
//! here pass Clerk's `verifyWebhook` from `@clerk/backend/webhooks`. Runs when Node and
//! `tests/node/node_modules` are present (`npm ci --prefix tests/node`); says it skipped
//! otherwise.

use crate::common::node;

use std::path::PathBuf;

use axum::http::{HeaderMap, HeaderValue};
use clerk_claims::Clock;
use clerk_claims::webhooks::{Webhook, WebhookError, WebhookEvent};
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn fixture(name: &str) -> String {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/webhooks"))
        .join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Clerk's answer to `request` (`tests/node/webhooks.mjs`), or `None` where Node is missing.
fn run(request: &Value) -> Option<Value> {
    node::run(
        "webhooks.mjs",
        &["standardwebhooks", "@clerk/backend"],
        request,
    )
}

/// The signature Clerk's `standardwebhooks` computes.
fn js_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let answer = run(
        &json!({ "op": "sign", "secret": secret, "id": id, "timestamp": timestamp, "body": body }),
    )?;
    assert_eq!(answer["ok"], true, "{answer}");
    Some(answer["signature"].as_str().expect("signature").to_owned())
}

fn headers(id: &str, timestamp: i64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_str(id).expect("id"));
    headers.insert(
        "svix-timestamp",
        HeaderValue::from_str(&timestamp.to_string()).expect("timestamp"),
    );
    headers.insert(
        "svix-signature",
        HeaderValue::from_str(signature).expect("signature"),
    );
    headers
}

#[test]
fn deliveries_signed_by_clerks_standardwebhooks_verify_here() {
    let now = 1_767_225_600;
    let webhook = Webhook::new(SECRET)
        .expect("secret")
        .with_clock(Clock::manual(now));
    for name in [
        "session.revoked",
        "user.created",
        "user.deleted",
        "organization.updated",
        "organizationMembership.created",
        "email.created",
    ] {
        let body = fixture(name);
        let Some(signature) = js_signature(SECRET, "msg_js", now, &body) else {
            return;
        };
        assert_eq!(signature, webhook.sign("msg_js", now, body.as_bytes()));
        let event = webhook
            .verify(&headers("msg_js", now, &signature), body.as_bytes())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(event.event_type(), name);
    }

    // A rotated secret: Svix sends one signature per active secret; any one matching is enough.
    let body = fixture("session.revoked");
    let old = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let (Some(by_old), Some(by_new)) = (
        js_signature(old, "msg_js", now, &body),
        js_signature(SECRET, "msg_js", now, &body),
    ) else {
        return;
    };
    let event = webhook
        .verify(
            &headers("msg_js", now, &format!("{by_old} {by_new}")),
            body.as_bytes(),
        )
        .expect("one of the two matches");
    assert!(matches!(event, WebhookEvent::SessionRevoked(_)));

    // And what the JS library signed does not verify with another body or secret.
    assert!(matches!(
        webhook.verify(&headers("msg_js", now, &by_old), body.as_bytes()),
        Err(WebhookError::SignatureMismatch { .. })
    ));
    let other_body = body.replace("revoked", "active_");
    assert!(matches!(
        webhook.verify(&headers("msg_js", now, &by_new), other_body.as_bytes()),
        Err(WebhookError::SignatureMismatch { .. })
    ));
}

#[test]
fn deliveries_signed_here_pass_clerks_verify_webhook() {
    let webhook = Webhook::new(SECRET).expect("secret");
    let now = Clock::system().now();
    let body = fixture("user.created");
    let signature = webhook.sign("msg_rust", now, body.as_bytes());
    let request = json!({
        "op": "verify",
        "secret": SECRET,
        // Clerk's SDK trims the svix-* headers, as we do.
        "headers": { "svix-id": " msg_rust", "svix-timestamp": now.to_string(), "svix-signature": format!("v1a,xyz {signature} ") },
        "body": body,
    });
    let Some(answer) = run(&request) else { return };
    assert_eq!(answer["ok"], true, "Clerk's verifyWebhook: {answer}");
    assert_eq!(answer["event"]["type"], "user.created");
    assert_eq!(
        answer["event"]["data"]["id"],
        "user_29w83sxmDNGwOuEthce5gg56FcC"
    );

    // Clerk refuses what we refuse: a timestamp past five minutes, a missing header.
    let stale = now - 301;
    let request = json!({
        "op": "verify", "secret": SECRET, "body": body,
        "headers": { "svix-id": "msg_rust", "svix-timestamp": stale.to_string(), "svix-signature": webhook.sign("msg_rust", stale, body.as_bytes()) },
    });
    let answer = run(&request).unwrap_or_default();
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("too old"),
        "{answer}"
    );
    let err = Webhook::new(SECRET)
        .expect("secret")
        .verify(&headers("msg_rust", stale, "v1,x"), body.as_bytes())
        .unwrap_err();
    assert!(matches!(err, WebhookError::TooOld { .. }), "{err}");

    let request = json!({
        "op": "verify", "secret": SECRET, "body": body,
        "headers": { "svix-id": "msg_rust", "svix-signature": signature },
    });
    let answer = run(&request).unwrap_or_default();
    let clerk = answer["message"].as_str().unwrap_or_default();
    let mut missing = headers("msg_rust", now, &signature);
    missing.remove("svix-timestamp");
    let ours = Webhook::new(SECRET)
        .expect("secret")
        .verify(&missing, body.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        clerk.to_lowercase().ends_with(&ours.to_lowercase()),
        "Clerk: {clerk:?}, ours: {ours:?}"
    );
}
