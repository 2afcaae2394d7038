//! `clerk-claims dev` prints, for each seeded user, their public metadata, organization
//! memberships (role, permissions, metadata) and sessions; and the environment it prints
//! configures the other commands (`ClerkEnv`, as `Verifier::from_env` reads it) as printed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{self, BIN, Dev, run, text};

/// Everything `clerk-claims dev` prints before it waits for Ctrl-C.
fn dev_banner() -> String {
    let mut child = Command::new(BIN)
        .args(["dev", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("clerk-claims dev starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut banner = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("dev prints lines");
        let last = line == "Ctrl-C to stop.";
        banner.push_str(&line);
        banner.push('\n');
        if last {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    banner
}

#[test]
fn dev_prints_each_users_roles_permissions_metadata_and_sessions() {
    let banner = dev_banner();
    for line in [
        "  user_2alice <alice@acme.test>; public_metadata {\"plan\":\"pro\",\"hasura_role\":\"editor\"}",
        "    member of org_2acme (acme): role org:admin, permissions org:invoices:read, org:invoices:write, org:sys_memberships:manage, org:sys_memberships:read, org:sys_profile:manage; public_metadata {\"department\":\"finance\"}",
        "    member of org_2globex (globex): role org:member, permissions org:sys_memberships:read",
        "    session sess_2alice_acme: active, org org_2acme as org:admin",
        "    session sess_2bob_ended: ended, no active organization",
        "    session sess_2carol_impersonated: active, no active organization, impersonated by user_2support",
    ] {
        assert!(banner.lines().any(|l| l == line), "{line:?} in\n{banner}");
    }
}

#[test]
fn dev_help_says_it_prints_the_seeds_roles_permissions_and_metadata() {
    let out = run(&["dev", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let help = common::stdout(&out);
    for needle in [
        "role, permissions and public metadata",
        "Verifier::from_env()",
        "CLERK_PUBLISHABLE_KEY",
    ] {
        assert!(help.contains(needle), "{needle:?} in {help}");
    }
}

#[test]
fn the_printed_environment_verifies_tokens_and_signs_requests_in_without_key_flags() {
    let dev = Dev::start();
    let printed = [("CLERK_PUBLISHABLE_KEY", dev.publishable_key.as_str())];
    let minted = dev.run(&["sessions", "token", "sess_2alice_acme"]);
    assert_eq!(minted.status.code(), Some(0), "{}", text(&minted));
    let jwt = common::stdout(&minted);

    // No --pem/--jwks/--jwks-url: the keys come from the printed variables alone.
    let out = dev.run_env(&["token", "inspect", &jwt, "--json"], &printed);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["verified"], true, "{report}");

    let request =
        std::env::temp_dir().join(format!("dev-seed-request-{}.json", std::process::id()));
    let description = serde_json::json!({
        "url": "http://localhost:3000/api/me",
        "headers": { "authorization": format!("Bearer {jwt}") },
    });
    std::fs::write(&request, description.to_string()).expect("write the request");
    let path = request.to_string_lossy().into_owned();
    let out = dev.run_env(&["request", "inspect", &path, "--json"], &printed);
    let _ = std::fs::remove_file(&request);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let state: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(state["status"], "signed-in", "{state}");
    assert_eq!(state["auth"]["user_id"], "user_2alice", "{state}");
}

#[cfg(unix)]
#[test]
fn a_clerk_variable_that_is_not_unicode_is_a_usage_error_naming_it() {
    use std::os::unix::ffi::OsStrExt as _;
    let out = Command::new(BIN)
        .args(["token", "inspect", "e30.e30.sig"])
        .env_remove("CLERK_JWT_KEY")
        .env_remove("CLERK_PUBLISHABLE_KEY")
        .env_remove("CLERK_API_URL")
        .env(
            "CLERK_SECRET_KEY",
            std::ffi::OsStr::from_bytes(b"sk_test_\xff"),
        )
        .output()
        .expect("clerk-claims runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("CLERK_SECRET_KEY is not valid Unicode"),
        "{}",
        text(&out)
    );
}
