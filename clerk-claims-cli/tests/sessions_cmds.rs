//! End to end: `clerk-claims sessions list/revoke/token` (and `jwks`) against a spawned
//! `clerk-claims dev`, through `CLERK_API_URL` / `CLERK_SECRET_KEY`. The sessions are the
//! fake's default seed: Alice has two active sessions on two clients and a revoked one. Where a
//! test needs a fault injected, it starts a `FakeClerk` in the test process instead.

use std::process::Command;

use clerk_claims::Clock;
use clerk_claims::api::{SessionStatus, UnixMillis};
use clerk_claims::testing::fake::{FakeClerk, Fault, Seed};
use serde_json::Value;

use crate::common::{BIN, Dev, fixture, run, stdout, text};

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

/// `sessions devices --json` of a user: the `sessions` array.
fn devices_json(dev: &Dev, user: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["sessions", "devices", "--user", user, "--json"];
    args.extend_from_slice(extra);
    let out = dev.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("devices --json prints JSON");
    assert_eq!(report["user_id"], user, "{report}");
    report["sessions"]
        .as_array()
        .expect("sessions array")
        .clone()
}

fn row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["session_id"] == id)
        .unwrap_or_else(|| panic!("{id} in {rows:?}"))
}

#[test]
fn devices_json_gives_each_session_its_device_browser_location_and_status() {
    let dev = Dev::start();
    let rows = devices_json(&dev, "user_2alice", &["--current", "sess_2alice_acme"]);
    let listed = list_json(&dev, &["--user", "user_2alice"]);
    assert_eq!(rows.len(), ids(&listed).len(), "one row per session");
    for s in listed["data"].as_array().expect("data") {
        let id = s["id"].as_str().expect("id");
        let r = row(&rows, id);
        let activity = &s["latest_activity"];
        assert_eq!(r["status"], s["status"], "{id}");
        assert_eq!(r["client_id"], s["client_id"], "{id}");
        assert_eq!(r["last_active_at"], s["last_active_at"], "{id}");
        for field in [
            "device_type",
            "is_mobile",
            "browser_name",
            "browser_version",
            "ip_address",
            "city",
            "country",
        ] {
            assert_eq!(r[field], activity[field], "{id} {field}");
        }
        assert!(r["last_active_ago_s"].as_u64().is_some(), "{r}");
    }
    // The field set scripts rely on, in this order.
    for r in &rows {
        let keys: Vec<&str> = r
            .as_object()
            .expect("a row object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "session_id",
                "client_id",
                "status",
                "current",
                "client_active",
                "device_type",
                "is_mobile",
                "browser_name",
                "browser_version",
                "ip_address",
                "city",
                "country",
                "last_active_at",
                "last_active_ago_s"
            ],
            "{r}"
        );
    }
    let current: Vec<&Value> = rows.iter().filter(|r| r["current"] == true).collect();
    assert_eq!(current.len(), 1, "{rows:?}");
    assert_eq!(current[0]["session_id"], "sess_2alice_acme");
    // The seed: Alice on a laptop (two browsers over time) and a phone.
    let phone = row(&rows, "sess_2alice_personal");
    assert_eq!(phone["is_mobile"], true, "{phone}");
    assert_eq!(phone["device_type"], "iPhone", "{phone}");
    let laptop = row(&rows, "sess_2alice_acme");
    assert_eq!(laptop["is_mobile"], false, "{laptop}");
    assert_ne!(
        laptop["browser_name"],
        row(&rows, "sess_2alice_old")["browser_name"],
        "two browsers on the laptop"
    );
    // Most recently active first.
    let last: Vec<i64> = rows
        .iter()
        .map(|r| r["last_active_at"].as_i64().expect("ms"))
        .collect();
    assert!(last.windows(2).all(|w| w[0] >= w[1]), "{last:?}");
}

