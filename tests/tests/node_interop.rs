//! Interop with Clerk's own SDK (`@clerk/backend`, pinned in `tests/node/package.json`):
//! tokens minted by `TestIssuer` pass Clerk's networkless `verifyToken` with the PEM key, and
//! tokens signed by Clerk's `signJwt` verify here. Runs when Node and `tests/node/node_modules`
//! are present (`npm ci --prefix tests/node`); says it skipped otherwise.

use crate::common::node;

use clerk_claims::Verifier;
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::{Value, json};

/// Clerk's answer to `request` (`tests/node/interop.mjs`), or `None` where Node is missing.
fn run(request: &Value) -> Option<Value> {
    node::run("interop.mjs", &["@clerk/backend"], request)
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
