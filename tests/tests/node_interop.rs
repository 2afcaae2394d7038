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

/// Fractional NumericDates around each boundary of the 5 s skew, at clocks between two
/// seconds: Clerk's `verifyToken` (its `Date.now` fixed per case) and ours agree on every
/// outcome and reason (Clerk drops the fraction of a date; it keeps the clock's milliseconds).
#[tokio::test]
async fn fractional_dates_meet_the_skew_where_clerks_sdk_says() {
    const NOW: i64 = 1_767_225_600;
    let issuer = TestIssuer::new();
    let mut cases = Vec::new();
    for claim in ["exp", "nbf", "iat"] {
        for offset in [-5.9, -5.5, -5.0, -4.5, 4.5, 5.0, 5.4, 5.5, 5.9, 6.0] {
            let mut payload = json!({
                "sub": "user_1", "sid": "sess_1", "iss": issuer.issuer(), "v": 2,
                "exp": NOW + 60, "iat": NOW - 10, "nbf": NOW - 20,
            });
            payload[claim] = json!(NOW as f64 + offset);
            let token = issuer.sign(
                &issuer.header(clerk_claims::verify::CATEGORY_SESSION),
                &payload,
            );
            for millis in [0, 250, 500, 999] {
                cases.push((format!("{claim} {offset:+}"), token.clone(), millis));
            }
        }
    }
    let request = json!({
        "op": "verify_many",
        "pem": issuer.public_key_pem(),
        "cases": cases
            .iter()
            .map(|(_, token, millis)| json!({ "token": token, "now": NOW * 1000 + millis }))
            .collect::<Vec<_>>(),
    });
    let Some(answer) = run(&request) else { return };
    let answers = answer["answers"].as_array().cloned().unwrap_or_default();
    assert_eq!(answers.len(), cases.len(), "{answer}");
    let mut expired = 0;
    for ((what, token, millis), clerk) in cases.iter().zip(&answers) {
        let clock = clerk_claims::Clock::manual(NOW);
        clock.advance(std::time::Duration::from_millis(*millis as u64));
        let verifier = issuer
            .verifier_builder()
            .clock(clock)
            .build()
            .expect("verifier");
        let ours = verifier.verify_session(token).await;
        let reason = ours.as_ref().err().map(|e| e.reason().as_str());
        expired += usize::from(reason == Some("token-expired"));
        assert_eq!(
            (ours.is_ok(), reason),
            (
                clerk["ok"].as_bool().unwrap_or(false),
                clerk["reason"].as_str()
            ),
            "{what} at +{millis} ms"
        );
    }
    assert!(expired > 0, "the grid reaches the expiry boundary");
}
