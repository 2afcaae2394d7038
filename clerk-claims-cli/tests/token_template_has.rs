//! `token inspect --template --has …`: `has()` reads session-token claims, so on a template
//! token it is a usage error that says why, never a silent FAIL.

use crate::common::{self, Dev, fixture, text};

#[test]
fn has_on_a_template_token_is_a_usage_error_naming_why() {
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    // Alice is org:admin in Acme: the template's `role` claim is `org:admin`.
    let minted = dev.run(&["sessions", "token", "sess_2alice_acme", "--template", "api"]);
    assert_eq!(minted.status.code(), Some(0), "{}", text(&minted));
    let jwt = common::stdout(&minted);
    let (code, report) = dev.inspect(&jwt, true);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["claims"]["role"], "org:admin", "{report}");

    let url = dev.jwks_url();
    let out = dev.run(&[
        "token",
        "inspect",
        &jwt,
        "--jwks-url",
        &url,
        "--template",
        "--has",
        "role=org:admin",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        out.stdout.is_empty(),
        "no report, no FAIL line: {}",
        text(&out)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "has()",
        "session token",
        "template declares",
        "require_role",
    ] {
        assert!(err.contains(needle), "{needle:?} in {err}");
    }
    assert!(!err.contains("FAIL"), "{err}");

    // The same check on a session token of that session runs and passes.
    let session = dev.run(&["sessions", "token", "sess_2alice_acme"]);
    let session_jwt = common::stdout(&session);
    let out = dev.run(&[
        "token",
        "inspect",
        &session_jwt,
        "--jwks-url",
        &url,
        "--has",
        "role=org:admin",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("pass  role=org:admin"),
        "{}",
        text(&out)
    );
}
