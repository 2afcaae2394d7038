//! Interop with Clerk's own SDK (`@clerk/backend`, pinned in `tests/node/package.json`):
//! tokens minted by `TestIssuer` pass Clerk's networkless `verifyToken` with the PEM key, and
//! tokens signed by Clerk's `signJwt` verify here. Runs when Node and `tests/node/node_modules`
//! are present (`npm ci --prefix tests/node`); says it skipped otherwise.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use clerk_claims::Verifier;
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::{Value, json};

fn node_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/node"))
}

/// `None` (with a message) when Node or the installed package is missing.
fn run(request: &Value) -> Option<Value> {
    let dir = node_dir();
    if !dir.join("node_modules/@clerk/backend").is_dir() {
        println!("SKIPPED: tests/node/node_modules missing (run `npm ci --prefix tests/node`)");
        return None;
    }
    let mut child = match Command::new("node")
        .arg("interop.mjs")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            println!("SKIPPED: node is not installed ({e})");
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(request.to_string().as_bytes())
        .expect("write request");
    let output = child.wait_with_output().expect("node ran");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("node answers JSON"))
}

#[test]
fn clerk_verify_token_accepts_test_issuer_session_tokens() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_interop")
        .org("org_1", "acme", "admin")
        .permissions(["org:invoices:read"])
        .azp("https://app.example.com")
        .mint();
    let request = json!({ "op": "verify", "token": token, "pem": issuer.public_key_pem(), "authorizedParties": ["https://app.example.com"] });
    let Some(answer) = run(&request) else { return };
    assert_eq!(answer["ok"], true, "Clerk's verifyToken: {answer}");
    assert_eq!(answer["payload"]["sub"], "user_interop");

    // And Clerk rejects what we reject: the wrong authorized party.
    let request = json!({ "op": "verify", "token": token, "pem": issuer.public_key_pem(), "authorizedParties": ["https://other.example"] });
    let answer = run(&request).unwrap_or_default();
    assert_eq!(
        answer["reason"], "token-invalid-authorized-parties",
        "{answer}"
    );
}

#[test]
fn clerk_verify_token_rejects_what_the_category_says_is_not_a_session() {
    let issuer = TestIssuer::new();
    let header =
        json!({ "alg": "RS256", "kid": issuer.kid(), "typ": "JWT", "cat": "cl_B7d4PD333AAA" });
    let token = issuer.sign(
        &header,
        &json!({ "sub": "user_1", "exp": 4_000_000_000u64, "iat": 1 }),
    );
    let Some(answer) =
        run(&json!({ "op": "verify", "token": token, "pem": issuer.public_key_pem() }))
    else {
        return;
    };
    assert_eq!(answer["ok"], false, "{answer}");
}

#[tokio::test]
async fn tokens_signed_by_clerk_sign_jwt_verify_here() {
    let now = clerk_claims::Clock::system().now();
    let payload =
        json!({ "sub": "user_signed_by_clerk", "iat": now, "exp": now + 60, "sid": "sess_1" });
    let Some(answer) = run(&json!({ "op": "sign", "payload": payload, "kid": "ins_node" })) else {
        return;
    };
    assert_eq!(answer["ok"], true, "{answer}");
    let verifier = Verifier::from_pem(answer["pem"].as_str().unwrap_or_default())
        .expect("Node's SPKI PEM parses");
    let verified = verifier
        .verify_session(answer["token"].as_str().unwrap_or_default())
        .await
        .expect("Clerk-signed token verifies");
    assert_eq!(verified.sub, "user_signed_by_clerk");
    assert_eq!(verified.kid.as_deref(), Some("ins_node"));
}
