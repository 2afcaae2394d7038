//! `clerk-claims token inspect` through the built binary: Clerk's own signed test tokens
//! (`testdata/clerk-fixtures/session-token-verification.json`) verified against their JWKS at
//! the fixture's fixed times, plus unsigned v2 tokens decoded with `--no-verify`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine as _};
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::{Map, Value, json};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/clerk-fixtures/session-token-verification.json"
);

fn fixture() -> Value {
    let text =
        std::fs::read_to_string(FIXTURE).expect("session-token-verification.json is in testdata");
    serde_json::from_str(&text).expect("the fixture is JSON")
}

fn token(name: &str) -> (String, Value) {
    let f = fixture();
    let t = &f["tokens"][name];
    (
        t["jwt"].as_str().expect("jwt").to_owned(),
        t["payload"].clone(),
    )
}

/// The fixture's JWKS written to a file of this test's own.
fn jwks_file(test: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "clerk-claims-{}-{test}.jwks.json",
        std::process::id()
    ));
    std::fs::write(&path, fixture()["jwks"].to_string()).expect("temp dir is writable");
    path
}

fn inspect(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clerk-claims"));
    cmd.args(["token", "inspect"]).args(args);
    for var in [
        "CLERK_JWT_KEY",
        "CLERK_SECRET_KEY",
        "CLERK_PUBLISHABLE_KEY",
        "CLERK_API_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the clerk-claims binary runs");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or_default().as_bytes())
            .expect("stdin accepts the token");
    }
    child.wait_with_output().expect("the command finishes")
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn text_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// An unsigned token (`--no-verify` only) with this payload.
fn unsigned(payload: &Value) -> String {
    let part = |v: &Value| BASE64_URL_SAFE_NO_PAD.encode(v.to_string());
    let header = json!({"alg": "RS256", "kid": "ins_test", "typ": "JWT", "cat": "cl_B7d4PD111AAA"});
    format!("{}.{}.c2ln", part(&header), part(payload))
}

fn v2_payload() -> Value {
    json!({
        "azp": "https://example.com", "exp": 1_713_158_460, "fva": [7, -1], "iat": 1_713_158_400,
        "iss": "https://clerk.your-site.com", "jti": "1234567890", "nbf": 1_713_158_395,
        "sid": "sess_123", "sub": "user_123", "v": 2, "pla": "o:pro",
        "fea": "o:dashboard,o:teams", "sts": "active",
        "o": {"id": "org_123", "slg": "org-slug", "rol": "admin", "per": "manage,read", "fpm": "3,2"}
    })
}

#[test]
fn valid_session_token_is_verified_and_explained_as_json() {
    let (jwt, payload) = token("valid_v1_session");
    let jwks = jwks_file("valid");
    let now = payload["iat"].as_i64().unwrap();
    let out = inspect(
        &[
            "--jwks",
            jwks.to_str().unwrap(),
            "--now",
            &now.to_string(),
            "--json",
            &jwt,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "verified",
            "error",
            "header",
            "claims",
            "auth",
            "checks",
            "expires_in_s",
            "notes",
            "session_status"
        ]
    );
    assert_eq!(report["verified"], true);
    assert_eq!(report["error"], Value::Null);
    assert_eq!(report["claims"], payload);
    assert_eq!(
        report["header"]["kid"],
        fixture()["tokens"]["valid_v1_session"]["header"]["kid"]
    );
    assert_eq!(report["auth"]["user_id"], payload["sub"]);
    assert_eq!(report["auth"]["session_id"], payload["sid"]);
    assert_eq!(report["auth"]["org_id"], Value::Null);
    assert_eq!(report["checks"], json!([]));
    assert_eq!(
        report["expires_in_s"],
        payload["exp"].as_i64().unwrap() - now
    );
}

