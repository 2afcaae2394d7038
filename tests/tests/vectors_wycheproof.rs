//! The Wycheproof JSON Web Signature and JSON Web Key suites
//! (`testdata/vectors/wycheproof/`): every case labelled invalid is rejected, and every case
//! labelled valid is accepted, except the upstream label quirks documented in
//! `testdata/vectors/observed/wycheproof-observed.json` (`_about.upstream_label_quirks`).

use clerk_claims::jwks::{Algorithm, JwkSet, Key};
use clerk_claims::verify::{verify_jws, verify_jws_with_set};
use serde_json::Value;

fn read(path: &str) -> Value {
    let full = format!(
        "{}/../testdata/vectors/wycheproof/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// tcId 367/370: byte-identical to valid 357 but labelled invalid; 372/373: contain `?`
/// but labelled valid; 346/350 (Figure 20): key labelled PS256, token PS384; 347/351
/// (Figure 27): key labelled `ES521`, not a JWA name (the JWK suite's tcId 19 calls that
/// label invalid).
const JWS_LABEL_QUIRKS: [u64; 8] = [346, 347, 350, 351, 367, 370, 372, 373];

fn token_text(jws: &Value) -> String {
    // JSON-serialization cases are objects: hand them over as text, they must be rejected.
    jws.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| jws.to_string())
}

#[test]
fn wycheproof_jws_invalid_cases_are_rejected_and_valid_ones_accepted() {
    let doc = read("json_web_signature_test.json");
    let (mut valid_ok, mut invalid_rejected, mut wrong) = (0, 0, Vec::new());
    for group in doc["testGroups"].as_array().cloned().unwrap_or_default() {
        let jwk = if group["public"].is_object() {
            &group["public"]
        } else {
            &group["private"]
        };
        let key = Key::from_jwk(jwk);
        for test in group["tests"].as_array().cloned().unwrap_or_default() {
            let id = test["tcId"].as_u64().unwrap_or(0);
            let token = token_text(&test["jws"]);
            let accepted = match &key {
                Ok(key) => verify_jws(&token, key, &Algorithm::ALL).is_ok(),
                Err(_) => false,
            };
            let valid = test["result"] == "valid";
            match (valid, accepted) {
                (true, true) => valid_ok += 1,
                (false, false) => invalid_rejected += 1,
                _ if JWS_LABEL_QUIRKS.contains(&id) => {}
                _ => wrong.push(format!(
                    "tc {id} ({}): labelled {}, accepted={accepted}",
                    test["comment"], test["result"]
                )),
            }
        }
    }
    println!("wycheproof JWS: {valid_ok} valid accepted, {invalid_rejected} invalid rejected");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(invalid_rejected > 300, "the suite ran: {invalid_rejected}");
}

#[test]
fn wycheproof_jwk_suite_every_invalid_keyset_or_token_is_rejected() {
    let doc = read("json_web_key_test.json");
    let (mut valid_ok, mut invalid_rejected, mut wrong) = (0, 0, Vec::new());
    for group in doc["testGroups"].as_array().cloned().unwrap_or_default() {
        let keyset = if group["public"].is_object() {
            &group["public"]
        } else {
            &group["private"]
        };
        let set = JwkSet::from_value_with_secrets(keyset);
        for test in group["tests"].as_array().cloned().unwrap_or_default() {
            let token = token_text(&test["jws"]);
            let accepted = match &set {
                Ok(set) => verify_jws_with_set(&token, set, &Algorithm::ALL).is_ok(),
                Err(_) => false,
            };
            match (test["result"] == "valid", accepted) {
                (true, true) => valid_ok += 1,
                (false, false) => invalid_rejected += 1,
                _ => wrong.push(format!(
                    "tc {} ({}): labelled {}, accepted={accepted}",
                    test["tcId"], test["comment"], test["result"]
                )),
            }
        }
    }
    println!("wycheproof JWK: {valid_ok} valid accepted, {invalid_rejected} invalid rejected");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(valid_ok + invalid_rejected, 26);
}

#[test]
fn wycheproof_crypto_suite_jws_cases_are_rejected_when_invalid() {
    let doc = read("json_web_crypto_test.json");
    let mut checked = 0;
    for group in doc["testGroups"].as_array().cloned().unwrap_or_default() {
        if !group["comment"]
            .as_str()
            .unwrap_or_default()
            .starts_with("jws")
        {
            continue;
        }
        let keys = if group["public"].is_object() {
            &group["public"]
        } else {
            &group["private"]
        };
        // Groups give either one JWK or a key set.
        let set = if keys.get("keys").is_some() {
            JwkSet::from_value_with_secrets(keys).ok()
        } else {
            Key::from_jwk(keys)
                .ok()
                .map(|k| JwkSet::from_keys([k.clone().with_kid(k.kid().unwrap_or("k").to_owned())]))
        };
        for test in group["tests"].as_array().cloned().unwrap_or_default() {
            let token = token_text(&test["jws"]);
            let accepted = set
                .as_ref()
                .is_some_and(|s| verify_jws_with_set(&token, s, &Algorithm::ALL).is_ok());
            if test["result"] == "invalid" {
                assert!(
                    !accepted,
                    "tc {} ({}) must be rejected",
                    test["tcId"], test["comment"]
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked > 20,
        "invalid crypto-suite JWS cases checked: {checked}"
    );
}
