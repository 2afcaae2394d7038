//! The one runner of the `tests/node` scripts, which call Clerk's own JS (`@clerk/backend`,
//! `standardwebhooks`, pinned in `tests/node/package.json`): one JSON request on stdin, one JSON
//! answer on stdout.
//!
//! Where Node or the installed packages are missing, a local run says SKIPPED and the caller
//! returns; under CI (`CI` set) that is a failure, so CI never passes without the interop
//! ([`super::skip`], the rule the Redis tests follow too).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::skip::skip;

/// Runs `tests/node/<script>` with `request`; `packages` are the `node_modules` entries it needs.
pub fn run(script: &str, packages: &[&str], request: &Value) -> Option<Value> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/node"));
    if let Some(missing) = packages
        .iter()
        .find(|p| !dir.join("node_modules").join(p).is_dir())
    {
        return skip(&format!(
            "tests/node/node_modules/{missing} missing (run `npm ci --prefix tests/node`)"
        ));
    }
    let mut child = match Command::new("node")
        .arg(script)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return skip(&format!("node is not installed ({e})")),
    };
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(request.to_string().as_bytes())
        .expect("write the request");
    let output = child.wait_with_output().expect("node ran");
    assert!(
        output.status.success(),
        "node {script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("node answers JSON"))
}
