//! Shared by the CLI's end-to-end tests: a spawned `clerk-claims dev` and helpers to run the
//! built binary against it.
#![allow(dead_code)] // each test file uses a different subset

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

/// The built `clerk-claims` binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_clerk-claims");

/// A file of `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A running `clerk-claims dev` on a free port, killed (by its own PID) on drop.
pub struct Dev {
    child: Child,
    /// `CLERK_API_URL` as printed.
    pub url: String,
    /// `CLERK_SECRET_KEY` as printed.
    pub key: String,
    /// `CLERK_PUBLISHABLE_KEY` as printed.
    pub publishable_key: String,
}

impl Dev {
    /// Spawns `clerk-claims dev --addr 127.0.0.1:0` and reads the URL and key it prints.
    pub fn start() -> Dev {
        Dev::start_with(&[])
    }

    /// [`Dev::start`] with more `dev` arguments.
    pub fn start_with(extra: &[&str]) -> Dev {
        let mut child = Command::new(BIN)
            .args(["dev", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("clerk-claims dev starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (mut url, mut key, mut publishable_key) = (None, None, None);
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("dev prints lines");
            if let Some(u) = line.strip_prefix("export CLERK_API_URL=") {
                url = Some(u.to_owned());
            }
            if let Some(k) = line.strip_prefix("export CLERK_SECRET_KEY=") {
                key = Some(k.to_owned());
            }
            if let Some(k) = line.strip_prefix("export CLERK_PUBLISHABLE_KEY=") {
                publishable_key = Some(k.to_owned());
            }
            if url.is_some() && key.is_some() && publishable_key.is_some() {
                break;
            }
        }
        Dev {
            child,
            url: url.expect("dev printed CLERK_API_URL"),
            key: key.expect("dev printed CLERK_SECRET_KEY"),
            publishable_key: publishable_key.expect("dev printed CLERK_PUBLISHABLE_KEY"),
        }
    }

    /// Runs `clerk-claims ARGS` with `CLERK_API_URL` / `CLERK_SECRET_KEY` pointing here.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// [`Dev::run`] with more environment variables (`NAME`, `VALUE`), set last so they can
    /// replace `CLERK_SECRET_KEY` or add `CLERK_PUBLISHABLE_KEY`.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env("CLERK_API_URL", &self.url)
            .env("CLERK_SECRET_KEY", &self.key)
            .env_remove("CLERK_PUBLISHABLE_KEY")
            .env_remove("CLERK_JWT_KEY")
            .env_remove("NO_COLOR");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().expect("clerk-claims runs")
    }

    /// The Frontend API JWKS URL of the fake.
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.url)
    }

    /// `token inspect --json` of `jwt` against the fake's JWKS: the printed object.
    pub fn inspect(&self, jwt: &str, template: bool) -> (Option<i32>, serde_json::Value) {
        let url = self.jwks_url();
        let mut args = vec!["token", "inspect", jwt, "--jwks-url", &url, "--json"];
        if template {
            args.push("--template");
        }
        let out = self.run(&args);
        let report = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("inspect --json prints JSON ({e}): {}", text(&out)));
        (out.status.code(), report)
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `clerk-claims ARGS` without any Clerk configuration in the environment.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CLERK_API_URL")
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("CLERK_PUBLISHABLE_KEY")
        .env_remove("CLERK_JWT_KEY")
        .output()
        .expect("clerk-claims runs")
}

/// stdout then stderr, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// stdout only.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}
