//! Clerk's documented template examples and engine-derived cases
//! (`testdata/clerk-fixtures/jwt-template-rendering.json`), rendered by `clerk_claims::render`,
//! plus renders from Backend-API-shaped users.
#![forbid(unsafe_code)]

use clerk_claims::render::{
    RenderContext, RenderError, RenderOptions, render, render_with_warnings,
};
use clerk_claims::template::IssueKind;
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
    clerk_claims_lang::CATALOGUE
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
fn org_without_membership_fails_a_template_reading_the_role_naming_the_shortcode() {
    let org = load(BAPI_ORG);
    let ctx = RenderContext::from_api(&load(BAPI_USER), Some(&org["organization"]), None, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let err = render(
        &json!({"role": "{{org.role}}"}),
        &ctx,
        RenderOptions::clerk(),
    )
    .err();
    assert!(
        matches!(&err, Some(RenderError::MissingContext { field, shortcode: "org.role", .. }) if field == "organization_membership"),
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
fn context_with_wrong_types_names_the_field_and_the_shortcode_reading_it() {
    let mut user = load(BAPI_USER);
    user["created_at"] = json!("yesterday");
    let ctx = RenderContext::from_api(&user, None, None, None).unwrap_or_else(|e| panic!("{e}"));
    let err = render(
        &json!({"meta": {"since": "joined {{user.created_at}}"}}),
        &ctx,
        RenderOptions::clerk(),
    )
    .err();
    assert!(
        matches!(&err, Some(RenderError::MissingContext { field, shortcode: "user.created_at", pointer, .. })
            if field == "user.created_at" && pointer == "/meta/since"),
        "{err:?}"
    );
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("the string \"yesterday\""), "{message}");
}

#[test]
fn a_wrong_field_no_shortcode_reads_does_not_fail_the_render() {
    let mut user = load(BAPI_USER);
    user["created_at"] = json!("yesterday");
    let ctx = RenderContext::from_api(&user, None, None, None).unwrap_or_else(|e| panic!("{e}"));
    let got = render(&json!({"id": "{{user.id}}"}), &ctx, RenderOptions::strict())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, json!({"id": "user_2x9kLm0QbUQ1NnB2d6e8T7yZcV3"}));
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

// ---- Clerk's walking rules with minimal contexts ---------------------------------------
//
// Clerk's engine substitutes object values, recursing into objects; in arrays only the direct
// string elements; anything inside an object or array that sits in an array is copied as
// written. A context only needs what the template's shortcodes read.

fn minimal(ctx: Value) -> RenderContext {
    RenderContext::from_json(&ctx).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn objects_and_arrays_inside_arrays_are_copied_as_written_with_a_warning_each() {
    let ctx = minimal(json!({"user": {"id": "user_1"}}));
    let template = json!({
        "top": "{{user.id}}",
        "list": ["{{user.id}}", {"id": "{{user.id}}"}, ["{{user.id}}"], 3, null],
        "obj": {"deep": {"id": "{{user.id}}", "ids": ["{{user.id}}", {"x": "{{user.id}}"}]}}
    });
    let out = render_with_warnings(&template, &ctx).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.claims,
        json!({
            "top": "user_1",
            "list": ["user_1", {"id": "{{user.id}}"}, ["{{user.id}}"], 3, null],
            "obj": {"deep": {"id": "user_1", "ids": ["user_1", {"x": "{{user.id}}"}]}}
        })
    );
    let warned: Vec<(&str, IssueKind)> = out
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.kind))
        .collect();
    assert_eq!(
        warned,
        vec![
            ("/list/1/id", IssueKind::NotWalked),
            ("/list/2/0", IssueKind::NotWalked),
            ("/obj/deep/ids/1/x", IssueKind::NotWalked),
        ]
    );
}

