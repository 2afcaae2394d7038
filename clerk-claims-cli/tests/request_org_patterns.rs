//! `clerk-claims request inspect --org-pattern P… --personal-pattern P…`: organization sync
//! (Clerk's `organizationSyncOptions`) in the built binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use clerk_claims::source::PublishableKey;
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::{Value, json};

const NOW: i64 = 1_767_225_600;

/// `request inspect - --now NOW --json EXTRA…` on `request`, with the issuer's production key.
fn inspect(issuer: &TestIssuer, request: &Value, extra: &[&str]) -> Output {
    let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), true);
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk-claims"))
        .args([
            "request",
            "inspect",
            "-",
            "--now",
            &NOW.to_string(),
            "--json",
        ])
        .args(extra)
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("CLERK_API_URL")
        .env("CLERK_PUBLISHABLE_KEY", pk.as_str())
        .env("CLERK_JWT_KEY", issuer.public_key_pem())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin piped");
    stdin
        .write_all(request.to_string().as_bytes())
        .expect("write the request");
    drop(stdin);
    child.wait_with_output().expect("the binary exits")
}

fn page(issuer: &TestIssuer, path: &str) -> Value {
    let token = issuer
        .session()
        .user("user_cli")
        .org("org_1", "globex", "admin")
        .issued_at(NOW - 5)
        .mint();
    json!({
        "url": format!("https://app.example{path}"),
        "headers": {
            "cookie": format!("__session={token}; __client_uat={}", NOW - 60),
            "sec-fetch-dest": "document",
        },
    })
}

#[test]
fn org_patterns_send_a_page_of_another_organization_through_a_handshake_with_exit_4() {
    let issuer = TestIssuer::new();
    let patterns = [
        "--org-pattern",
        "/orgs/:slug/(.*)",
        "--personal-pattern",
        "/me",
    ];
    let output = inspect(&issuer, &page(&issuer, "/orgs/acme/invoices"), &patterns);
    assert_eq!(
        output.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(answer["reason"], "active-organization-mismatch");
    let location = answer["headers"]["location"].as_str().expect("a redirect");
    assert!(location.ends_with("&organization_id=acme"), "{location}");
    // The personal account, and the same page without the flags: signed in.
    let output = inspect(&issuer, &page(&issuer, "/me"), &patterns);
    assert_eq!(output.status.code(), Some(4));
    let output = inspect(&issuer, &page(&issuer, "/orgs/acme/invoices"), &[]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_pattern_clerk_refuses_exits_2_naming_the_pattern_and_why() {
    let issuer = TestIssuer::new();
    let output = inspect(
        &issuer,
        &page(&issuer, "/"),
        &["--personal-pattern", "/account/***"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "invalid personal account pattern \"/account/***\": Unexpected MODIFIER at 9, expected END"
        ),
        "{stderr}"
    );
}
