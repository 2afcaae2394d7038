//! The commands name the real cause of a stuck session and its fix, in the readable output and
//! in `--json` (`error.cause`/`error.fix` of `token inspect`, `cause`/`fix`/`causes` of
//! `request inspect`, `fix` of `doctor`): a clock off, a token of another instance, a secret
//! key with a typo, a session token checked as a template token, a token's own lifetime,
//! cookies on a cross-site request. Real tokens of `clerk-claims dev` (two where two instances
//! are needed); the clock is shifted with `--now`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use clerk_claims::source::PublishableKey;
use clerk_claims::verify::advice::secret_key_refused;
use serde_json::{Value, json};

use crate::common::{Dev, fixture, stdout, text};

const SESSION: &str = "sess_2alice_acme";

/// A fresh session token of `dev` and its `iat`.
fn session_token(dev: &Dev) -> (String, i64) {
    let out = dev.run(&["sessions", "token", SESSION]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let jwt = stdout(&out);
    let iat = claims(&jwt)["iat"].as_i64().expect("an iat");
    (jwt, iat)
}

/// The payload of a JWT, decoded without verifying.
fn claims(jwt: &str) -> Value {
    let decoded = clerk_claims::verify::decode_unverified(jwt).expect("a JWT");
    Value::Object(decoded.payload)
}

/// The issuer of a dev's instance, from its publishable key.
fn issuer(dev: &Dev) -> String {
    PublishableKey::parse(&dev.publishable_key)
        .expect("dev prints a valid publishable key")
        .issuer()
}

/// `token inspect ARGS` against `dev` (its secret key, API URL and publishable key), readable and
/// `--json`.
fn inspect(dev: &Dev, args: &[&str], env: &[(&str, &str)]) -> (String, Value) {
    let mut env_all = vec![("CLERK_PUBLISHABLE_KEY", dev.publishable_key.as_str())];
    env_all.extend_from_slice(env);
    let mut argv = vec!["token", "inspect"];
    argv.extend_from_slice(args);
    let readable = dev.run_env(&argv, &env_all);
    argv.push("--json");
    let json = dev.run_env(&argv, &env_all);
    let report = serde_json::from_slice(&json.stdout)
        .unwrap_or_else(|e| panic!("--json prints JSON ({e}): {}", text(&json)));
    (
        String::from_utf8_lossy(&readable.stdout).into_owned(),
        report,
    )
}

/// `request inspect -` on `request` with `dev`'s keys, `--now now`: readable and `--json`.
fn request_inspect(dev: &Dev, request: &Value, now: i64) -> (String, Value) {
    let run = |json: bool| -> Output {
        let mut command = Command::new(crate::common::BIN);
        command
            .args(["request", "inspect", "-", "--now", &now.to_string()])
            .args(json.then_some("--json"))
            .env("CLERK_API_URL", &dev.url)
            .env("CLERK_SECRET_KEY", &dev.key)
            .env("CLERK_PUBLISHABLE_KEY", &dev.publishable_key)
            .env_remove("CLERK_JWT_KEY")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the binary runs");
        let mut stdin = child.stdin.take().expect("stdin piped");
        stdin
            .write_all(request.to_string().as_bytes())
            .expect("write the request");
        drop(stdin);
        child.wait_with_output().expect("the binary exits")
    };
    let readable = run(false);
    let json = run(true);
    let report = serde_json::from_slice(&json.stdout)
        .unwrap_or_else(|e| panic!("--json prints JSON ({e}): {}", text(&json)));
    (
        String::from_utf8_lossy(&readable.stdout).into_owned(),
        report,
    )
}

/// The `N` of "by about N s" in `text`.
fn offset_in(text: &str) -> i64 {
    let at = text
        .find("by about ")
        .unwrap_or_else(|| panic!("an offset in {text}"));
    text[at + 9..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a number after `by about` in {text}"))
}

#[test]
fn a_fresh_token_on_a_clock_180_s_ahead_is_blamed_on_the_clock_with_its_offset_not_the_keys() {
    let dev = Dev::start();
    let (jwt, iat) = session_token(&dev);
    let now = (iat + 180).to_string();
    let (readable, report) = inspect(&dev, &[&jwt, "--now", &now], &[]);
    let error = &report["error"];
    assert_eq!(error["reason"], "token-expired", "{report:#}");
    let cause = error["cause"].as_str().unwrap_or_default();
    assert!(
        cause.contains("this machine's clock is ahead by about"),
        "{report:#}"
    );
    // The Backend API's Date header is the reference: about 180 s, within a few seconds of
    // the test's own running time.
    assert!((170..=190).contains(&offset_in(cause)), "{cause}");
    let fix = error["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("NTP"), "{fix}");
    assert!(!fix.contains("JWKS"), "not the keys: {fix}");
    assert!(
        readable.contains("cause: this machine's clock is ahead by about"),
        "{readable}"
    );
    assert!(
        readable.contains("what to do: sync this machine's clock"),
        "{readable}"
    );
}

#[test]
fn a_fresh_token_on_a_clock_180_s_behind_is_blamed_on_the_clock_with_its_offset() {
    let dev = Dev::start();
    let (jwt, iat) = session_token(&dev);
    let now = (iat - 180).to_string();
    let (readable, report) = inspect(&dev, &[&jwt, "--now", &now], &[]);
    let cause = report["error"]["cause"].as_str().unwrap_or_default();
    assert!(
        cause.contains("this machine's clock is behind by about"),
        "{report:#}"
    );
    assert!((170..=190).contains(&offset_in(cause)), "{cause}");
    assert!(
        report["error"]["fix"]
            .as_str()
            .is_some_and(|f| f.contains("NTP")),
        "{report:#}"
    );
    assert!(readable.contains("clock is behind by about"), "{readable}");
}

#[test]
fn a_request_with_a_fresh_cookie_on_a_clock_ahead_names_the_clock_offset() {
    let dev = Dev::start();
    let (jwt, iat) = session_token(&dev);
    let request = json!({
        "url": "http://localhost:3000/api/me",
        "cookies": {"__session": jwt, "__client_uat": (iat - 30).to_string(), "__clerk_db_jwt": "dvb_2test"},
    });
    let (readable, report) = request_inspect(&dev, &request, iat + 180);
    assert_eq!(report["status"], "signed-out", "{report:#}");
    let cause = report["cause"].as_str().unwrap_or_default();
    assert!(cause.contains("clock is ahead by about"), "{report:#}");
    assert!((170..=190).contains(&offset_in(cause)), "{cause}");
    assert!(
        report["fix"].as_str().is_some_and(|f| f.contains("NTP")),
        "{report:#}"
    );
    assert!(
        readable.contains("Cause: this machine's clock is ahead by about"),
        "{readable}"
    );
}

#[test]
fn a_token_of_another_instance_is_named_that_first_by_token_inspect() {
    let ours = Dev::start();
    let theirs = Dev::start();
    let (jwt, _) = session_token(&theirs);
    let (readable, report) = inspect(&ours, &[&jwt], &[]);
    let expected = format!(
        "this token was issued by {}, not your instance {}",
        issuer(&theirs),
        issuer(&ours)
    );
    let error = &report["error"];
    assert_eq!(error["reason"], "jwk-kid-mismatch", "{report:#}");
    assert!(
        error["cause"]
            .as_str()
            .is_some_and(|c| c.starts_with(&expected)),
        "{report:#}"
    );
    assert!(
        error["fix"]
            .as_str()
            .is_some_and(|f| f.contains("sign in again") && f.contains("keys of one instance")),
        "{report:#}"
    );
    assert!(!readable.contains("Contact support"), "{readable}");
    assert!(
        readable.contains(&format!("cause: {expected}")),
        "{readable}"
    );
    // Not verified, it is still said first.
    let (readable, report) = inspect(&ours, &[&jwt, "--no-verify"], &[]);
    assert!(
        report["notes"][0]["cause"]
            .as_str()
            .is_some_and(|c| c.starts_with(&expected)),
        "{report:#}"
    );
    assert!(
        readable.contains(&format!("note: {expected}")),
        "{readable}"
    );
}

#[test]
fn a_session_cookie_of_another_instance_is_named_that_first_by_request_inspect() {
    let ours = Dev::start();
    let theirs = Dev::start();
    let (jwt, iat) = session_token(&theirs);
    let request = json!({
        "url": "http://localhost:3000/dashboard",
        "headers": {"sec-fetch-dest": "document"},
        "cookies": {"__session": jwt, "__client_uat": (iat - 30).to_string()},
    });
    let (readable, report) = request_inspect(&ours, &request, iat);
    let expected = format!(
        "this __session cookie was issued by {}, not your instance {}",
        issuer(&theirs),
        issuer(&ours)
    );
    assert!(
        report["cause"]
            .as_str()
            .is_some_and(|c| c.starts_with(&expected) && c.contains("so it is ignored")),
        "{report:#}"
    );
    assert!(
        report["fix"]
            .as_str()
            .is_some_and(|f| f.contains("sign in again")),
        "{report:#}"
    );
    // The message is not left empty for tools: the cause is there.
    assert!(report["causes"][0]["cause"].is_string(), "{report:#}");
    let first_cause = readable
        .lines()
        .find(|l| l.starts_with("Cause: "))
        .unwrap_or_else(|| panic!("a cause: {readable}"));
    assert!(first_cause.contains(&expected), "{readable}");
}

#[test]
fn a_secret_key_with_a_typo_gets_one_advice_from_token_inspect_and_doctor() {
    let dev = Dev::start();
    let (jwt, _) = session_token(&dev);
    let typo = format!("{}x", dev.key);
    // Keys from the secret key alone: the publishable key would fetch the Frontend API's.
    let out = dev.run_env(
        &["token", "inspect", &jwt, "--json"],
        &[("CLERK_SECRET_KEY", &typo)],
    );
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", text(&out)));
    let shared_fix = secret_key_refused("any").fix;
    assert_eq!(
        report["error"]["reason"], "secret-key-invalid",
        "{report:#}"
    );
    assert_eq!(report["error"]["fix"], shared_fix.as_str(), "{report:#}");
    assert!(
        report["error"]["cause"]
            .as_str()
            .is_some_and(|c| c.contains("refused CLERK_SECRET_KEY: it is set")),
        "{report:#}"
    );
    let readable = dev.run_env(&["token", "inspect", &jwt], &[("CLERK_SECRET_KEY", &typo)]);
    let readable = String::from_utf8_lossy(&readable.stdout);
    assert!(!readable.contains("Set the CLERK_SECRET_KEY"), "{readable}");
    assert!(readable.contains(&shared_fix), "{readable}");

    let doctor = dev.run_env(
        &["doctor", "basic", "--json", "--user", "user_2alice"],
        &[
            ("CLERK_SECRET_KEY", &typo),
            ("CLERK_PUBLISHABLE_KEY", &dev.publishable_key),
        ],
    );
    let doctor: Value = serde_json::from_slice(&doctor.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", text(&doctor)));
    assert_eq!(
        doctor["checks"][0]["fix"],
        shared_fix.as_str(),
        "{doctor:#}"
    );
}

#[test]
fn a_session_token_checked_as_a_template_token_says_template_claims_come_with_get_token_template() {
    let dev = Dev::start();
    let (jwt, _) = session_token(&dev);
    let (readable, report) = inspect(&dev, &[&jwt, "--template"], &[]);
    let error = &report["error"];
    assert_eq!(error["reason"], "token-type-mismatch", "{report:#}");
    assert!(
        error["cause"]
            .as_str()
            .is_some_and(|c| c.contains("this is a session token")
                && c.contains("custom claims are undefined")),
        "{report:#}"
    );
    assert!(
        error["fix"].as_str().is_some_and(
            |f| f.contains("getToken({ template:") && f.contains("Customize session token")
        ),
        "{report:#}"
    );
    assert!(readable.contains("getToken({ template:"), "{readable}");
}

#[test]
fn an_expired_template_token_is_told_its_own_lifetime_and_how_template_tokens_refresh() {
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let out = dev.run(&["sessions", "token", SESSION, "--template", "api"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let jwt = stdout(&out);
    let payload = claims(&jwt);
    let (iat, exp) = (
        payload["iat"].as_i64().expect("iat"),
        payload["exp"].as_i64().expect("exp"),
    );
    // Inspected long after, with no Backend API time to compare: the token's own lifetime.
    let later = (exp + 100).to_string();
    let jwks = dev.jwks_url();
    let (readable, report) = inspect(
        &dev,
        &[&jwt, "--template", "--now", &later, "--jwks-url", &jwks],
        &[("CLERK_API_URL", "http://127.0.0.1:9")],
    );
    let lifetime = format!("lives {} s (exp - iat)", exp - iat);
    let error = &report["error"];
    assert_eq!(error["reason"], "token-expired", "{report:#}");
    assert!(
        error["cause"]
            .as_str()
            .is_some_and(|c| c.contains("this JWT-template token") && c.contains(&lifetime)),
        "{report:#}"
    );
    assert!(
        error["fix"]
            .as_str()
            .is_some_and(|f| f.contains("getToken({ template:") && f.contains("TemplateTokens")),
        "{report:#}"
    );
    assert!(
        !readable.contains("Session tokens live 60 seconds"),
        "{readable}"
    );
    assert!(readable.contains(&lifetime), "{readable}");
}

#[test]
fn a_session_token_with_5_s_left_gets_refresh_advice_before_it_expires() {
    let dev = Dev::start();
    let (jwt, _) = session_token(&dev);
    let exp = claims(&jwt)["exp"].as_i64().expect("exp");
    let almost = (exp - 5).to_string();
    let (readable, report) = inspect(&dev, &[&jwt, "--now", &almost], &[]);
    assert_eq!(report["verified"], true, "{report:#}");
    let note = &report["notes"][0];
    assert!(
        note["cause"].as_str().is_some_and(
            |c| c.contains("this session token lives 60 s (exp - iat) and expires in 5 s")
        ),
        "{report:#}"
    );
    assert!(
        note["fix"]
            .as_str()
            .is_some_and(|f| f.contains("getToken()")),
        "{report:#}"
    );
    assert!(readable.contains("note: this session token"), "{readable}");
}

#[test]
fn a_cross_site_request_says_the_browser_sends_no_cookies_and_suggests_the_bearer_header() {
    let dev = Dev::start();
    let (_, iat) = session_token(&dev);
    let request = json!({
        "method": "GET",
        "url": "https://api.example.com/me",
        "headers": {"origin": "https://app.example.com", "sec-fetch-site": "cross-site"},
    });
    let (readable, report) = request_inspect(&dev, &request, iat);
    assert_eq!(report["status"], "signed-out", "{report:#}");
    assert!(
        report["cause"].as_str().is_some_and(|c| c
            .contains("this request came from app.example.com to api.example.com (cross-site)")),
        "{report:#}"
    );
    assert!(
        report["fix"]
            .as_str()
            .is_some_and(|f| f.contains("Authorization: `Bearer")),
        "{report:#}"
    );
    assert!(
        readable.contains("Cause: this request came from app.example.com"),
        "{readable}"
    );
}

#[test]
fn a_revoked_sessions_token_is_marked_revoked_now_and_devices_mark_the_active_one_without_current()
{
    let dev = Dev::start();
    let out = dev.run(&["sessions", "token", "sess_2alice_personal"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let jwt = stdout(&out);
    let revoke = dev.run(&["sessions", "revoke", "sess_2alice_personal"]);
    assert_eq!(revoke.status.code(), Some(0), "{}", text(&revoke));

    let (readable, report) = inspect(&dev, &[&jwt], &[]);
    assert_eq!(report["session_status"], "revoked", "{report:#}");
    let note = report["notes"]
        .as_array()
        .and_then(|n| {
            n.iter().find(|n| {
                n["cause"]
                    .as_str()
                    .is_some_and(|c| c.contains("is revoked now"))
            })
        })
        .unwrap_or_else(|| panic!("a note on the revoked session: {report:#}"));
    assert!(
        note["fix"]
            .as_str()
            .is_some_and(|f| f.contains("sign in again")),
        "{note}"
    );
    assert!(
        readable.contains("sess_2alice_personal (revoked now"),
        "{readable}"
    );
    assert!(
        !readable.contains("sess_2alice_personal (active)"),
        "{readable}"
    );

    let out = dev.run(&["sessions", "devices", "--user", "user_2alice", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let devices: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = devices["sessions"].as_array().expect("rows");
    let marked: Vec<&str> = rows
        .iter()
        .filter(|r| r["client_active"] == true)
        .filter_map(|r| r["session_id"].as_str())
        .collect();
    assert!(marked.contains(&"sess_2alice_acme"), "{devices:#}");
    assert!(!marked.contains(&"sess_2alice_personal"), "{devices:#}");
    assert!(
        rows.iter()
            .filter(|r| r["client_active"] == true)
            .all(|r| r["status"] == "active"),
        "{devices:#}"
    );
    let out = dev.run(&["sessions", "devices", "--user", "user_2alice"]);
    let printed = stdout(&out);
    assert!(
        printed
            .lines()
            .any(|l| l.starts_with('>') && l.contains("sess_2alice_acme")),
        "{printed}"
    );
    assert!(
        printed.contains("> its client's active session"),
        "{printed}"
    );
}

#[test]
fn doctor_custom_claims_warns_about_claims_null_for_the_user() {
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    // Alice's personal session has no active organization: org_id and role render null.
    let out = dev.run_env(
        &[
            "doctor",
            "custom-claims",
            "--template",
            "api",
            "--session",
            "sess_2alice_personal",
            "--json",
        ],
        &[("CLERK_PUBLISHABLE_KEY", &dev.publishable_key)],
    );
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", text(&out)));
    let check = &report["checks"][0];
    let measured = check["measured"].as_str().unwrap_or_default();
    assert!(
        measured.contains("warning: null for this user: /org_id, /role"),
        "{report:#}"
    );
    assert!(measured.contains("fallback"), "{report:#}");
}

#[test]
fn a_template_token_issued_before_the_template_was_updated_is_told_to_fetch_a_new_one() {
    use base64::Engine as _;
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    // A token of the template from two minutes before its last update (read, not verified).
    let now = clerk_claims::Clock::system().now();
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let jwt = format!(
        "{}.{}.c2ln",
        b64(json!({"alg": "RS256", "typ": "JWT", "cat": "cl_B7d4PD222AAA"})),
        b64(
            json!({"sub": "user_2alice", "iat": now - 120, "exp": now + 180, "email": "a@example.com"})
        ),
    );
    let (readable, report) = inspect(&dev, &[&jwt, "--no-verify", "--template-name", "api"], &[]);
    let note = report["notes"]
        .as_array()
        .and_then(|n| n.first())
        .unwrap_or_else(|| panic!("a note: {report:#}"));
    assert!(
        note["cause"]
            .as_str()
            .is_some_and(|c| c.contains("before template `api` was updated at")),
        "{report:#}"
    );
    assert!(
        note["fix"]
            .as_str()
            .is_some_and(|f| f.contains("getToken({ template: \"api\" })")),
        "{report:#}"
    );
    assert!(
        readable.contains("note: this token was issued at"),
        "{readable}"
    );
}
