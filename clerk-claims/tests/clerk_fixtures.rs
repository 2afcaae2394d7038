//! Every case of Clerk's own verification fixtures (`session-token-verification.json`, from
//! `verifyJwt.test.ts`) gives the reason Clerk's SDK gives, and the PEM → JWK conversion
//! matches `loadClerkJwkFromPem`. Lives in the runtime crate and needs only `verify`, so
//! `scripts/test` runs it with each crypto backend (`aws-lc-rs`, `rust-crypto`).

#![cfg(feature = "verify")]

use std::time::Duration;

use clerk_claims::jwks::Key;
use clerk_claims::verify::{TokenKind, Verifier};
use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/clerk-fixtures/session-token-verification.json"
);

fn fixture() -> Value {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture is in testdata");
    serde_json::from_str(&text).expect("fixture is JSON")
}

#[tokio::test]
async fn every_clerk_fixture_case_gives_clerks_outcome() {
    let doc = fixture();
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 9);
    for case in &cases {
        let token = doc["tokens"][case["token"].as_str().unwrap_or_default()]["jwt"]
            .as_str()
            .unwrap_or_default();
        let options = &case["options"];
        let mut builder = Verifier::builder()
            .jwks_json(doc["jwks"].to_string())
            .now(case["now_unix"].as_i64().unwrap_or(0));
        if let Some(parties) = options["authorizedParties"].as_array() {
            builder = builder.authorized_parties(parties.iter().filter_map(Value::as_str));
        }
        if let Some(ms) = options["clockSkewInMs"].as_u64() {
            builder = builder.clock_skew(Duration::from_millis(ms));
        }
        let verifier = builder.build().expect("the fixture JWKS builds");
        let outcome = match verifier.verify_payload(token, TokenKind::Session).await {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.reason().to_string(),
        };
        assert_eq!(
            outcome,
            case["expect"].as_str().unwrap_or_default(),
            "case {case}"
        );
    }
}

#[tokio::test]
async fn the_fixture_session_token_decodes_to_clerks_session_claims() {
    let doc = fixture();
    let token = doc["tokens"]["valid_v1_session"]["jwt"]
        .as_str()
        .unwrap_or_default();
    let verifier = Verifier::builder()
        .jwks_json(doc["jwks"].to_string())
        .issuer("https://clerk.inspired.puma-74.lcl.dev")
        .now(1_666_648_250)
        .build()
        .expect("builds");
    let verified = verifier.verify_session(token).await.expect("valid at iat");
    assert_eq!(verified.sub, "user_2GIpXOEpVyJw51rkZn9Kmnc6Sxr");
    assert_eq!(
        verified.sid.as_deref(),
        Some("sess_2GbDB4enNdCa5vS1zpC3Xzg9tK9")
    );
    assert_eq!(verified.exp, 1_666_648_310);
    assert_eq!(
        verified.kid.as_deref(),
        Some("ins_2GIoQhbUpy0hX7B2cVkuTMinXoD")
    );
    assert_eq!(
        verified.claims.user_id(),
        "user_2GIpXOEpVyJw51rkZn9Kmnc6Sxr"
    );
}

#[test]
fn pem_key_converts_to_the_jwk_clerk_derives() {
    let doc = fixture();
    let pem = doc["pem_to_jwk"]["pem"].as_str().unwrap_or_default();
    let key = Key::from_pem(pem).expect("Clerk's PEM parses");
    let jwk = key.to_public_jwk().expect("an RSA key exports");
    let expected = &doc["pem_to_jwk"]["expected_jwk"];
    assert_eq!(jwk["n"], expected["n"]);
    assert_eq!(jwk["e"], expected["e"]);
    assert_eq!(jwk["kty"], expected["kty"]);
    assert_eq!(key.rsa_bits(), Some(2048));
}
