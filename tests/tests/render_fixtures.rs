//! Clerk's documented template examples and engine-derived cases
//! (`testdata/clerk-fixtures/jwt-template-rendering.json`), rendered by `clerk_claims::render`,
//! plus renders from Backend-API-shaped users.
#![forbid(unsafe_code)]

use clerk_claims::render::{RenderContext, RenderError, RenderOptions, render};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/clerk-fixtures/jwt-template-rendering.json"
);

fn fixtures() -> Vec<Value> {
    let text = std::fs::read_to_string(FIXTURES).unwrap_or_else(|e| panic!("{FIXTURES}: {e}"));
    match serde_json::from_str(&text) {
        Ok(Value::Array(cases)) => cases,
        other => panic!("{FIXTURES}: expected an array of cases, found {other:?}"),
    }
}

fn context_of(case: &Value) -> RenderContext {
    let values = case["shortcode_values"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    RenderContext::from_shortcode_values(&values, &case["metadata"])
        .unwrap_or_else(|e| panic!("{}: {e}", case["name"]))
}

/// Every case renders to the engine's output. Where the docs disagree
/// (`docs_and_engine_agree: false`, the docs' "complete example"), we follow the engine:
/// it is the code Clerk runs, while the docs' example uses a shortcode that does not exist
/// (`user.primary_phone_address`) and shows a trimmed `"Doe Maria"` the engine never trims.
/// Strict mode refuses that template outright, so neither reading reaches a token.
#[test]
fn every_fixture_renders_to_the_engine_reference_output() {
    let cases = fixtures();
    assert!(
        cases.len() >= 12,
        "fixture file shrank: {} cases",
        cases.len()
    );
    for case in &cases {
        let got = render_case(case, RenderOptions::clerk());
        assert_eq!(
            got, case["engine_reference_output"],
            "case {}",
            case["name"]
        );
    }
}

#[test]
fn cases_where_docs_and_engine_agree_match_the_documented_output() {
    for case in fixtures()
        .iter()
        .filter(|c| c["docs_and_engine_agree"] == json!(true))
    {
        let got = render_case(case, RenderOptions::clerk());
        assert_eq!(
            got, case["documented_output_custom_claims"],
            "case {}",
            case["name"]
        );
    }
}

/// The documented cases use only real shortcodes, so strict mode renders them identically.
#[test]
fn strict_mode_agrees_with_the_engine_on_valid_templates() {
    for case in fixtures()
        .iter()
        .filter(|c| c["docs_and_engine_agree"] == json!(true))
    {
        let got = render_case(case, RenderOptions::strict());
        assert_eq!(
            got, case["engine_reference_output"],
            "case {}",
            case["name"]
        );
    }
}

/// Renders a fixture case's template for its context; a render error fails the test by name.
fn render_case(case: &Value, options: RenderOptions) -> Value {
    render(&case["template_claims"], &context_of(case), options)
        .unwrap_or_else(|e| panic!("{}: {e}", case["name"]))
}

fn case(name: &str) -> Value {
    fixtures()
        .into_iter()
        .find(|c| c["name"] == json!(name))
        .unwrap_or_else(|| panic!("no fixture named {name:?}"))
}

#[test]
fn strict_mode_rejects_the_docs_complete_example_naming_the_real_shortcode() {
    let c = case("complete example");
    let err = render(
        &c["template_claims"],
        &context_of(&c),
        RenderOptions::strict(),
    )
    .err();
    let Some(RenderError::Template { pointer, source }) = err else {
        panic!("expected a template error, got {err:?}");
    };
    assert_eq!(pointer, "/phone");
    assert_eq!(source.suggestion, Some("user.primary_phone_number"));
}

#[test]
fn strict_mode_rejects_spaces_inside_braces() {
    let c = case("spaces inside braces break a plain shortcode");
    let err = render(
        &c["template_claims"],
        &context_of(&c),
        RenderOptions::strict(),
    )
    .err();
    assert!(
        err.as_ref()
            .is_some_and(|e| e.to_string().contains("write `{{user.id}}`")),
        "{err:?}"
    );
}

#[test]
fn strict_mode_rejects_unknown_names_in_chains() {
    let c = case("unknown identifier in || chain becomes a string literal");
    let err = render(
        &c["template_claims"],
        &context_of(&c),
        RenderOptions::strict(),
    )
    .err();
    assert!(matches!(err, Some(RenderError::Template { .. })), "{err:?}");
}

#[test]
fn strict_mode_rejects_shortcodes_inside_objects_in_arrays() {
    let c = case("objects inside arrays are not walked");
    let err = render(
        &c["template_claims"],
        &context_of(&c),
        RenderOptions::strict(),
    )
    .err();
    let Some(RenderError::NotSubstituted { pointer, .. }) = err else {
        panic!("expected NotSubstituted, got {err:?}");
    };
    assert_eq!(pointer, "/a/0/b");
}

// ---- Backend API shaped contexts -------------------------------------------------------

const BAPI_USER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/render/bapi-user.json"
);
const BAPI_ORG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/render/bapi-org.json"
);

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn all_shortcodes_template() -> Value {
    let mut claims = serde_json::Map::new();
    for sc in clerk_claims_lang_catalogue() {
        claims.insert(sc.to_string(), Value::String(format!("{{{{{sc}}}}}")));
    }
    Value::Object(claims)
}

fn clerk_claims_lang_catalogue() -> Vec<&'static str> {
    clerk_claims::template::CATALOGUE
        .iter()
        .map(|s| s.name)
        .collect()
}