#[test]
fn strict_render_fails_on_the_first_warning_and_clerk_render_does_not() {
    let ctx = minimal(json!({"user": {"id": "user_1"}}));
    let template = json!({"rows": [{"id": "{{user.id}}"}]});
    let lenient = render(&template, &ctx, RenderOptions::clerk()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lenient, template);
    let strict = render(&template, &ctx, RenderOptions::strict()).err();
    assert!(
        matches!(&strict, Some(RenderError::NotSubstituted { pointer, .. }) if pointer == "/rows/0/id"),
        "{strict:?}"
    );
}

#[test]
fn unknown_shortcodes_are_sent_as_written_and_reported_as_syntax_warnings() {
    let ctx = minimal(json!({"user": {"id": "user_1"}}));
    let out = render_with_warnings(
        &json!({"role": "{{org_membership.role}}", "id": "{{ user.id }}"}),
        &ctx,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.claims,
        json!({"role": "{{org_membership.role}}", "id": "{{ user.id }}"})
    );
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings.iter().all(|w| w.kind == IssueKind::Syntax));
    assert_eq!(out.warnings[0].suggestion, Some("org.role"));
}

#[test]
fn a_membership_without_its_organization_uses_the_top_level_one() {
    let ctx = minimal(json!({
        "user": {"id": "user_1"},
        "organization": {"id": "org_1", "slug": "acme"},
        "organization_membership": {"role": "org:admin", "permissions": ["org:a:b", "org:sys_x:y"]}
    }));
    let got = render(
        &json!({
            "org": "{{org.id}}", "slug": "{{org.slug}}", "name": "{{org.name}}",
            "role": "{{org.role}}", "perms": "{{org_membership.permissions}}",
            "orgs": "{{user.organizations}}", "plan": "{{org.public_metadata.plan || 'free'}}"
        }),
        &ctx,
        RenderOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!({
            "org": "org_1", "slug": "acme", "name": null, "role": "org:admin",
            "perms": ["org:a:b"], "orgs": {"org_1": "org:admin"}, "plan": "free"
        })
    );
}

#[test]
fn a_missing_field_a_shortcode_reads_names_that_shortcode() {
    let ctx = minimal(json!({"user": {"id": "user_1"}}));
    let err = render(
        &json!({"a": "ok", "since": ["{{user.created_at}}"]}),
        &ctx,
        RenderOptions::clerk(),
    )
    .err();
    assert!(
        matches!(&err, Some(RenderError::MissingContext { shortcode: "user.created_at", field, pointer, found, .. })
            if field == "user.created_at" && pointer == "/since/0" && found == "nothing"),
        "{err:?}"
    );
}

#[test]
fn a_missing_membership_is_named_by_the_metadata_root_that_reads_it() {
    let ctx = minimal(json!({"user": {"id": "user_1"}, "organization": {"id": "org_1"}}));
    let err = render(
        &json!({"seat": "{{org_membership.public_metadata.seat}}"}),
        &ctx,
        RenderOptions::clerk(),
    )
    .err();
    assert!(
        matches!(&err, Some(RenderError::MissingContext { shortcode: "org_membership.public_metadata", field, .. })
            if field == "organization_membership"),
        "{err:?}"
    );
}

#[test]
fn an_organization_given_twice_that_disagrees_is_an_error_saying_so() {
    let err = RenderContext::from_json(&json!({
        "user": {"id": "user_1"},
        "organization": {"id": "org_1"},
        "organization_membership": {"role": "org:admin", "organization": {"id": "org_2"}}
    }))
    .err();
    assert!(
        matches!(
            &err,
            Some(RenderError::ConflictingOrganization { field: "id", .. })
        ),
        "{err:?}"
    );
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("\"org_1\"") && message.contains("\"org_2\""),
        "{message}"
    );
}

#[test]
fn an_organization_given_twice_that_agrees_is_merged() {
    let ctx = minimal(json!({
        "user": {"id": "user_1"},
        "organization": {"id": "org_1"},
        "organization_membership": {"role": "org:member", "organization": {"id": "org_1", "name": "Acme"}}
    }));
    let got = render(
        &json!({"name": "{{org.name}}", "orgs": "{{user.organizations}}"}),
        &ctx,
        RenderOptions::strict(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!({"name": "Acme", "orgs": {"org_1": "org:member"}})
    );
}
