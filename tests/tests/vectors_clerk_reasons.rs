//! Where `@clerk/backend` 3.25.0 rejects an attack vector, we reject it with Clerk's reason
//! code (our message may say more); where Clerk accepts one, we accept it too unless we are
//! deliberately stricter. The observed outcome of each vector is recorded in
//! `testdata/vectors/attack-tokens.json` (`observed["@clerk/backend-3.25.0"]`, `accept` or
//! `reject:<reason>:<message>`); the vectors where our outcome differs are listed below with why.
//!
//! Below the tables, one test per family of key/header mismatch, with real keys from
//! `TestIssuer`: the kid names an `oct` key or a `use: enc` key (no vector has either), an
//! `RS512` header on an `RS256` key (the catalogue has only `RS384`), an `ES256` header on an
//! RSA key (one vector, with a forged signature; here a real ES256 one). Each asserts Clerk's
//! reason, read in `@clerk/backend`'s `verifyToken` → `loadClerkJWKFromRemote` → `verifyJwt`
//! (`assertHeaderAlgorithm`, then `hasValidSignature`, whose WebCrypto `importKey` failure is
//! `token-verification-failed`), and where Node and `tests/node/node_modules` are present
//! also runs the same token and JWKS through Clerk's own `verifyToken`
//! (`tests/node/jwks_verify.mjs`) and checks that it still says so.

use std::time::Duration;

use clerk_claims::jwks::JwkSet;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{Reason, TokenKind, Verifier};
use serde_json::{Value, json};

use crate::common::node;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/vectors/attack-tokens.json"
);

/// Vectors where our reason is not Clerk's, and why.
const DIFFERENCES: &[(&str, &str)] = &[(
    "jwks_empty",
    "a JWKS without a usable key is refused when the verifier is built (BuildError::EmptyJwks), \
     so a misconfiguration shows at start-up; Clerk fetches it and reports jwk-kid-mismatch per \
     token, as `token inspect --jwks` does for such a file",
)];

/// Vectors Clerk accepts and we reject on purpose, and why.
const STRICTER: &[(&str, &str)] = &[
    (
        "exp_huge_float_1e300",
        "exp past year 9999 is no date; Clerk's Date turns invalid and never expires",
    ),
    (
        "exp_i64_overflow",
        "exp = 2^63 is past year 9999: no date, and it must never wrap to a negative",
    ),
    (
        "exp_overflow_1e400",
        "exp beyond f64 (Infinity in JS) is no date; Clerk's Date turns invalid and never expires",
    ),
    ("sub_empty", "an empty sub names no user"),
    (
        "sid_number",
        "sid is the session ID, a string; a number cannot name a session",
    ),
    (
        "aud_array_empty_string",
        "a session token carries no aud; with no audience configured one is refused",
    ),
    (
        "aud_number",
        "a session token carries no aud; with no audience configured one is refused",
    ),
    (
        "cat_jwt_template",
        "a JWT-template token is not a session token (token-type-mismatch, as Clerk's authenticateRequest says)",
    ),
    (
        "header_padded_but_signed",
        "base64url without padding (RFC 7515 §2); Clerk's decoder is loose",
    ),
    (
        "payload_invalid_utf8",
        "the payload must be UTF-8 JSON (RFC 7519 §7.2); Clerk replaces bad bytes with U+FFFD",
    ),
    (
        "dup_header_kid",
        "a header member given twice: key lookup and signature check could read different ones",
    ),
    (
        "dup_claim_sub",
        "a claim given twice: another parser could read the other value",
    ),
    (
        "huge_token_100k",
        "longer than the token size limit, refused before any decoding or crypto",
    ),
    (
        "crit_unknown_extension",
        "crit names an extension we do not understand: RFC 7515 §4.1.11 says MUST reject",
    ),
    (
        "crit_empty_list",
        "crit present but empty: RFC 7515 §4.1.11 forbids it",
    ),
    (
        "crit_b64_false",
        "crit names b64 (RFC 7797 unencoded payload), which a JWT does not use",
    ),
    ("crit_not_array", "crit must be an array of names"),
    (
        "jwks_rsa_512_bit",
        "an RSA key under 2048 bits (RFC 7518 §3.3) is left out of the JWKS: factorable",
    ),
    (
        "jwks_rsa_1024_bit",
        "an RSA key under 2048 bits (RFC 7518 §3.3) is left out of the JWKS",
    ),
    (
        "jwks_duplicate_kid_last",
        "a kid the JWKS gives twice selects no key: which one Clerk's cache keeps is an accident of order",
    ),
];

