//! Every example binary builds and runs to completion offline against its embedded FakeClerk,
//! exiting 0 with its own checks passed. The binaries are built once per run with the same
//! `cargo` that runs this test (the examples crate is not a default member, and a test cannot
//! depend on another package's binaries).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Only a guard against a hung example; the examples take well under a second each.
const WATCHDOG: Duration = Duration::from_secs(180);

/// Example name → built executable.
fn examples() -> &'static HashMap<String, PathBuf> {
    static BUILT: OnceLock<HashMap<String, PathBuf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let workspace = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let out = Command::new(env!("CARGO"))
            .args([
                "build",
                "--package",
                "clerk-claims-examples",
                "--bins",
                "--message-format=json-render-diagnostics",
            ])
            .current_dir(workspace)
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "the examples build");
        let mut bins = HashMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let is_bin = msg["target"]["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bin"));
            if let (true, Some(name), Some(exe)) = (
                msg["reason"] == "compiler-artifact" && is_bin,
                msg["target"]["name"].as_str(),
                msg["executable"].as_str(),
            ) {
                bins.insert(name.to_owned(), PathBuf::from(exe));
            }
        }
        bins
    })
}

/// Runs an example with no Clerk configuration in the environment, to completion.
fn run(name: &str, args: &[&str]) -> Output {
    let exe = examples()
        .get(name)
        .unwrap_or_else(|| panic!("example {name} was built: {:?}", examples().keys()));
    let mut child = Command::new(exe)
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
    let mut built: Vec<&str> = examples().keys().map(String::as_str).collect();
    built.sort_unstable();
    assert_eq!(
        built,
        [
            "axum_server",
            "hasura",
            "multi_session",
            "quickstart",
            "supabase",
            "token_refresh"
        ],
        "a new example needs a test in this file"
    );
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
    assert_eq!(passed_checks(&out), 9, "{out}");
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
fn token_refresh_example_refreshes_ahead_and_never_serves_expired_tokens() {
    let out = passes("token_refresh", &[]);
    assert!(out.contains("one Backend API request (1)"), "{out}");
    assert_eq!(passed_checks(&out), 6, "{out}");
}
