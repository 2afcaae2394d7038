//! The RFC 7515 / 8037 examples (`testdata/vectors/rfc-examples.json`) and the RFC 7520 JOSE
//! cookbook signatures through the signature layer; and the RFC examples through the Clerk
//! verifier, which must reject every one of them (none is a Clerk token).

use clerk_claims::jwks::{Algorithm, Key};
use clerk_claims::verify::{TokenKind, Verifier, verify_jws};
use serde_json::Value;

fn read(path: &str) -> Value {
    let full = format!("{}/../testdata/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

#[test]
fn rfc_examples_verify_at_the_signature_layer_except_the_unsupported_and_none() {
    let doc = read("rfc-examples.json");
    let mut verified = Vec::new();
    for v in doc["vectors"].as_array().cloned().unwrap_or_default() {
        let id = v["id"].as_str().unwrap_or("?").to_owned();
        let token = v["token"].as_str().unwrap_or_default();
        let outcome = Key::from_jwk(&v["public_jwk"])
            .map_err(|e| e.to_string())
            .and_then(|key| {
                verify_jws(token, &key, &Algorithm::ALL).map_err(|e| e.reason().to_string())
            });
        match id.as_str() {
            // `none` is never an algorithm; EdDSA is outside the supported set (no Clerk use).
            "rfc7515-A.5-none" | "rfc8037-A.4-EdDSA" => {
                assert!(outcome.is_err(), "{id} must be rejected")
            }
            _ => {
                let jws = outcome.unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(
                    jws.payload,
                    v["payload_utf8"].as_str().unwrap_or_default().as_bytes(),
                    "{id}"
                );
                verified.push(id);
            }
        }
    }
    assert_eq!(
        verified,
        [
            "rfc7515-A.1-HS256",
            "rfc7515-A.2-RS256",
            "rfc7515-A.3-ES256",
            "rfc7515-A.4-ES512"
        ]
    );
}

#[tokio::test]
async fn rfc_examples_are_not_clerk_tokens() {
    let doc = read("rfc-examples.json");
    for v in doc["vectors"].as_array().cloned().unwrap_or_default() {
        let Ok(key) = Key::from_jwk(&v["public_jwk"]) else {
            continue;
        };
        let Some(jwk) = key.to_public_jwk() else {
            continue;
        };
        let jwks = serde_json::json!({ "keys": [jwk] }).to_string();
        let Ok(verifier) = Verifier::builder().jwks_json(jwks).build() else {
            continue;
        };
        let result = verifier
            .verify_payload(v["token"].as_str().unwrap_or_default(), TokenKind::Session)
            .await;
        assert!(result.is_err(), "{} is not a Clerk session token", v["id"]);
    }
}

#[test]
fn jose_cookbook_signatures_verify_and_tampering_does_not() {
    let cases = [
        (
            "jws/4_1.rsa_v15_signature.json",
            "jwk/3_3.rsa_public_key.json",
            Algorithm::RS256,
        ),
        (
            "jws/4_2.rsa-pss_signature.json",
            "jwk/3_3.rsa_public_key.json",
            Algorithm::PS384,
        ),
        (
            "jws/4_3.ecdsa_signature.json",
            "jwk/3_1.ec_public_key.json",
            Algorithm::ES512,
        ),
        (
            "jws/4_4.hmac-sha2_integrity_protection.json",
            "jwk/3_5.symmetric_key_mac_computation.json",
            Algorithm::HS256,
        ),
    ];
    for (jws_file, key_file, alg) in cases {
        let case = read(&format!("jose-cookbook-rfc7520/{jws_file}"));
        let key =
            Key::from_jwk(&read(&format!("jose-cookbook-rfc7520/{key_file}"))).expect(key_file);
        let compact = case["output"]["compact"].as_str().unwrap_or_default();
        let jws = verify_jws(compact, &key, &[alg]).unwrap_or_else(|e| panic!("{jws_file}: {e}"));
        assert_eq!(jws.algorithm, alg);
        // One flipped payload character breaks it.
        let mut tampered: Vec<char> = compact.chars().collect();
        let dot = compact.find('.').unwrap_or(0) + 2;
        tampered[dot] = if tampered[dot] == 'A' { 'B' } else { 'A' };
        let tampered: String = tampered.into_iter().collect();
        assert!(
            verify_jws(&tampered, &key, &[alg]).is_err(),
            "{jws_file} tampered"
        );
    }
}