#[test]
fn devices_prints_aligned_columns_and_marks_the_current_session() {
    let dev = Dev::start();
    let rows = devices_json(&dev, "user_2alice", &[]);
    let out = dev.run(&[
        "sessions",
        "devices",
        "--user",
        "user_2alice",
        "--current",
        "sess_2alice_personal",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = stdout(&out);
    assert!(
        !printed.contains('\u{1b}'),
        "no colour into a pipe: {printed:?}"
    );
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[0],
        format!("{} session(s) of user_2alice, 2 active", rows.len())
    );
    let header = lines[2];
    let columns = [
        "SESSION",
        "DEVICE",
        "BROWSER",
        "LOCATION",
        "IP",
        "LAST ACTIVE",
        "STATUS",
    ];
    let starts: Vec<usize> = columns
        .iter()
        .map(|c| {
            header
                .find(c)
                .unwrap_or_else(|| panic!("{c} in {header:?}"))
        })
        .collect();
    let body = &lines[3..3 + rows.len()];
    for (line, r) in body.iter().zip(&rows) {
        let at = |i: usize| line.get(starts[i]..).unwrap_or_default();
        let id = r["session_id"].as_str().expect("id");
        assert!(at(0).starts_with(id), "{line:?}");
        let device = r["device_type"].as_str().expect("device");
        assert!(at(1).starts_with(device), "{line:?}");
        let browser = format!(
            "{} {}",
            r["browser_name"].as_str().expect("browser"),
            r["browser_version"].as_str().expect("version")
        );
        assert!(at(2).starts_with(&browser), "{line:?}");
        let location = format!(
            "{}, {}",
            r["city"].as_str().expect("city"),
            r["country"].as_str().expect("country")
        );
        assert!(at(3).starts_with(&location), "{line:?}");
        assert!(
            at(4).starts_with(r["ip_address"].as_str().expect("ip")),
            "{line:?}"
        );
        assert!(
            at(5).starts_with("just now")
                || at(5)
                    .split("  ")
                    .next()
                    .is_some_and(|s| s.ends_with(" ago")),
            "{line:?}"
        );
        assert_eq!(at(6), r["status"].as_str().expect("status"), "{line:?}");
        let marked = line.starts_with('*');
        assert_eq!(marked, id == "sess_2alice_personal", "{line:?}");
    }
    assert!(
        printed.ends_with("* the current session (--current)"),
        "{printed}"
    );
    assert!(printed.contains("iPhone (mobile)"), "{printed}");
}

#[test]
fn devices_colours_the_status_on_a_terminal_unless_no_color_is_set() {
    let dev = Dev::start();
    let args = ["sessions", "devices", "--user", "user_2alice"];
    let forced = dev.run_env(&args, &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    assert!(stdout(&forced).contains("\u{1b}["), "{}", stdout(&forced));
    let plain = dev.run_env(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!stdout(&plain).contains('\u{1b}'), "{}", stdout(&plain));
}

#[test]
fn devices_with_a_current_session_of_someone_else_is_refused() {
    let dev = Dev::start();
    let out = dev.run(&[
        "sessions",
        "devices",
        "--user",
        "user_2alice",
        "--current",
        "sess_2bob_acme",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("--current sess_2bob_acme"),
        "{}",
        text(&out)
    );
}

#[test]
fn revoke_others_signs_out_every_other_device_without_asking_and_says_what_it_did() {
    let dev = Dev::start();
    let out = dev.run(&[
        "sessions",
        "revoke-others",
        "--user",
        "user_2alice",
        "--keep",
        "sess_2alice_acme",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert!(
        lines[1].starts_with("kept") && lines[1].contains("sess_2alice_acme"),
        "{printed}"
    );
    assert!(
        lines[2].starts_with("revoked") && lines[2].contains("sess_2alice_personal"),
        "{printed}"
    );
    assert!(lines[2].contains("iPhone"), "names the device: {printed}");
    assert!(
        printed.contains("revoked 1 of 1 other active session(s) of user_2alice"),
        "{printed}"
    );
    let rows = devices_json(&dev, "user_2alice", &[]);
    let active: Vec<&Value> = rows.iter().filter(|r| r["status"] == "active").collect();
    assert_eq!(active.len(), 1, "{rows:?}");
    assert_eq!(active[0]["session_id"], "sess_2alice_acme");
    assert_eq!(row(&rows, "sess_2alice_personal")["status"], "revoked");
    // Bob is untouched.
    assert_eq!(
        row(&devices_json(&dev, "user_2bob", &[]), "sess_2bob_acme")["status"],
        "active"
    );

    // Nothing left to revoke: still fine, and says so.
    let again = dev.run(&[
        "sessions",
        "revoke-others",
        "--user",
        "user_2alice",
        "--keep",
        "sess_2alice_acme",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        stdout(&again).contains("revoked 0 of 0"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn revoke_others_refuses_when_the_session_to_keep_is_not_active() {
    let dev = Dev::start();
    for keep in ["sess_2alice_old", "sess_2bob_acme", "sess_nope"] {
        let out = dev.run(&[
            "sessions",
            "revoke-others",
            "--user",
            "user_2alice",
            "--keep",
            keep,
        ]);
        assert_eq!(out.status.code(), Some(1), "{keep}: {}", text(&out));
        assert!(text(&out).contains("nothing was revoked"), "{}", text(&out));
        assert!(text(&out).contains(keep), "{}", text(&out));
    }
    let rows = devices_json(&dev, "user_2alice", &[]);
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "active").count(),
        2,
        "nothing revoked: {rows:?}"
    );
}

#[test]
fn revoke_others_with_one_failed_revoke_exits_1_naming_the_session_still_active_and_the_error() {
    // Alice gets a third active session (a copy of the iPhone one on a laptop), so one revoke
    // can fail while the other succeeds.
    let mut seed =
        Seed::default_seed_at(UnixMillis::now(&Clock::system())).expect("the default seed");
    let mut laptop = seed
        .sessions
        .iter()
        .find(|s| s.id == "sess_2alice_personal")
        .expect("the seed has Alice's personal session")
        .clone();
    laptop.id = "sess_2alice_laptop".to_owned();
    laptop.client_id = "client_2alice_laptop".to_owned();
    if let Some(activity) = laptop.latest_activity.as_mut() {
        activity.id = "sess_activity_2alice_laptop".to_owned();
    }
    seed.sessions.push(laptop);
    let fake = FakeClerk::start_with(seed);
    fake.inject(Fault::status(500).on("/v1/sessions/sess_2alice_personal/revoke"));

    let out = Command::new(BIN)
        .args([
            "sessions",
            "revoke-others",
            "--user",
            "user_2alice",
            "--keep",
            "sess_2alice_acme",
        ])
        .env("CLERK_API_URL", fake.url())
        .env("CLERK_SECRET_KEY", fake.secret_key())
        .env_remove("CLERK_PUBLISHABLE_KEY")
        .env_remove("CLERK_JWT_KEY")
        .env("NO_COLOR", "1")
        .output()
        .expect("clerk-claims runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let printed = text(&out);
    let line = |id: &str| -> &str {
        printed
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_else(|| panic!("a row for {id}: {printed}"))
    };
    assert!(line("sess_2alice_acme").starts_with("kept"), "{printed}");
    assert!(
        line("sess_2alice_laptop").starts_with("revoked"),
        "{printed}"
    );
    let failed = line("sess_2alice_personal");
    assert!(failed.starts_with("FAILED"), "{printed}");
    assert!(
        failed.contains("Safari 18.1 on iPhone (mobile); not revoked: "),
        "the row names the device: {printed}"
    );
    assert!(
        failed.contains("POST /v1/sessions/sess_2alice_personal/revoke failed with 500"),
        "the row says the error: {printed}"
    );
    // The table's header starts its own line, aligned with the rows.
    let header = printed
        .lines()
        .find(|l| l.trim_start().starts_with("SESSION"))
        .unwrap_or_else(|| panic!("a header row: {printed}"));
    assert_eq!(
        header.find("SESSION"),
        line("sess_2alice_acme").find("sess_2alice_acme"),
        "{printed}"
    );
    assert!(
        printed.contains("revoked 1 of 2 other active session(s) of user_2alice"),
        "{printed}"
    );
    assert!(
        printed.starts_with(
            "clerk-claims: 1 of 2 revoke(s) failed; still active: sess_2alice_personal \
             (run it again to retry)\n"
        ),
        "{printed}"
    );

    // The fake agrees: the failed one is still active, the other was revoked.
    let api = fake.api().expect("a client for the fake");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let status = |id: &str| {
        runtime
            .block_on(api.get_session(id))
            .unwrap_or_else(|e| panic!("{id}: {e}"))
            .status
    };
    assert_eq!(status("sess_2alice_acme"), SessionStatus::Active);
    assert_eq!(status("sess_2alice_personal"), SessionStatus::Active);
    assert_eq!(status("sess_2alice_laptop"), SessionStatus::Revoked);
}
