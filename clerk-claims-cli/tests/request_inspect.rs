//! `clerk-claims request inspect`: the built binary on requests written as JSON, with the keys
//! in the environment and a fixed `--now`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use clerk_claims::source::PublishableKey;
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::{Value, json};

const NOW: i64 = 1_767_225_600;

fn inspect(issuer: &TestIssuer, live: bool, request: &Value, extra: &[&str]) -> Output {
    let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), live);
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-claims"))
        .args(["request", "inspect", "-", "--now", &NOW.to_string()])
        .args(extra)
        .env("CLERK_PUBLISHABLE_KEY", pk.as_str())
        .env("CLERK_JWT_KEY", issuer.public_key_pem())
        .env_remove("CLERK_SECRET_KEY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(request.to_string().as_bytes())
        .expect("write the request");
    child.wait_with_output().expect("the binary exits")
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

#[test]
fn a_fresh_cookie_with_an_older_client_uat_is_signed_in_with_exit_0() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_cli")
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let request = json!({
        "url": "https://app.example/dashboard",
        "headers": { "cookie": format!("__session={token}; __client_uat={}", NOW - 60), "sec-fetch-dest": "document" },
    });
    let output = inspect(&issuer, true, &request, &["--json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer = json_of(&output);
    assert_eq!(answer["status"], "signed-in");
    assert_eq!(answer["reason"], Value::Null);
    assert_eq!(answer["auth"]["user_id"], "user_cli");
    assert_eq!(answer["headers"]["location"], Value::Null);
}

#[test]
fn a_development_page_load_without_dev_browser_is_a_handshake_with_exit_4() {
    let issuer = TestIssuer::new();
    let request = json!({ "url": "https://app.example/dashboard", "headers": { "sec-fetch-dest": "document" } });
    let output = inspect(&issuer, false, &request, &["--json"]);
    assert_eq!(output.status.code(), Some(4));
    let answer = json_of(&output);
    assert_eq!(answer["status"], "handshake");
    assert_eq!(answer["reason"], "dev-browser-missing");
    let location = answer["headers"]["location"].as_str().expect("a redirect");
    assert!(
        location.starts_with(&format!(
            "https://{}/v1/client/handshake?redirect_url=",
            issuer.frontend_api()
        )),
        "{location}"
    );
    assert_eq!(
        answer["headers"]["set-cookie"],
        json!(["__clerk_redirect_count=1; SameSite=Lax; HttpOnly; Max-Age=2"])
    );
}

#[test]
fn an_expired_token_on_a_fetch_is_signed_out_with_exit_1_and_says_what_to_change() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 3600)
        .mint();
    let request = json!({
        "url": "https://app.example/api/items",
        "headers": { "cookie": format!("__session={token}; __client_uat={}", NOW - 7200), "sec-fetch-dest": "empty" },
    });
    let output = inspect(&issuer, true, &request, &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("signed out"), "{text}");
    assert!(
        text.contains("reason:  session-token-expired-refresh-non-eligible-no-refresh-cookie"),
        "{text}"
    );
    assert!(
        text.contains("What to change: Page loads get a handshake"),
        "{text}"
    );
    assert!(text.contains("Note: A page load"), "{text}");
}

#[test]
fn an_unlisted_authorized_party_is_signed_out_naming_the_flag() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .azp("https://evil.example")
        .issued_at(NOW - 5)
        .mint();
    let request = json!({ "url": "https://app.example/api", "headers": { "authorization": format!("Bearer {token}") } });
    let output = inspect(
        &issuer,
        true,
        &request,
        &["--authorized-party", "https://app.example", "--json"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json_of(&output)["reason"],
        "token-invalid-authorized-parties"
    );
    let text = inspect(
        &issuer,
        true,
        &request,
        &["--authorized-party", "https://app.example"],
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("--authorized-party"));
}

#[test]
fn a_request_that_is_not_json_is_a_usage_error_with_exit_2() {
    let issuer = TestIssuer::new();
    let output = inspect(&issuer, true, &json!("not a request"), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("expected a request as JSON"));
}