fn load() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS).expect("attack-tokens.json is in testdata");
    let doc: Value = serde_json::from_str(&text).expect("attack-tokens.json is JSON");
    doc["vectors"].as_array().cloned().unwrap_or_default()
}

/// What `@clerk/backend` 3.25.0 did with a vector, as recorded.
fn clerk_observed(v: &Value) -> Option<&str> {
    v["observed"]["@clerk/backend-3.25.0"]["verifyToken_semantics"].as_str()
}

/// Whether Clerk accepts a vector.
fn clerk_accepts(v: &Value) -> bool {
    clerk_observed(v) == Some("accept")
}

/// Clerk's reason for a vector it rejects; `None` when Clerk accepts it.
fn clerk_reason(v: &Value) -> Option<Reason> {
    let observed = clerk_observed(v)?;
    let mut fields = observed.splitn(3, ':');
    if fields.next() != Some("reject") {
        return None;
    }
    let code = match fields.next()? {
        // A token decodeJwt refuses: `reject:decode:<reason>`.
        "decode" => fields.next()?,
        // verifyToken's own category check (`Invalid session token category.`).
        code if code.starts_with("cat-m2m") => "token-invalid",
        code => code,
    };
    Some(
        code.parse()
            .unwrap_or_else(|e| panic!("{}: {e}", v["name"])),
    )
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

/// Our outcome for a vector: `accepted`, `<reason> (<message>)`, or `build failed (<error>)`.
async fn our_outcome(v: &Value) -> String {
    let token = v["token"].as_str().unwrap_or_default();
    match verifier_for(v) {
        Ok(verifier) => match verifier.verify_payload(token, TokenKind::Session).await {
            Ok(_) => "accepted".to_owned(),
            Err(e) => format!("{} ({e})", e.reason()),
        },
        Err(e) => format!("build failed ({e})"),
    }
}

#[tokio::test]
async fn every_vector_clerk_rejects_gets_clerks_reason() {
    let vectors = load();
    let mut compared = 0;
    let mut wrong = Vec::new();
    let mut still_different = Vec::new();
    for v in &vectors {
        let Some(clerk) = clerk_reason(v) else {
            continue;
        };
        let name = v["name"].as_str().unwrap_or("?");
        let ours = our_outcome(v).await;
        compared += 1;
        let same = ours.starts_with(&format!("{clerk} "));
        match DIFFERENCES.iter().find(|(n, _)| *n == name) {
            Some(_) if !same => still_different.push(name),
            Some(_) => wrong.push(format!("{name}: listed as a difference but now agrees")),
            None if !same => wrong.push(format!("{name}: Clerk {clerk}, ours {ours}")),
            None => {}
        }
    }
    println!(
        "{compared} vectors compared, {} listed differences",
        still_different.len()
    );
    assert!(
        compared >= 90,
        "expected Clerk's outcomes for the catalogue, found {compared}"
    );
    assert!(
        wrong.is_empty(),
        "{} vectors:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Every vector Clerk accepts, we accept, or reject on purpose and list in [`STRICTER`]; and
/// every [`STRICTER`] entry is a vector of the catalogue that Clerk accepts and we reject, so
/// the table cannot go stale either way.
#[tokio::test]
async fn every_vector_clerk_accepts_is_accepted_or_listed_as_stricter() {
    let vectors = load();
    let mut accepted_by_clerk = 0;
    let mut wrong = Vec::new();
    for v in vectors.iter().filter(|v| clerk_accepts(v)) {
        accepted_by_clerk += 1;
        let name = v["name"].as_str().unwrap_or("?");
        let ours = our_outcome(v).await;
        let listed = STRICTER.iter().any(|(n, _)| *n == name);
        match (ours.as_str(), listed) {
            ("accepted", true) => {
                wrong.push(format!("{name}: listed as stricter but we now accept it"));
            }
            ("accepted", false) => {}
            (_, true) => println!(
                "{name}: stricter, ours {}",
                ours.chars().take(160).collect::<String>()
            ),
            (_, false) => wrong.push(format!(
                "{name}: Clerk accepts, ours {ours}; accept it or list it in STRICTER"
            )),
        }
    }
    for (name, why) in STRICTER {
        assert!(!why.is_empty(), "{name}: STRICTER says why");
        match vectors.iter().find(|v| v["name"] == *name) {
            None => wrong.push(format!("{name}: in STRICTER but no such vector")),
            Some(v) if !clerk_accepts(v) => wrong.push(format!(
                "{name}: in STRICTER but Clerk does not accept it ({})",
                clerk_observed(v).unwrap_or("no observation")
            )),
            Some(_) => {}
        }
    }
    assert!(
        accepted_by_clerk >= 30,
        "expected Clerk's accepted vectors in the catalogue, found {accepted_by_clerk}"
    );
    assert!(
        wrong.is_empty(),
        "{} vectors:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The JWKS `issuer` serves, plus `extra` members.
fn jwks_with(issuer: &TestIssuer, extra: &[Value]) -> Value {
    let mut keys = issuer.jwks()["keys"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    keys.extend_from_slice(extra);
    json!({ "keys": keys })
}

/// A shared secret (`kty: "oct"`, the base64url of `shared-secret-published-in-a-jwks`)
/// published as a JWKS member, kid `oct_shared`.
fn oct_jwk() -> Value {
    json!({
        "kty": "oct", "kid": "oct_shared", "use": "sig", "alg": "HS256",
        "k": "c2hhcmVkLXNlY3JldC1wdWJsaXNoZWQtaW4tYS1qd2tz",
    })
}

/// The issuer's own RSA key as a JWK, with `changes` merged in.
fn issuer_jwk_with(issuer: &TestIssuer, changes: &Value) -> Value {
    let mut jwk = issuer.jwks()["keys"][0].clone();
    if let (Some(jwk), Some(changes)) = (jwk.as_object_mut(), changes.as_object()) {
        jwk.extend(changes.clone());
    }
    jwk
}

/// A session token of `issuer` (signed with the key `header["alg"]` names) with this header.
fn session_with_header(issuer: &TestIssuer, header: &Value) -> String {
    issuer.sign(header, &Value::Object(issuer.session().payload()))
}

/// Asserts that we reject `token` against `jwks` with `clerk` (Clerk's reason, read in its
/// code), and, where Node is present, that Clerk's own `verifyToken` says the same.
async fn assert_reason_is_clerks(issuer: &TestIssuer, jwks: &Value, token: &str, clerk: Reason) {
    let set = JwkSet::from_value(jwks).expect("the JWKS holds the issuer's usable key");
    let verifier = Verifier::builder()
        .jwks(set)
        .issuer(issuer.issuer())
        .clock(issuer.clock().clone())
        .build()
        .expect("the verifier builds");
    let ours = verifier.verify_payload(token, TokenKind::Session).await;
    let ours = ours.expect_err("the token is rejected");
    assert_eq!(ours.reason(), clerk, "ours: {ours}");

    let request = json!({ "token": token, "jwks": jwks });
    let Some(answer) = node::run("jwks_verify.mjs", &["@clerk/backend"], &request) else {
        return;
    };
    assert_eq!(answer["ok"], false, "Clerk's verifyToken: {answer}");
    assert_eq!(
        answer["reason"],
        clerk.as_str(),
        "Clerk's verifyToken: {answer}"
    );
}

/// Clerk finds the `oct` key by its kid and hands it to WebCrypto's `importKey` for
/// RSASSA-PKCS1-v1_5, which refuses it (`Invalid JWK "kty" Parameter`): `hasValidSignature`
/// fails, so `verifyJwt` says `token-verification-failed`. We leave the `oct` member out of
/// the set as a shared secret in a public key set, and name it when a kid selects it
/// (`KeyUnusable`), with the same reason.
#[tokio::test]
async fn a_kid_naming_an_oct_key_is_token_verification_failed() {
    let issuer = TestIssuer::new();
    let jwks = jwks_with(&issuer, &[oct_jwk()]);
    let header =
        json!({ "alg": "RS256", "kid": "oct_shared", "typ": "JWT", "cat": "cl_B7d4PD111AAA" });
    let token = session_with_header(&issuer, &header);
    assert_reason_is_clerks(&issuer, &jwks, &token, Reason::TokenVerificationFailed).await;
}

/// The attack an `oct` key in a JWKS invites: an HS256 token whose kid names it. Clerk finds
/// the key by its kid, then `verifyJwt`'s `assertHeaderAlgorithm` stops the token before the
/// key is used (`token-invalid-algorithm`: HS256 is not RS256/RS384/RS512), so which secret
/// the MAC was made with does not matter; ours gives the same reason.
#[tokio::test]
async fn an_hs256_token_whose_kid_names_an_oct_key_is_token_invalid_algorithm() {
    let issuer = TestIssuer::new();
    let jwks = jwks_with(&issuer, &[oct_jwk()]);
    let header =
        json!({ "alg": "HS256", "kid": "oct_shared", "typ": "JWT", "cat": "cl_B7d4PD111AAA" });
    let token = session_with_header(&issuer, &header);
    assert_reason_is_clerks(&issuer, &jwks, &token, Reason::TokenInvalidAlgorithm).await;
}

/// A key published for encryption (`"use": "enc"`) with the very key that signed the token:
/// WebCrypto's `importKey` refuses a verify usage for it (`Invalid JWK "use" Parameter`), so
/// Clerk says `token-verification-failed`; we leave the member out (`use` other than `sig`)
/// and say the same when its kid is named.
#[tokio::test]
async fn a_kid_naming_a_use_enc_key_is_token_verification_failed() {
    let issuer = TestIssuer::new();
    let enc = issuer_jwk_with(&issuer, &json!({ "kid": "ins_enc", "use": "enc" }));
    let jwks = jwks_with(&issuer, &[enc]);
    let header =
        json!({ "alg": "RS256", "kid": "ins_enc", "typ": "JWT", "cat": "cl_B7d4PD111AAA" });
    let token = session_with_header(&issuer, &header);
    assert_reason_is_clerks(&issuer, &jwks, &token, Reason::TokenVerificationFailed).await;
}

/// RS512 is one of Clerk's algorithms, so `assertHeaderAlgorithm` lets it through, but the
/// key's JWK says `alg: RS256`: WebCrypto's `importKey` refuses it (`JWK "alg" does not match
/// the requested algorithm`) and Clerk says `token-verification-failed`, though the RS512
/// signature by that very key is valid. We bind the key to its `alg` too (`KeyAlgorithm`).
#[tokio::test]
async fn an_rs512_token_for_an_rs256_key_is_token_verification_failed() {
    let issuer = TestIssuer::new();
    let jwks = issuer.jwks();
    let header =
        json!({ "alg": "RS512", "kid": issuer.kid(), "typ": "JWT", "cat": "cl_B7d4PD111AAA" });
    let token = session_with_header(&issuer, &header);
    assert_reason_is_clerks(&issuer, &jwks, &token, Reason::TokenVerificationFailed).await;
}

/// An ES256 token (a real ES256 signature) whose kid names the instance's RSA key: ES256 is
/// not one of Clerk's algorithms, so `assertHeaderAlgorithm` rejects it before the key is
/// used (`token-invalid-algorithm`); ours is the same.
#[tokio::test]
async fn an_es256_token_for_an_rsa_key_is_token_invalid_algorithm() {
    let issuer = TestIssuer::new();
    let jwks = issuer.jwks();
    let header =
        json!({ "alg": "ES256", "kid": issuer.kid(), "typ": "JWT", "cat": "cl_B7d4PD111AAA" });
    let token = session_with_header(&issuer, &header);
    assert_reason_is_clerks(&issuer, &jwks, &token, Reason::TokenInvalidAlgorithm).await;
}
