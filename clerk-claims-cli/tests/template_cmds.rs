//! End to end: the built `clerk-claims dev` serves, and the built `clerk-claims template
//! push/pull/diff --remote` talk to it through `CLERK_API_URL` / `CLERK_SECRET_KEY`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_clerk-claims");

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A running `clerk-claims dev`, killed (by its own PID) on drop.
struct Dev {
    child: Child,
    url: String,
    key: String,
}

impl Dev {
    fn start() -> Dev {
        let mut child = Command::new(BIN)
            .args(["dev", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("clerk-claims dev starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (mut url, mut key) = (None, None);
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("dev prints lines");
            if let Some(u) = line.strip_prefix("export CLERK_API_URL=") {
                url = Some(u.to_owned());
            }
            if let Some(k) = line.strip_prefix("export CLERK_SECRET_KEY=") {
                key = Some(k.to_owned());
            }
            if url.is_some() && key.is_some() {
                break;
            }
        }
        Dev {
            child,
            url: url.expect("dev printed CLERK_API_URL"),
            key: key.expect("dev printed CLERK_SECRET_KEY"),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("CLERK_API_URL", &self.url)
            .env("CLERK_SECRET_KEY", &self.key)
            .output()
            .expect("clerk-claims runs")
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn push_pull_and_remote_diff_against_clerk_claims_dev() {
    let dev = Dev::start();
    let file = fixture("api.template.json");

    let push = dev.run(&["template", "push", &file]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    assert!(text(&push).contains("created"), "{}", text(&push));
    let again = dev.run(&["template", "push", &file]);
    assert!(text(&again).contains("unchanged"), "{}", text(&again));

    let pull = dev.run(&["template", "pull", "api"]);
    assert_eq!(pull.status.code(), Some(0), "{}", text(&pull));
    let pulled: serde_json::Value = serde_json::from_slice(&pull.stdout).expect("pull prints JSON");
    let local: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("fixture")).expect("JSON");
    assert_eq!(pulled["claims"], local["claims"]);
    assert_eq!(pulled["lifetime"], 300);

    let same = dev.run(&["template", "diff", &file, "--remote", "api"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));

    let drifted = dev.run(&[
        "template",
        "diff",
        &fixture("api.drifted.json"),
        "--remote",
        "api",
    ]);
    assert_eq!(drifted.status.code(), Some(1), "{}", text(&drifted));
    let out = text(&drifted);
    assert!(out.contains("~ claims.plan"), "{out}");
    assert!(out.contains("+ claims.role"), "{out}");

    let missing = dev.run(&["template", "diff", &file, "--remote", "nope"]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
}

#[test]
fn wrong_secret_key_fails_without_printing_it() {
    let dev = Dev::start();
    let out = Command::new(BIN)
        .args(["template", "pull", "api"])
        .env("CLERK_API_URL", &dev.url)
        .env("CLERK_SECRET_KEY", "sk_test_donotprintme")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("clerk_key_invalid"), "{t}");
    assert!(!t.contains("donotprintme"), "{t}");
}

#[test]
fn check_lists_clerks_save_errors_and_unknown_shortcodes() {
    let out = Command::new(BIN)
        .args(["template", "check", &fixture("reserved.json")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("jwt_template_reserved_claim"), "{t}");
    assert!(t.contains("user.first_name"), "{t}");
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(BIN)
        .args(["template", "check", "/no/such/file.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = Command::new(BIN)
        .args(["template", "frobnicate"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn diff_of_two_files_exits_1_with_a_structural_diff() {
    let out = Command::new(BIN)
        .args([
            "template",
            "diff",
            &fixture("api.drifted.json"),
            &fixture("api.template.json"),
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("~ claims.plan"), "{}", text(&out));
}
