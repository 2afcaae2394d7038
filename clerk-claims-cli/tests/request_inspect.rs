//! `clerk-claims request inspect`: the built binary on requests written as JSON, with the keys
//! in the environment and a fixed `--now`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use clerk_claims::source::PublishableKey;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::{Value, json};

const NOW: i64 = 1_767_225_600;

/// Where the request comes from: standard input (`-`) or a file argument.
enum Input<'a> {
    Stdin(&'a Value),
    File(&'a str),
}

/// Runs `request inspect INPUT --now NOW EXTRA…` with exactly these `CLERK_*` variables.
fn inspect_with(keys: &[(&str, &str)], input: Input<'_>, extra: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-claims"));
    command
        .args(["request", "inspect"])
        .arg(match input {
            Input::Stdin(_) => "-",
            Input::File(path) => path,
        })
        .args(["--now", &NOW.to_string()])
        .args(extra)
        .env_remove("CLERK_PUBLISHABLE_KEY")
        .env_remove("CLERK_JWT_KEY")
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("CLERK_API_URL")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in keys {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin piped");
    if let Input::Stdin(request) = input {
        stdin
            .write_all(request.to_string().as_bytes())
            .expect("write the request");
    }
    drop(stdin);
    child.wait_with_output().expect("the binary exits")
}

/// `request inspect -` on `request` with the issuer's publishable key (production when `live`)
/// and its public key as `CLERK_JWT_KEY`.
fn inspect(issuer: &TestIssuer, live: bool, request: &Value, extra: &[&str]) -> Output {
    let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), live);
    let pem = issuer.public_key_pem();
    inspect_with(
        &[
            ("CLERK_PUBLISHABLE_KEY", pk.as_str()),
            ("CLERK_JWT_KEY", &pem),
        ],
        Input::Stdin(request),
        extra,
    )
}

/// The readable report (stdout).
fn readable(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
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

/// The `What to change:` line of a readable report.
fn change_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("What to change: "))
        .unwrap_or_else(|| panic!("the report says what to change: {text}"))
}

