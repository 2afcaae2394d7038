//! End to end: `clerk-claims sessions list/revoke/token` (and `jwks`) against a spawned
//! `clerk-claims dev`, through `CLERK_API_URL` / `CLERK_SECRET_KEY`. The sessions are the
//! fake's default seed: Alice has two active sessions on two clients and a revoked one.

mod common;

use common::{Dev, fixture, run, stdout, text};
use serde_json::Value;

fn list_json(dev: &Dev, args: &[&str]) -> Value {
    let mut all = vec!["sessions", "list", "--json"];
    all.extend_from_slice(args);
    let out = dev.run(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    serde_json::from_slice(&out.stdout).expect("sessions list --json prints JSON")
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .expect("data array")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn list_prints_a_users_sessions_newest_first_with_status_and_client() {
    let dev = Dev::start();
    let page = list_json(&dev, &["--user", "user_2alice"]);
    let sessions = page["data"].as_array().expect("data");
    assert_eq!(page["total_count"].as_u64(), Some(sessions.len() as u64));
    assert!(sessions.len() >= 3, "{page}");
    assert!(
        sessions.iter().all(|s| s["user_id"] == "user_2alice"),
        "{page}"
    );
    let created: Vec<i64> = sessions
        .iter()
        .map(|s| s["created_at"].as_i64().expect("created_at"))
        .collect();
    assert!(
        created.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {created:?}"
    );

    // The readable form: a header, then one line per session with status and client.
    let out = dev.run(&["sessions", "list", "--user", "user_2alice"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert!(
        lines[0].starts_with(&format!(
            "{} of {} session(s) of user_2alice",
            sessions.len(),
            sessions.len()
        )),
        "{lines:?}"
    );
    for (line, s) in lines[1..].iter().zip(sessions) {
        let id = s["id"].as_str().expect("id");
        let status = s["status"].as_str().expect("status");
        let client = s["client_id"].as_str().expect("client");
        assert!(line.starts_with(id), "{line}");
        assert!(line.contains(status), "{line}");
        assert!(line.contains(&format!("client={client}")), "{line}");
    }
}

#[test]
fn list_filters_by_status_and_pages() {
    let dev = Dev::start();
    let all = ids(&list_json(&dev, &["--user", "user_2alice"]));
    let active = list_json(&dev, &["--user", "user_2alice", "--status", "active"]);
    assert!(
        active["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|s| s["status"] == "active"),
        "{active}"
    );
    assert!(
        ids(&active).len() < all.len(),
        "a revoked session is filtered out"
    );

    let first = list_json(&dev, &["--user", "user_2alice", "--limit", "1"]);
    let second = list_json(
        &dev,
        &["--user", "user_2alice", "--limit", "1", "--offset", "1"],
    );
    assert_eq!(ids(&first), all[..1]);
    assert_eq!(ids(&second), all[1..2]);
    assert_eq!(first["total_count"].as_u64(), Some(all.len() as u64));
}

#[test]
fn list_with_an_unknown_status_is_a_usage_error() {
    let dev = Dev::start();
    let out = dev.run(&[
        "sessions",
        "list",
        "--user",
        "user_2alice",
        "--status",
        "gone",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("\"gone\""), "{}", text(&out));
}

#[test]
fn token_mints_a_session_token_that_verifies_against_the_dev_jwks() {
    let dev = Dev::start();
    let out = dev.run(&["sessions", "token", "sess_2alice_acme"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let jwt = stdout(&out);
    assert_eq!(jwt.split('.').count(), 3, "a compact JWS: {jwt}");
    let (code, report) = dev.inspect(&jwt, false);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["verified"], true);
    assert_eq!(report["auth"]["session_id"], "sess_2alice_acme");
    assert_eq!(report["auth"]["user_id"], "user_2alice");
    assert_eq!(report["auth"]["org_id"], "org_2acme");
    assert_eq!(
        report["header"]["cat"], "cl_B7d4PD111AAA",
        "session category"
    );
}

#[test]
fn token_expires_in_sets_the_lifetime() {
    let dev = Dev::start();
    let out = dev.run(&[
        "sessions",
        "token",
        "sess_2alice_acme",
        "--expires-in",
        "600",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (_, report) = dev.inspect(&stdout(&out), false);
    let lifetime = report["claims"]["exp"]
        .as_i64()
        .zip(report["claims"]["iat"].as_i64());
    assert_eq!(lifetime.map(|(exp, iat)| exp - iat), Some(600), "{report}");

    // Out of Clerk's 30..=315360000 range: the Backend API refuses it.
    let out = dev.run(&["sessions", "token", "sess_2alice_acme", "--expires-in", "5"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("expires_in_seconds"), "{}", text(&out));
}

#[test]
fn token_with_template_mints_a_template_token() {
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let out = dev.run(&["sessions", "token", "sess_2alice_acme", "--template", "api"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (code, report) = dev.inspect(&stdout(&out), true);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(
        report["header"]["cat"], "cl_B7d4PD222AAA",
        "template category"
    );
    assert_eq!(report["claims"]["org_id"], "org_2acme");
    let lifetime = report["claims"]["exp"]
        .as_i64()
        .zip(report["claims"]["iat"].as_i64());
    assert_eq!(
        lifetime.map(|(exp, iat)| exp - iat),
        Some(300),
        "the template's lifetime"
    );

    let missing = dev.run(&[
        "sessions",
        "token",
        "sess_2alice_acme",
        "--template",
        "nope",
    ]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(
        text(&missing).contains("resource_not_found"),
        "{}",
        text(&missing)
    );
}

#[test]
fn revoke_ends_a_session_and_its_tokens_can_no_longer_be_minted() {
    let dev = Dev::start();
    let before = dev.run(&["sessions", "token", "sess_2alice_personal"]);
    assert_eq!(before.status.code(), Some(0), "{}", text(&before));

    let out = dev.run(&["sessions", "revoke", "sess_2alice_personal"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(stdout(&out), "session sess_2alice_personal is now revoked");

    let status = list_json(&dev, &["--user", "user_2alice"])["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|s| s["id"] == "sess_2alice_personal")
        .map(|s| s["status"].clone());
    assert_eq!(status, Some(Value::from("revoked")));

    let after = dev.run(&["sessions", "token", "sess_2alice_personal"]);
    assert_eq!(after.status.code(), Some(1), "{}", text(&after));
    assert!(text(&after).contains("404"), "{}", text(&after));

    let unknown = dev.run(&["sessions", "revoke", "sess_nope"]);
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
}

#[test]
fn jwks_prints_the_keys_the_dev_tokens_are_signed_with() {
    let dev = Dev::start();
    let out = dev.run(&["jwks"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let jwks: Value = serde_json::from_slice(&out.stdout).expect("JWKS JSON");
    let token = dev.run(&["sessions", "token", "sess_2alice_acme"]);
    let (_, report) = dev.inspect(&stdout(&token), false);
    let kid = &report["header"]["kid"];
    assert!(
        jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| &k["kid"] == kid),
        "kid {kid} in {jwks}"
    );
}

#[test]
fn sessions_without_a_secret_key_is_a_usage_error() {
    let out = run(&["sessions", "list", "--user", "user_2alice"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("CLERK_SECRET_KEY"), "{}", text(&out));
}

#[test]
fn dev_with_session_claims_puts_them_in_every_session_token() {
    let dev = Dev::start_with(&["--session-claims", &fixture("session-claims.json")]);
    for (session, plan) in [("sess_2alice_acme", "pro"), ("sess_2bob_acme", "free")] {
        let out = dev.run(&["sessions", "token", session]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let (code, report) = dev.inspect(&stdout(&out), false);
        assert_eq!(code, Some(0), "{report}");
        assert_eq!(report["claims"]["plan"], plan, "{report}");
        assert!(report["claims"]["email"].is_string(), "{report}");
        assert_eq!(report["claims"]["sid"], session, "default claims stay");
    }
}
