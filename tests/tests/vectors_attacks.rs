//! Every vector of the attack catalogue (`testdata/vectors/attack-tokens.json`, profile
//! "clerk-session-strict") gives its expected outcome, with each vector's own JWKS, issuer,
//! authorized parties, leeway, audience and `now`.

use std::time::Duration;

use clerk_claims::jwks::JwkSet;
use clerk_claims::verify::{TokenKind, Verifier};
use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/vectors/attack-tokens.json"
);

fn load() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS).expect("attack-tokens.json is in testdata");
    let doc: Value = serde_json::from_str(&text).expect("attack-tokens.json is JSON");
    doc["vectors"].as_array().cloned().unwrap_or_default()
}

fn verifier_for(v: &Value) -> Result<Verifier, String> {
    let set = JwkSet::from_value(&v["jwks"]).map_err(|e| e.to_string())?;
    let mut builder = Verifier::builder()
        .jwks(set)
        .clock_skew(Duration::from_secs(v["leeway"].as_u64().unwrap_or(5)))
        .now(v["now"].as_i64().unwrap_or(0));
    if let Some(issuer) = v["issuer"].as_str() {
        builder = builder.issuer(issuer);
    }
    let parties: Vec<String> = v["authorized_parties"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    builder = builder.authorized_parties(parties);
    if let Some(aud) = v["audience"].as_str() {
        builder = builder.audience([aud]);
    }
    builder.build().map_err(|e| e.to_string())
}

#[tokio::test]
async fn every_attack_vector_gets_its_expected_outcome() {
    let vectors = load();
    assert!(
        vectors.len() >= 100,
        "expected the full catalogue, found {}",
        vectors.len()
    );
    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for v in &vectors {
        let name = v["name"].as_str().unwrap_or("?");
        let token = v["token"].as_str().unwrap_or_default();
        let outcome = match verifier_for(v) {
            Ok(verifier) => verifier
                .verify_payload(token, TokenKind::Session)
                .await
                .map(|_| ())
                .map_err(|e| e.reason().to_string()),
            Err(build) => Err(format!("build: {build}")),
        };
        let expect_accept = v["expect"] == "accept";
        match (&outcome, expect_accept) {
            (Ok(()), true) => accepted += 1,
            (Err(_), false) => rejected += 1,
            _ => failures.push(format!("{name}: expected {}, got {outcome:?}", v["expect"])),
        }
    }
    println!(
        "attack vectors: {accepted} accepted, {rejected} rejected, {} wrong",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} vectors wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn rejections_carry_the_reason_code_of_the_check_that_failed() {
    let expected = [
        ("exp_now_minus_5", "token-expired"),
        ("nbf_now_plus_1_leeway0", "token-not-active-yet"),
        ("iat_now_plus_6", "token-iat-in-the-future"),
        ("alg_none_empty_sig", "token-invalid-algorithm"),
        ("hs256_key_confusion_spki_pem", "token-invalid-algorithm"),
        ("sig_bitflip", "token-invalid-signature"),
        ("kid_unknown", "jwk-kid-mismatch"),
        // Clerk keeps the last key of a kid and fails the signature; we trust neither key.
        ("jwks_duplicate_kid", "token-invalid-signature"),
        ("azp_missing", "token-invalid-authorized-parties"),
        ("iss_array_with_other", "token-invalid-issuer"),
        ("cat_jwt_template", "token-type-mismatch"),
        ("cat_m2m", "token-invalid"),
        ("crit_unknown_extension", "token-invalid"),
        ("typ_at_jwt", "token-invalid"),
        ("huge_token_100k", "token-invalid"),
        ("sub_empty", "token-verification-failed"),
        ("exp_string_numeric", "token-verification-failed"),
    ];
    let vectors = load();
    for (name, reason) in expected {
        let v = vectors
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("vector {name} exists"));
        let verifier = verifier_for(v).unwrap_or_else(|e| panic!("{name}: {e}"));
        let err = verifier
            .verify_payload(v["token"].as_str().unwrap_or_default(), TokenKind::Session)
            .await
            .err()
            .unwrap_or_else(|| panic!("{name} must be rejected"));
        assert_eq!(err.reason(), reason, "{name}: {err}");
        assert!(
            err.to_string().len() < 600,
            "{name}: message stays short: {err}"
        );
    }
}