#[test]
fn bapi_user_without_org_renders_user_shortcodes_and_null_org() {
    let ctx = RenderContext::from_api(&load(BAPI_USER), None, None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let got = render(&all_shortcodes_template(), &ctx, RenderOptions::strict())
        .unwrap_or_else(|e| panic!("{e}"));
    let expected = json!({
        "user.id": "user_2x9kLm0QbUQ1NnB2d6e8T7yZcV3",
        "user.external_id": null,
        "user.first_name": "Maria",
        "user.last_name": "Doe",
        "user.full_name": "Maria Doe",
        "user.username": "maria",
        "user.created_at": 1_700_000_000,
        "user.updated_at": 1_700_000_500,
        "user.primary_email_address": "maria@example.com",
        "user.primary_phone_number": null,
        "user.primary_web3_wallet": null,
        "user.email_verified": true,
        "user.phone_number_verified": false,
        "user.image_url": "https://img.clerk.com/maria.png",
        "user.profile_image_url": "https://images.clerk.dev/maria.png",
        "user.has_image": true,
        "user.two_factor_enabled": false,
        "user.organizations": {},
        "org.id": null,
        "org.role": null,
        "org.name": null,
        "org.slug": null,
        "org.image_url": null,
        "org.has_image": null,
        "org_membership.permissions": null,
        "session.reverification_id": null
    });
    assert_eq!(got, expected);
}

#[test]
fn bapi_user_primary_email_is_chosen_by_id_not_position() {
    let ctx = RenderContext::from_api(&load(BAPI_USER), None, None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        ctx.shortcode("user.primary_email_address"),
        &json!("maria@example.com")
    );
}

#[test]
fn bapi_user_with_active_org_renders_org_and_custom_permissions_only() {
    let org = load(BAPI_ORG);
    let ctx = RenderContext::from_api(
        &load(BAPI_USER),
        Some(&org["organization"]),
        Some(&org["membership"]),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let claims = json!({
        "org": "{{org.id}}",
        "role": "{{org.role}}",
        "perms": "{{org_membership.permissions}}",
        "slug": "{{org.slug}}",
        "plan": "{{org.public_metadata.plan || 'free'}}",
        "seat": "{{org_membership.public_metadata.seat}}",
        "orgs": "{{user.organizations}}",
        "label": "{{org.name}} ({{org.role}})"
    });
    let got = render(&claims, &ctx, RenderOptions::strict()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!({
            "org": "org_2abc",
            "role": "org:admin",
            "perms": ["org:invoices:read", "org:invoices:write"],
            "slug": "acme",
            "plan": "enterprise",
            "seat": 7,
            "orgs": {"org_2abc": "org:admin"},
            "label": "Acme \\u0026 Co (org:admin)"
        })
    );
}

#[test]
fn org_without_membership_is_an_invalid_context() {
    let org = load(BAPI_ORG);
    let err =
        RenderContext::from_api(&load(BAPI_USER), Some(&org["organization"]), None, None).err();
    assert!(
        matches!(&err, Some(RenderError::InvalidContext { field, .. }) if field == "organization_membership"),
        "{err:?}"
    );
}

#[test]
fn impersonation_exposes_session_actor_and_its_paths() {
    let actor = json!({"sub": "user_admin1", "iss": "https://dashboard.clerk.com"});
    let ctx = RenderContext::from_json(&json!({
        "user": load(BAPI_USER),
        "organization": null,
        "organization_membership": null,
        "session": {"actor": actor}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let got = render(
        &json!({"act": "{{session.actor}}", "by": "{{session.actor.sub}}", "note": "by {{session.actor.sub}}"}),
        &ctx,
        RenderOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!({"act": actor, "by": "user_admin1", "note": "by user_admin1"})
    );
}

#[test]
fn without_impersonation_session_actor_is_null() {
    let ctx = RenderContext::from_json(&json!({"user": load(BAPI_USER), "session": null}))
        .unwrap_or_else(|e| panic!("{e}"));
    let got = render(
        &json!({"act": "{{session.actor}}", "s": "{{session.actor.sub || 'self'}}"}),
        &ctx,
        RenderOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, json!({"act": null, "s": "self"}));
}

#[test]
fn metadata_paths_index_arrays_and_missing_keys_are_null() {
    let ctx = RenderContext::from_api(&load(BAPI_USER), None, None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let got = render(
        &json!({"first": "{{user.public_metadata.tags.0}}", "none": "{{user.public_metadata.tags.9}}", "deep": "{{user.unsafe_metadata.a.b.c}}"}),
        &ctx,
        RenderOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, json!({"first": "beta", "none": null, "deep": null}));
}

#[test]
fn rendered_aud_clerk_is_refused_like_clerks_mint() {
    let ctx = RenderContext::from_api(&load(BAPI_USER), None, None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let err = render(
        &json!({"aud": "{{user.public_metadata.aud}}"}),
        &ctx,
        RenderOptions::clerk(),
    )
    .err();
    assert!(
        matches!(err, Some(RenderError::ReservedAud { .. })),
        "{err:?}"
    );
}

#[test]
fn context_with_wrong_types_names_the_field() {
    let mut user = load(BAPI_USER);
    user["created_at"] = json!("yesterday");
    let err = RenderContext::from_api(&user, None, None, None).err();
    assert!(
        matches!(&err, Some(RenderError::InvalidContext { field, .. }) if field == "user.created_at"),
        "{err:?}"
    );
}

#[test]
fn keys_are_never_substituted_and_non_strings_are_copied() {
    let ctx = RenderContext::from_api(&load(BAPI_USER), None, None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let got = render(
        &json!({"{{user.id}}": 1, "n": null, "b": false, "f": 1.5}),
        &ctx,
        RenderOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!({"{{user.id}}": 1, "n": null, "b": false, "f": 1.5})
    );
}