#[test]
fn expired_token_is_rejected_with_token_expired_and_advice() {
    let (jwt, payload) = token("expired");
    let jwks = jwks_file("expired");
    let now = payload["exp"].as_i64().unwrap() + 600;
    let args = ["--jwks", jwks.to_str().unwrap(), "--now", &now.to_string()];
    let out = inspect(&[&args[..], &["--json", &jwt]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["verified"], false);
    assert_eq!(report["error"]["reason"], "token-expired");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    assert_eq!(report["expires_in_s"], -600);

    let out = inspect(&[&args[..], &[&jwt]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    let text = text_of(&out);
    assert!(text.contains("REJECTED (token-expired)"), "{text}");
    assert!(text.contains("expired 10m 0s ago"), "{text}");
    assert!(text.contains("what to do:"), "{text}");
}

#[test]
fn tampered_token_is_rejected_with_token_invalid_signature() {
    let (jwt, payload) = token("invalid_signature");
    let jwks = jwks_file("tampered");
    let now = payload["iat"].as_i64().unwrap().to_string();
    let out = inspect(
        &[
            "--jwks",
            jwks.to_str().unwrap(),
            "--now",
            &now,
            "--json",
            &jwt,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    assert_eq!(report["error"]["reason"], "token-invalid-signature");
    // The payload is still shown, to explain what was presented.
    assert_eq!(report["claims"]["azp"], payload["azp"]);
}

#[test]
fn wrong_authorized_party_is_rejected_and_the_fix_names_the_tokens_azp() {
    let (jwt, payload) = token("valid_v1_session");
    let jwks = jwks_file("azp");
    let now = payload["iat"].as_i64().unwrap().to_string();
    let out = inspect(
        &[
            "--jwks",
            jwks.to_str().unwrap(),
            "--now",
            &now,
            "--authorized-party",
            "https://other.example",
            &jwt,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = text_of(&out);
    assert!(text.contains("token-invalid-authorized-parties"), "{text}");
    let azp = payload["azp"].as_str().unwrap();
    assert!(
        text.contains(&format!("--authorized-party {azp}")),
        "{text}"
    );
}

#[test]
fn failed_check_exits_3_and_passing_checks_exit_0() {
    let (jwt, payload) = token("valid_v1_session");
    let jwks = jwks_file("checks");
    let now = payload["iat"].as_i64().unwrap().to_string();
    let base = ["--jwks", jwks.to_str().unwrap(), "--now", &now, "--json"];
    let out = inspect(
        &[&base[..], &["--has", "role=org:admin", &jwt]].concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        json_of(&out)["checks"],
        json!([{"check": "role=org:admin", "pass": false}])
    );

    // fva is absent in this v1 token, so reverification fails too; nothing passes without an org.
    let out = inspect(
        &[&base[..], &["--has", "reverification=lax", &jwt]].concat(),
        None,
    );
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn no_verify_decodes_a_v2_token_and_runs_checks() {
    let jwt = unsigned(&v2_payload());
    let out = inspect(
        &[
            "--no-verify",
            "--now",
            "1713158400",
            "--json",
            "--has",
            "role=org:admin,permission=org:teams:read",
            "--has",
            "permission=org:teams:manage",
            "--has",
            "feature=o:dashboard,plan=pro",
            "--has",
            "reverification=first_factor/10",
            &jwt,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3), "one check fails");
    let report = json_of(&out);
    assert_eq!(report["verified"], false);
    assert_eq!(report["error"], Value::Null);
    assert_eq!(report["auth"]["org_role"], "org:admin");
    assert_eq!(
        report["auth"]["org_permissions"],
        json!([
            "org:dashboard:manage",
            "org:dashboard:read",
            "org:teams:read"
        ])
    );
    let passes: Vec<bool> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pass"].as_bool().unwrap())
        .collect();
    assert_eq!(passes, [true, false, true, true]);
    assert_eq!(report["expires_in_s"], 60);
}

#[test]
fn human_report_says_who_which_session_org_role_permissions_and_expiry() {
    let jwt = unsigned(&v2_payload());
    let out = inspect(
        &["--no-verify", "--now", "1713158400", "-"],
        Some(&format!("Bearer {jwt}\n")),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = text_of(&out);
    for expected in [
        "NOT VERIFIED",
        "user_123",
        "sess_123 (active when issued)",
        "org_123 (org-slug), role org:admin",
        "org:dashboard:manage, org:dashboard:read, org:teams:read",
        "in 1m 0s",
        "first 7m 0s ago, second never",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn garbage_is_malformed_with_exit_1_not_a_crash() {
    for garbage in [
        "not-a-token",
        "a.b.c",
        "e30.WzFd.x",
        "....",
        "\u{1F600}.\u{1F600}.x",
    ] {
        let out = inspect(&["--no-verify", "--json", garbage], None);
        assert_eq!(out.status.code(), Some(1), "{garbage:?}");
        let report = json_of(&out);
        assert_eq!(report["error"]["reason"], "token-invalid", "{garbage:?}");
        assert!(
            report["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Invalid JWT form")
        );
        assert_eq!(report["claims"], Value::Null);
    }
}

#[test]
fn decodable_payload_that_is_not_a_session_token_is_rejected() {
    let jwt = unsigned(&json!({"iat": 1_666_648_250}));
    let out = inspect(&["--no-verify", "--json", &jwt], None);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out);
    // No `sub`: what verifying says (Clerk's `assertSubClaim`), not a claims misfit.
    assert_eq!(report["error"]["reason"], "token-verification-failed");
    let message = report["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("`sub`"), "{message}");
    // Still explained: the claims, and an auth object of nulls.
    assert_eq!(report["claims"]["iat"], 1_666_648_250);
    assert_eq!(report["auth"]["user_id"], Value::Null);
    assert_eq!(report["auth"]["org_id"], Value::Null);
    // As a template token, the same payload is just claims.
    let out = inspect(&["--no-verify", "--template", "--json", &jwt], None);
    assert_eq!(out.status.code(), Some(0));
}

/// `--no-verify` gives the reason verifying the same token gives: the verifier's for a
/// registered claim it checks (`sub`, `exp`, `iat`, `nbf`, `iss`, `azp`, `sid`, `jti`),
/// `claims-mismatch` for a claim only the session shape reads (`fea`).
#[test]
fn no_verify_gives_the_reason_verifying_gives_when_the_session_shape_fails() {
    let issuer = TestIssuer::new();
    let jwks = std::env::temp_dir().join(format!(
        "clerk-claims-{}-shape-reasons.jwks.json",
        std::process::id()
    ));
    std::fs::write(&jwks, issuer.jwks().to_string()).expect("temp dir is writable");
    let jwks = jwks.to_str().expect("temp path is UTF-8");
    // The claim changed (`None`: removed) and the reason both ways.
    let cases: [(&str, Option<Value>, &str); 12] = [
        ("sub", None, "token-verification-failed"),
        ("sub", Some(json!(7)), "token-verification-failed"),
        ("exp", None, "token-verification-failed"),
        ("exp", Some(json!(null)), "token-verification-failed"),
        (
            "exp",
            Some(json!("1767225600")),
            "token-verification-failed",
        ),
        (
            "iat",
            Some(json!("1767225600")),
            "token-verification-failed",
        ),
        ("nbf", Some(json!(true)), "token-verification-failed"),
        ("iss", Some(json!(42)), "token-verification-failed"),
        ("azp", Some(json!(42)), "token-invalid-authorized-parties"),
        ("sid", Some(json!(123)), "token-verification-failed"),
        ("jti", Some(json!(["a"])), "token-verification-failed"),
        ("fea", Some(json!(3)), "claims-mismatch"),
    ];
    for (claim, value, reason) in cases {
        let case = format!("{claim} = {value:?}");
        let mut payload: Map<String, Value> = issuer.session().payload();
        let sid = payload["sid"].clone();
        match value {
            Some(value) => payload.insert(claim.to_owned(), value),
            None => payload.remove(claim),
        };
        let token = issuer.sign(&issuer.header("cl_B7d4PD111AAA"), &Value::Object(payload));
        let verified = json_of(&inspect(&["--jwks", jwks, "--json", &token], None));
        assert_eq!(
            verified["error"]["reason"], reason,
            "{case}, verified: {verified}"
        );
        let unverified = inspect(&["--no-verify", "--json", &token], None);
        assert_eq!(unverified.status.code(), Some(1), "{case}");
        let unverified = json_of(&unverified);
        assert_eq!(
            unverified["error"]["reason"], reason,
            "{case}, --no-verify: {unverified}"
        );
        // Still explained: the claims as written.
        assert_eq!(unverified["claims"], verified["claims"], "{case}");
        if claim != "sid" {
            assert_eq!(unverified["claims"]["sid"], sid, "{case}");
        }
    }
    // A fractional exp is a NumericDate the verifier takes: whatever the session reader makes
    // of it, --no-verify says what verifying says.
    let mut payload = issuer.session().payload();
    let exp = payload["exp"].as_f64().unwrap_or_default() + 0.5;
    payload.insert("exp".to_owned(), json!(exp));
    let token = issuer.sign(&issuer.header("cl_B7d4PD111AAA"), &Value::Object(payload));
    let verified = inspect(&["--jwks", jwks, "--json", &token], None);
    let unverified = inspect(&["--no-verify", "--json", &token], None);
    assert_eq!(unverified.status.code(), verified.status.code());
    assert_eq!(
        json_of(&unverified)["error"]["reason"],
        json_of(&verified)["error"]["reason"]
    );
}

#[test]
fn usage_errors_exit_2() {
    let (jwt, _) = token("valid_v1_session");
    let out = inspect(&[&jwt], None);
    assert_eq!(out.status.code(), Some(2), "no key configured");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-verify"));
    let out = inspect(&["--no-verify", "--has", "rol=org:admin", &jwt], None);
    assert_eq!(out.status.code(), Some(2), "bad --has syntax");
}

#[test]
fn empty_token_is_a_rejection_with_token_invalid() {
    let jwks = jwks_file("empty-token");
    for args in [
        &["--no-verify", "--json", "-"][..],
        &["--jwks", jwks.to_str().unwrap(), "--json", "-"],
        // No key configured: still the token's fault first.
        &["--json", "-"],
    ] {
        let out = inspect(args, Some("  \n"));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let report = json_of(&out);
        assert_eq!(report["error"]["reason"], "token-invalid", "{args:?}");
        assert_eq!(report["verified"], false);
    }
}

#[test]
fn bearer_prefix_is_dropped_with_a_note_on_stderr() {
    let (jwt, _) = token("valid_v1_session");
    let out = inspect(&["--no-verify", "--json", &format!("Bearer {jwt}")], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out)["error"], Value::Null);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("dropped the leading `Bearer `"), "{stderr}");
    let out = inspect(&["--no-verify", "--json", &jwt], None);
    assert!(out.stderr.is_empty(), "no note without the prefix");
}

#[test]
fn jwks_file_without_a_usable_key_is_a_rejection_with_clerks_reason() {
    let (jwt, _) = token("valid_v1_session");
    let kid = {
        let header = jwt.split('.').next().unwrap();
        let header: Value =
            serde_json::from_slice(&BASE64_URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
        header["kid"].as_str().unwrap().to_owned()
    };
    let path = |name: &str, jwks: Value| {
        let path = std::env::temp_dir().join(format!(
            "clerk-claims-{}-{name}.jwks.json",
            std::process::id()
        ));
        std::fs::write(&path, jwks.to_string()).expect("temp dir is writable");
        path
    };
    // No key at all: Clerk finds no key for the kid.
    let empty = path("no-keys", json!({"keys": []}));
    // The token's kid, but a key Clerk could not import for RS256 (a symmetric key).
    let unusable = path(
        "unusable",
        json!({"keys": [{"kty": "oct", "kid": kid, "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}]}),
    );
    for (file, reason) in [
        (&empty, "jwk-kid-mismatch"),
        (&unusable, "token-verification-failed"),
    ] {
        let out = inspect(&["--jwks", file.to_str().unwrap(), "--json", &jwt], None);
        assert_eq!(out.status.code(), Some(1), "{}", text_of(&out));
        let report = json_of(&out);
        assert_eq!(report["error"]["reason"], reason, "{report}");
        assert!(
            report["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert_eq!(report["verified"], false);
    }
}

#[test]
fn signed_v2_token_verifies_with_a_pem_key_and_checks_pass() {
    let issuer = clerk_claims::testing::issuer::TestIssuer::new();
    let pem = std::env::temp_dir().join(format!("clerk-claims-{}-v2.pem", std::process::id()));
    std::fs::write(&pem, issuer.public_key_pem()).expect("temp dir is writable");
    let iat = 1_900_000_000;
    let jwt = issuer
        .session()
        .user("user_v2")
        .org("org_9", "acme", "admin")
        .permissions(["org:invoices:read", "org:reports:manage"])
        .plans(["o:team"])
        .fva(1, 4)
        .issued_at(iat)
        .mint();
    let out = inspect(
        &[
            "--pem",
            pem.to_str().unwrap(),
            "--issuer",
            &issuer.issuer(),
            "--now",
            &iat.to_string(),
            "--json",
            "--has",
            "role=admin,permission=org:reports:manage",
            "--has",
            "plan=o:team,reverification=strict",
            &jwt,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = json_of(&out);
    assert_eq!(report["verified"], true);
    assert_eq!(report["auth"]["org_role"], "org:admin");
    assert_eq!(report["auth"]["factor_verification_age"], json!([1, 4]));
    assert!(
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["pass"] == true),
        "{report}"
    );
}
