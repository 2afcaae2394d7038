//! `JwtTemplate::from_json`, `validate` (Clerk's save rules) and `check_shortcodes`.
#![forbid(unsafe_code)]

use clerk_claims::JwtTemplate;
use clerk_claims::template::{MAX_CLAIMS_BYTES, TemplateError};
use serde_json::{Value, json};

fn load(rel: &str) -> Value {
    let path = format!("{}/tests/data/template/{rel}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn docs_complete_example() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/clerk-fixtures/jwt-template-rendering.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    cases
        .into_iter()
        .find(|c| c["name"] == json!("complete example"))
        .map(|c| c["template_claims"].clone())
        .unwrap_or_else(|| panic!("no complete example in {path}"))
}

fn template(json: &Value) -> JwtTemplate {
    JwtTemplate::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bare_claims_get_clerks_defaults_and_no_name() {
    let claims = docs_complete_example();
    let t = template(&claims);
    assert_eq!(
        (t.name.as_str(), t.lifetime, t.allowed_clock_skew),
        ("", 60, 5)
    );
    assert_eq!(t.signing_algorithm, None);
    assert_eq!(t.claims, claims);
}

#[test]
fn api_body_shape_is_read_field_by_field() {
    let body = load("hasura-api-body.json");
    let t = template(&body);
    assert_eq!(t.name, "hasura");
    assert_eq!((t.lifetime, t.allowed_clock_skew), (300, 10));
    assert_eq!(t.signing_algorithm.as_deref(), Some("HS256"));
    assert_eq!(t.claims, body["claims"]);
}

#[test]
fn api_body_round_trips_through_to_api_body() {
    let t = template(&load("hasura-api-body.json"));
    assert_eq!(template(&t.to_api_body()), t);
}

#[test]
fn jwt_template_response_without_custom_key_has_no_algorithm() {
    let t = template(&load("jwt-template-response.json"));
    assert_eq!(t.name, "supabase");
    assert_eq!(t.lifetime, 3600);
    assert_eq!(
        t.signing_algorithm, None,
        "RS256 is the instance's algorithm, not the template's"
    );
    assert_eq!(t.validate(), Ok(()));
}

#[test]
fn object_with_a_claims_key_among_other_claims_is_bare_claims() {
    let json = load("claims-with-a-claims-key.json");
    let t = template(&json);
    assert_eq!(t.name, "");
    assert_eq!(t.claims, json);
}

#[test]
fn template_object_with_empty_name_is_missing_name() {
    let err = JwtTemplate::from_json(&json!({"name": "", "claims": {}})).err();
    assert_eq!(
        err.as_ref().and_then(TemplateError::code),
        Some("form_param_missing")
    );
    assert_eq!(err.as_ref().and_then(TemplateError::param), Some("name"));
}

#[test]
fn lifetime_of_wrong_type_names_the_field() {
    let err = JwtTemplate::from_json(&json!({"name": "a", "claims": {}, "lifetime": "60"})).err();
    assert!(
        matches!(
            &err,
            Some(TemplateError::WrongType {
                field: "lifetime",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(err.is_some_and(|e| e.to_string().contains("found the string \"60\"")));
}

#[test]
fn custom_key_without_algorithm_is_missing_signing_algorithm() {
    let err =
        JwtTemplate::from_json(&json!({"name": "a", "claims": {}, "custom_signing_key": true}))
            .err();
    assert_eq!(
        err.as_ref().and_then(TemplateError::param),
        Some("signing_algorithm")
    );
}

#[test]
fn non_object_claims_are_clerks_format_error() {
    let err = JwtTemplate::from_json(&json!(["{{user.id}}"])).err();
    assert_eq!(
        err.as_ref().and_then(TemplateError::code),
        Some("form_param_format_invalid")
    );
}

#[test]
fn validate_reports_every_violation_with_clerks_codes() {
    let t = template(&load("breaks-every-rule.json"));
    let errors = t.validate().err().unwrap_or_default();
    let got: Vec<(Option<&str>, Option<&str>)> =
        errors.iter().map(|e| (e.code(), e.param())).collect();
    assert_eq!(
        got,
        vec![
            (Some("form_param_format_invalid"), Some("name")),
            (Some("jwt_template_reserved_claim"), Some("claims")),
            (Some("jwt_template_reserved_claim"), Some("claims")),
            (Some("form_param_value_invalid"), Some("aud")),
            (Some("form_param_value_invalid"), Some("lifetime")),
            (Some("form_param_value_invalid"), Some("allowed_clock_skew")),
            (Some("form_param_value_invalid"), Some("signing_algorithm")),
        ]
    );
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("You can't use the reserved claim: 'iat'")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("You can't use the reserved claim: 'sub'")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("'jti'")),
        "jti is accepted on save: {messages:?}"
    );
}

#[test]
fn docs_complete_example_passes_save_rules_despite_unknown_shortcodes() {
    // Clerk does not check shortcodes on save; `check_shortcodes` is what catches them.
    assert_eq!(template(&docs_complete_example()).validate(), Ok(()));
}

#[test]
fn oversized_claims_are_rejected_as_clerk_measures_them() {
    let mut t = template(&json!({}));
    t.claims = json!({ "k": "a".repeat(MAX_CLAIMS_BYTES - 8) });
    assert_eq!(
        t.validate(),
        Ok(()),
        "exactly {MAX_CLAIMS_BYTES} compact bytes is allowed"
    );
    t.claims = json!({ "k": "a".repeat(MAX_CLAIMS_BYTES - 7) });
    let codes: Vec<_> = t
        .validate()
        .err()
        .unwrap_or_default()
        .iter()
        .filter_map(TemplateError::code)
        .collect();
    assert_eq!(codes, vec!["form_param_exceeds_allowed_size"]);
}

#[test]
fn session_token_claims_skip_the_name_rule() {
    let mut t = template(&json!({"plan": "{{user.public_metadata.plan}}"}));
    t.session_token = true;
    assert_eq!(t.validate(), Ok(()));
}

#[test]
fn check_shortcodes_lists_unknown_shortcodes_with_suggestions() {
    let issues = template(&docs_complete_example()).check_shortcodes();
    let got: Vec<(&str, Option<&str>)> = issues
        .iter()
        .map(|i| (i.pointer.as_str(), i.suggestion))
        .collect();
    assert_eq!(got.len(), 2, "{issues:#?}");
    assert_eq!(got[0], ("/phone", Some("user.primary_phone_number")));
    assert_eq!(got[1].0, "/invalid_shortcode");
    assert_eq!(issues[0].value, "{{user.primary_phone_address}}");
    assert_eq!(issues[0].offset, Some(2));
}

#[test]
fn check_shortcodes_catches_the_role_that_locks_everyone_out() {
    let issues = template(&load("breaks-every-rule.json")).check_shortcodes();
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(
        (issues[0].pointer.as_str(), issues[0].suggestion),
        ("/role", Some("org.role"))
    );
    assert!(issues[0].to_string().contains("did you mean `org.role`?"));
}

#[test]
fn check_shortcodes_is_empty_for_a_clean_template_and_walks_nested_claims() {
    let t = template(&load("hasura-api-body.json"));
    assert_eq!(t.check_shortcodes(), vec![]);
    let mut t = t;
    t.claims["https://hasura.io/jwt/claims"]["x-hasura-user-id"] = json!("{{ user.id }}");
    let issues = t.check_shortcodes();
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].pointer,
        "/https:~1~1hasura.io~1jwt~1claims/x-hasura-user-id"
    );
}

#[test]
fn deprecated_shortcodes_are_reported() {
    let t = template(&load("hasura-api-body.json"));
    let names: Vec<_> = t.deprecated_shortcodes().iter().map(|s| s.name).collect();
    assert_eq!(names, vec!["user.profile_image_url"]);
}

/// Clerk's `validate:"required"` treats an empty name as a missing one; the fake answers the
/// same, since it reads bodies with the same parser.
#[test]
fn an_empty_template_name_is_clerks_missing_name() {
    let err = JwtTemplate::from_json(&json!({"name": "", "claims": {}})).err();
    assert_eq!(
        err.as_ref().map(|e| (e.code(), e.param())),
        Some((Some("form_param_missing"), Some("name")))
    );
}

#[test]
fn a_template_body_field_of_the_wrong_type_names_the_field_and_the_value() {
    let err = JwtTemplate::from_json(&json!({"name": "a", "claims": {}, "signing_key": 7})).err();
    assert_eq!(
        err.as_ref().and_then(TemplateError::param),
        Some("signing_key")
    );
    assert!(
        err.is_some_and(|e| e.to_string().contains("found the number 7")),
        "the value is described"
    );
}
