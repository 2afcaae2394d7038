//! Every example binary runs to completion offline against its embedded FakeClerk, exiting 0
//! with its own checks passed. Cargo builds the binaries for this test (`CARGO_BIN_EXE_*`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Only a guard against a hung example; the examples take well under a second each.
const WATCHDOG: Duration = Duration::from_secs(180);

/// Example name → built executable.
fn examples() -> [(&'static str, &'static str); 8] {
    [
        ("axum_server", env!("CARGO_BIN_EXE_axum_server")),
        ("hasura", env!("CARGO_BIN_EXE_hasura")),
        (
            "instant_revocation",
            env!("CARGO_BIN_EXE_instant_revocation"),
        ),
        ("multi_session", env!("CARGO_BIN_EXE_multi_session")),
        ("quickstart", env!("CARGO_BIN_EXE_quickstart")),
        ("ssr_pages", env!("CARGO_BIN_EXE_ssr_pages")),
        ("supabase", env!("CARGO_BIN_EXE_supabase")),
        ("token_refresh", env!("CARGO_BIN_EXE_token_refresh")),
    ]
}

fn exe(name: &str) -> PathBuf {
    let (_, path) = examples()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("example {name} is listed in examples()"));
    PathBuf::from(path)
}

/// Runs an example with no Clerk configuration in the environment, to completion.
fn run(name: &str, args: &[&str]) -> Output {
    let mut child = Command::new(exe(name))
        .args(args)
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("CLERK_PUBLISHABLE_KEY")
        .env_remove("CLERK_JWT_KEY")
        .env_remove("CLERK_API_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let started = Instant::now();
    loop {
        match child.try_wait().expect("waitable") {
            Some(_) => return child.wait_with_output().expect("output"),
            None if started.elapsed() > WATCHDOG => {
                let _ = child.kill();
                let out = child.wait_with_output().expect("output");
                panic!(
                    "{name} did not finish on its own:\n{}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Exit 0, no failed self-check line, and stdout for further assertions.
fn passes(name: &str, args: &[&str]) -> String {
    let out = run(name, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{name}:\n{stdout}\n{stderr}");
    assert!(!stdout.contains("FAIL"), "{name}:\n{stdout}");
    stdout
}

fn passed_checks(stdout: &str) -> usize {
    stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("ok "))
        .count()
}

#[test]
fn every_example_binary_is_run_here() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples/src/bin")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
        .collect();
    on_disk.sort_unstable();
    let listed: Vec<&str> = examples().iter().map(|(n, _)| *n).collect();
    assert_eq!(on_disk, listed, "a new example needs a test in this file");
}

#[test]
fn quickstart_verifies_a_token_and_shows_drift() {
    let out = passes("quickstart", &[]);
    assert!(out.contains("verified token of user_2alice"), "{out}");
    assert!(out.contains("claims-mismatch"), "{out}");
}

#[test]
fn axum_server_self_test_passes_every_rule() {
    let out = passes("axum_server", &["--self-test"]);
    assert!(out.contains("all checks passed"), "{out}");
    assert_eq!(passed_checks(&out), 10, "{out}");
}

#[test]
fn axum_server_rejects_unknown_arguments_with_a_usage_error() {
    let out = run("axum_server", &["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--self-test"));
}

#[test]
fn hasura_example_checks_the_session_variables() {
    let out = passes("hasura", &[]);
    assert!(out.contains("HASURA_GRAPHQL_JWT_SECRET="), "{out}");
    assert!(out.contains("x-hasura-org-id=org_2acme"), "{out}");
    assert_eq!(passed_checks(&out), 6, "{out}");
}

#[test]
fn supabase_example_verifies_with_the_shared_secret_only() {
    let out = passes("supabase", &[]);
    assert!(out.contains("\"alg\":\"HS256\""), "{out}");
    assert!(out.contains("token-invalid-signature"), "{out}");
    assert_eq!(passed_checks(&out), 3, "{out}");
}

#[test]
fn multi_session_example_signs_out_the_other_devices() {
    let out = passes("multi_session", &[]);
    assert!(out.contains("revoked sess_2alice_personal"), "{out}");
    assert!(passed_checks(&out) >= 5, "{out}");
}

#[test]
fn ssr_pages_example_comes_back_signed_in_after_one_handshake() {
    let out = passes("ssr_pages", &[]);
    assert!(out.contains("all checks passed"), "{out}");
    assert!(out.contains("organization_id"), "{out}");
    assert_eq!(passed_checks(&out), 11, "{out}");
}

#[test]
fn token_refresh_example_refreshes_ahead_and_never_serves_expired_tokens() {
    let out = passes("token_refresh", &[]);
    assert!(out.contains("one Backend API request (1)"), "{out}");
    assert_eq!(passed_checks(&out), 6, "{out}");
}

#[test]
fn instant_revocation_refuses_the_signed_out_device_on_both_instances() {
    let out = passes("instant_revocation", &[]);
    assert!(
        out.contains("phone on A: 401 Unauthorized session-revoked"),
        "{out}"
    );
    assert!(
        out.contains("phone on B: 401 Unauthorized session-revoked"),
        "{out}"
    );
    for instance in ["A", "B"] {
        assert!(
            out.contains(&format!(
                "phone's api template token on {instance}: 401 Unauthorized session-revoked"
            )),
            "{out}"
        );
    }
    assert_eq!(passed_checks(&out), 14, "{out}");
}
