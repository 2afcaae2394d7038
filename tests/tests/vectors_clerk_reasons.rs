//! Where `@clerk/backend` 3.25.0 rejects an attack vector, we reject it with Clerk's reason
//! code (our message may say more). The observed outcome of each vector is recorded in
//! `testdata/vectors/attack-tokens.json` (`observed["@clerk/backend-3.25.0"]`, as
//! `reject:<reason>:<message>`); the few vectors where our reason still differs are listed
//! below with why.

use std::time::Duration;

use clerk_claims::jwks::JwkSet;
use clerk_claims::verify::{Reason, TokenKind, Verifier};
use serde_json::Value;

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

fn load() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS).expect("attack-tokens.json is in testdata");
    let doc: Value = serde_json::from_str(&text).expect("attack-tokens.json is JSON");
    doc["vectors"].as_array().cloned().unwrap_or_default()
}

/// Clerk's reason for a vector it rejects; `None` when Clerk accepts it.
fn clerk_reason(v: &Value) -> Option<Reason> {
    let observed = v["observed"]["@clerk/backend-3.25.0"]["verifyToken_semantics"].as_str()?;
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
        let token = v["token"].as_str().unwrap_or_default();
        let ours = match verifier_for(v) {
            Ok(verifier) => match verifier.verify_payload(token, TokenKind::Session).await {
                Ok(_) => "accepted".to_owned(),
                Err(e) => format!("{} ({e})", e.reason()),
            },
            Err(e) => format!("build failed ({e})"),
        };
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