#[test]
fn a_session_cookie_without_client_uat_on_a_fetch_is_signed_out_naming_cookie_domain_and_samesite()
{
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let request = json!({
        "url": "https://app.example/api/items",
        "headers": { "cookie": format!("__session={token}"), "sec-fetch-dest": "empty" },
    });
    let json_output = inspect(&issuer, true, &request, &["--json"]);
    assert_eq!(json_output.status.code(), Some(1));
    assert_eq!(json_of(&json_output)["status"], "signed-out");
    assert_eq!(
        json_of(&json_output)["reason"],
        "session-token-but-no-client-uat"
    );

    let output = inspect(&issuer, true, &request, &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = readable(&output);
    assert!(
        !text.contains('\u{1b}'),
        "no colour escapes when stdout is not a terminal: {text:?}"
    );
    assert!(
        text.contains("reason:  session-token-but-no-client-uat"),
        "{text}"
    );
    assert!(
        text.contains("Why: A __session cookie came without __client_uat"),
        "{text}"
    );
    let change = change_line(&text);
    assert!(change.contains("check their Domain and Path"), "{change}");
    assert!(
        change.contains("SameSite (Strict blocks cross-site navigations)"),
        "{change}"
    );
    assert!(
        text.contains("Note: A page load (GET with Sec-Fetch-Dest: document"),
        "{text}"
    );
}

#[test]
fn a_token_from_another_instance_is_signed_out_saying_so_and_naming_the_keys() {
    let issuer = TestIssuer::new();
    let other = TestIssuer::new();
    let token = other
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let request = json!({
        "url": "https://app.example/api",
        "headers": { "authorization": format!("Bearer {token}") },
    });
    let json_output = inspect(&issuer, true, &request, &["--json"]);
    assert_eq!(json_output.status.code(), Some(1));
    let answer = json_of(&json_output);
    assert_eq!(answer["status"], "signed-out");
    assert_eq!(answer["reason"], "token-invalid-signature");
    assert_eq!(answer["auth"], Value::Null);

    let output = inspect(&issuer, true, &request, &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = readable(&output);
    assert!(text.contains("reason:  token-invalid-signature"), "{text}");
    assert!(text.contains("it comes from another instance"), "{text}");
    let change = change_line(&text);
    for key in [
        "CLERK_PUBLISHABLE_KEY",
        "CLERK_SECRET_KEY",
        "CLERK_JWT_KEY",
        "the instance the frontend signs in with",
    ] {
        assert!(change.contains(key), "{key}: {change}");
    }
}

#[test]
fn a_token_from_another_instance_against_the_instances_jwks_is_a_kid_mismatch_saying_so() {
    // Keys from the Backend API (CLERK_SECRET_KEY + CLERK_API_URL), as in production: the
    // other instance's kid is not in this instance's JWKS.
    let fake = FakeClerk::start();
    let other = TestIssuer::new();
    let token = other
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let request = json!({
        "url": "https://app.example/api",
        "headers": { "authorization": format!("Bearer {token}") },
    });
    let pk = fake.publishable_key();
    let url = fake.url();
    let keys = [
        ("CLERK_PUBLISHABLE_KEY", pk.as_str()),
        ("CLERK_SECRET_KEY", fake.secret_key()),
        ("CLERK_API_URL", url.as_str()),
    ];
    let json_output = inspect_with(&keys, Input::Stdin(&request), &["--json"]);
    assert_eq!(json_output.status.code(), Some(1));
    assert_eq!(json_of(&json_output)["reason"], "jwk-kid-mismatch");

    let output = inspect_with(&keys, Input::Stdin(&request), &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = readable(&output);
    assert!(text.contains("reason:  jwk-kid-mismatch"), "{text}");
    assert!(text.contains("it comes from another instance"), "{text}");
    let change = change_line(&text);
    assert!(
        change.contains("CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY and CLERK_JWT_KEY"),
        "{change}"
    );
}

#[test]
fn a_token_issued_in_the_future_is_signed_out_blaming_this_servers_clock() {
    let issuer = TestIssuer::new();
    // The issuer sets `nbf` 10 s before `iat`; 5 s of skew are allowed. `iat` 10 s ahead
    // passes `nbf` and fails `iat`; 60 s ahead fails `nbf` first.
    for (ahead, reason) in [
        (10, "session-token-iat-in-the-future"),
        (60, "session-token-nbf"),
    ] {
        let token = issuer
            .session()
            .azp("https://app.example")
            .issued_at(NOW + ahead)
            .mint();
        let request = json!({
            "url": "https://app.example/api/items",
            "headers": { "cookie": format!("__session={token}; __client_uat={}", NOW - 60), "sec-fetch-dest": "empty" },
        });
        let json_output = inspect(&issuer, true, &request, &["--json"]);
        assert_eq!(json_output.status.code(), Some(1), "{reason}");
        assert_eq!(json_of(&json_output)["reason"], reason);

        let output = inspect(&issuer, true, &request, &[]);
        assert_eq!(output.status.code(), Some(1), "{reason}");
        let text = readable(&output);
        assert!(text.contains(&format!("reason:  {reason}")), "{text}");
        assert!(
            text.contains(
                "Why: The session token is not valid yet: this server's clock is behind Clerk's."
            ),
            "{text}"
        );
        let change = change_line(&text);
        assert!(
            change.contains("Check this server's clock against real time (NTP)"),
            "{change}"
        );
    }
}

#[test]
fn the_third_handshake_in_a_row_is_signed_out_with_a_redirect_loop_note() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let page_load = |redirect_count: u32| {
        json!({
            "url": "https://app.example/dashboard",
            "headers": {
                "cookie": format!("__session={token}; __clerk_redirect_count={redirect_count}"),
                "sec-fetch-dest": "document",
            },
        })
    };
    // The second in a row still redirects, counting on.
    let second = inspect(&issuer, true, &page_load(2), &["--json"]);
    assert_eq!(second.status.code(), Some(4));
    assert_eq!(
        json_of(&second)["headers"]["set-cookie"],
        json!(["__clerk_redirect_count=3; SameSite=Lax; HttpOnly; Max-Age=2"])
    );

    let third = inspect(&issuer, true, &page_load(3), &["--json"]);
    assert_eq!(third.status.code(), Some(1));
    let answer = json_of(&third);
    assert_eq!(answer["status"], "signed-out");
    assert_eq!(answer["reason"], "session-token-but-no-client-uat");
    assert_eq!(answer["headers"]["location"], Value::Null);

    let output = inspect(&issuer, true, &page_load(3), &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = readable(&output);
    let note = text
        .lines()
        .find(|l| l.starts_with("Note: "))
        .unwrap_or_else(|| panic!("a note: {text}"));
    assert!(
        note.contains("This is the third handshake in a row (__clerk_redirect_count=3)"),
        "{note}"
    );
    assert!(
        note.contains("the __session comes from another instance than the keys"),
        "{note}"
    );
    assert!(
        note.contains("(Domain, SameSite, Secure on http)"),
        "{note}"
    );
    assert!(!text.contains("would get a handshake here"), "{text}");
    assert!(!text.contains("Redirect to:"), "{text}");
}

/// The keys of a JSON object, sorted.
fn sorted_keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object
        .as_object()
        .unwrap_or_else(|| panic!("an object: {object}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn json_has_exactly_status_reason_message_cause_fix_causes_notes_headers_and_auth_in_every_state() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_cli")
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let signed_in = json!({
        "url": "https://app.example/dashboard",
        "headers": { "cookie": format!("__session={token}; __client_uat={}", NOW - 60), "sec-fetch-dest": "document" },
    });
    let signed_out =
        json!({ "url": "https://app.example/api", "headers": { "sec-fetch-dest": "empty" } });
    let handshake = json!({ "url": "https://app.example/dashboard", "headers": { "sec-fetch-dest": "document" } });
    for (request, live, status, code) in [
        (&signed_in, true, "signed-in", 0),
        (&signed_out, true, "signed-out", 1),
        (&handshake, false, "handshake", 4),
    ] {
        let output = inspect(&issuer, live, request, &["--json"]);
        assert_eq!(output.status.code(), Some(code), "{status}");
        let answer = json_of(&output);
        assert_eq!(answer["status"], status);
        assert_eq!(
            sorted_keys(&answer),
            [
                "auth", "cause", "causes", "fix", "headers", "message", "notes", "reason", "status"
            ],
            "{status}: {answer:#}"
        );
        assert_eq!(
            sorted_keys(&answer["headers"]),
            ["location", "set-cookie"],
            "{status}: {answer:#}"
        );
        assert!(
            answer["headers"]["set-cookie"].is_array(),
            "{status}: {answer:#}"
        );
    }
}

#[test]
fn a_request_file_argument_is_read_like_standard_input() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_from_file")
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let request = json!({
        "method": "GET",
        "url": "https://app.example/dashboard",
        "headers": { "cookie": format!("__session={token}; __client_uat={}", NOW - 60), "sec-fetch-dest": "document" },
    });
    let path = format!(
        "{}/request-inspect-{}.json",
        env!("CARGO_TARGET_TMPDIR"),
        std::process::id()
    );
    std::fs::write(&path, request.to_string()).expect("write the request file");
    let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), true);
    let pem = issuer.public_key_pem();
    let keys = [
        ("CLERK_PUBLISHABLE_KEY", pk.as_str()),
        ("CLERK_JWT_KEY", pem.as_str()),
    ];
    let from_file = inspect_with(&keys, Input::File(&path), &["--json"]);
    let from_stdin = inspect_with(&keys, Input::Stdin(&request), &["--json"]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        from_file.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    assert_eq!(json_of(&from_file)["auth"]["user_id"], "user_from_file");
    assert_eq!(json_of(&from_file), json_of(&from_stdin));

    let missing = format!("{}/no-such-request.json", env!("CARGO_TARGET_TMPDIR"));
    let output = inspect_with(&keys, Input::File(&missing), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot read the request {missing}")),
        "{stderr}"
    );
}
