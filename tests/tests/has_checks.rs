//! Every case of `testdata/clerk-fixtures/has-checks.json` (Clerk's JS `authorization.spec.ts`,
//! plus three derived cases) through `AuthObject::has`.

use clerk_claims::authorize::Has;
use clerk_claims::session::AuthObject;
use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/clerk-fixtures/has-checks.json"
);

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(FIXTURE).expect("has-checks.json is in testdata");
    serde_json::from_str(&text).expect("has-checks.json is a JSON array")
}

/// The fixture's auth object is Clerk's JS shape, where any JSON value can sit in any field.
/// Our `AuthObject` is typed; a value it cannot hold (a numeric `orgRole`, an object for
/// `orgPermissions`, a fractional factor age) is `Err`, and the caller checks that Clerk
/// answers `false` for it, which is what a typed field that cannot hold it guarantees.
fn auth_from_js(auth: &Value) -> Result<AuthObject, String> {
    fn text(auth: &Value, key: &str) -> Result<Option<String>, String> {
        match auth.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("{key} = {other}")),
        }
    }
    let org_permissions = match auth.get("orgPermissions") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .ok_or(format!("orgPermissions item {i}"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(other) => return Err(format!("orgPermissions = {other}")),
    };
    let factor_verification_age = match auth.get("factorVerificationAge") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ages)) => match ages.as_slice() {
            [a, b] => match (a.as_i64(), b.as_i64()) {
                (Some(a), Some(b)) => Some([a, b]),
                _ => return Err(format!("factorVerificationAge = {ages:?}")),
            },
            _ => return Err(format!("factorVerificationAge = {ages:?}")),
        },
        Some(other) => return Err(format!("factorVerificationAge = {other}")),
    };
    Ok(AuthObject {
        user_id: text(auth, "userId")?,
        org_id: text(auth, "orgId")?,
        org_role: text(auth, "orgRole")?,
        org_permissions,
        features: text(auth, "features")?,
        plans: text(auth, "plans")?,
        factor_verification_age,
        ..AuthObject::default()
    })
}

#[test]
fn every_has_check_case_gives_clerks_answer() {
    let cases = cases();
    assert_eq!(cases.len(), 38, "the fixture holds 38 cases");
    let mut evaluated = 0;
    let mut unrepresentable = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let expected = case["expected"].as_bool().expect("expected is a bool");
        let params: Result<Has, _> = serde_json::from_value(case["params"].clone());
        match (auth_from_js(&case["auth"]), params) {
            (Ok(auth), Ok(has)) => {
                assert_eq!(
                    auth.has(&has),
                    expected,
                    "case {i}: has({has}) on {}",
                    case["auth"]
                );
                evaluated += 1;
            }
            (auth, params) => {
                // Rust's types refuse this input outright; Clerk must answer false for it.
                assert!(
                    !expected,
                    "case {i} is unrepresentable but Clerk answers true: {case}"
                );
                unrepresentable.push((i, auth.err(), params.err().map(|e| e.to_string())));
            }
        }
    }
    // Every case Clerk answers `true` went through `has` (asserted above); the rest are
    // Clerk's invalid-input cases, each refused by a type, with a message saying why.
    assert_eq!(evaluated + unrepresentable.len(), cases.len());
    for (i, auth, params) in &unrepresentable {
        let why = auth.as_deref().or(params.as_deref()).unwrap_or_default();
        assert!(!why.is_empty(), "case {i} refused without a reason");
    }
    eprintln!("{evaluated} cases evaluated by has(); refused by types: {unrepresentable:#?}");
}

#[test]
fn invalid_reverification_params_are_rejected_when_read() {
    for params in [
        r#"{"reverification": "invalid-value"}"#,
        r#"{"reverification": {"level": "multi_factor"}}"#,
        r#"{"reverification": {"level": "multi_factor", "afterMinutes": -1}}"#,
        r#"{"reverification": {"level": "fourth_factor", "afterMinutes": 5}}"#,
        r#"{"reverification": {"level": "first_factor", "afterMinutes": 1.5}}"#,
        r#"{"rol": "org:admin"}"#,
    ] {
        assert!(
            serde_json::from_str::<Has>(params).is_err(),
            "{params} should not parse"
        );
    }
}

#[test]
fn zero_after_minutes_never_passes() {
    let auth = AuthObject {
        user_id: Some("user_1".into()),
        factor_verification_age: Some([0, 0]),
        ..AuthObject::default()
    };
    let has: Has =
        serde_json::from_str(r#"{"reverification": {"level": "first_factor", "afterMinutes": 0}}"#)
            .unwrap();
    assert!(!auth.has(&has));
    let has: Has =
        serde_json::from_str(r#"{"reverification": {"level": "first_factor", "afterMinutes": 1}}"#)
            .unwrap();
    assert!(auth.has(&has));
}
