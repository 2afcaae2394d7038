//! End to end: the built `clerk-claims dev` serves, and the built `clerk-claims template
//! push/pull/diff --remote` talk to it through `CLERK_API_URL` / `CLERK_SECRET_KEY`.

use crate::common;

use crate::common::{Dev, fixture, run, text};
use serde_json::Value;

#[test]
fn push_pull_and_remote_diff_against_clerk_claims_dev() {
    let dev = Dev::start();
    let file = fixture("api.template.json");

    let push = dev.run(&["template", "push", &file]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    assert!(text(&push).contains("created"), "{}", text(&push));
    let again = dev.run(&["template", "push", &file]);
    assert!(text(&again).contains("unchanged"), "{}", text(&again));

    let pull = dev.run(&["template", "pull", "api"]);
    assert_eq!(pull.status.code(), Some(0), "{}", text(&pull));
    let pulled: serde_json::Value = serde_json::from_slice(&pull.stdout).expect("pull prints JSON");
    let local: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("fixture")).expect("JSON");
    assert_eq!(pulled["claims"], local["claims"]);
    assert_eq!(pulled["lifetime"], 300);

    let same = dev.run(&["template", "diff", &file, "--remote", "api"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));

    let drifted = dev.run(&[
        "template",
        "diff",
        &fixture("api.drifted.json"),
        "--remote",
        "api",
    ]);
    assert_eq!(drifted.status.code(), Some(1), "{}", text(&drifted));
    let out = text(&drifted);
    assert!(out.contains("~ claims.plan"), "{out}");
    assert!(out.contains("+ claims.role"), "{out}");

    let missing = dev.run(&["template", "diff", &file, "--remote", "nope"]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
}

#[test]
fn wrong_secret_key_fails_without_printing_it() {
    let dev = Dev::start();
    let out = std::process::Command::new(common::BIN)
        .args(["template", "pull", "api"])
        .env("CLERK_API_URL", &dev.url)
        .env("CLERK_SECRET_KEY", "sk_test_donotprintme")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("clerk_key_invalid"), "{t}");
    assert!(!t.contains("donotprintme"), "{t}");
}

#[test]
fn check_lists_clerks_save_errors_and_unknown_shortcodes() {
    let out = run(&["template", "check", &fixture("reserved.json")]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("jwt_template_reserved_claim"), "{t}");
    assert!(t.contains("user.first_name"), "{t}");
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["template", "check", "/no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run(&["template", "frobnicate"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn diff_of_two_files_exits_1_with_a_structural_diff() {
    let out = run(&[
        "template",
        "diff",
        &fixture("api.drifted.json"),
        &fixture("api.template.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("~ claims.plan"), "{}", text(&out));
}

/// `template render FIXTURE --context FIXTURE EXTRA…`.
fn render_run(template: &str, context: &str, extra: &[&str]) -> std::process::Output {
    let (template, context) = (fixture(template), fixture(context));
    let mut args = vec!["template", "render", &template, "--context", &context];
    args.extend_from_slice(extra);
    run(&args)
}

/// `template render --json`: `{"claims": …, "warnings": […]}` on one line.
fn rendered_with_warnings(template: &str, context: &str) -> Value {
    let out = render_run(template, context, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "--json is one line: {stdout}"
    );
    serde_json::from_str(&stdout).expect("render --json prints JSON")
}

/// The claims of a template that renders without shortcode warnings (a claim null for the
/// user is another kind of warning).
fn rendered(template: &str, context: &str) -> Value {
    let out = rendered_with_warnings(template, context);
    let shortcode_warnings: Vec<&Value> = out["warnings"]
        .as_array()
        .expect("a warnings array")
        .iter()
        .filter(|w| w["kind"] != "null")
        .collect();
    assert!(shortcode_warnings.is_empty(), "{out}");
    out["claims"].clone()
}

fn context_value(context: &str, pointer: &str) -> Value {
    let text = std::fs::read_to_string(fixture(context)).expect("context fixture");
    let ctx: Value = serde_json::from_str(&text).expect("context is JSON");
    ctx.pointer(pointer).cloned().unwrap_or(Value::Null)
}

#[test]
fn render_prints_the_claims_clerk_would_issue_for_a_user_in_an_organization() {
    let ctx = "context.alice-acme.json";
    let claims = rendered("api.template.json", ctx);
    assert_eq!(
        claims["email"],
        context_value(ctx, "/user/email_addresses/0/email_address")
    );
    assert_eq!(
        claims["plan"],
        context_value(ctx, "/user/public_metadata/plan")
    );
    assert_eq!(claims["org_id"], context_value(ctx, "/organization/id"));
    assert_eq!(
        claims["role"],
        context_value(ctx, "/organization_membership/role")
    );
    let keys: Vec<&String> = claims.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        ["email", "plan", "org_id", "role"],
        "template key order"
    );
}

#[test]
fn render_without_an_organization_gives_null_org_claims_each_with_a_null_warning() {
    let out = rendered_with_warnings("api.template.json", "context.alice-personal.json");
    let claims = &out["claims"];
    assert_eq!(claims["org_id"], Value::Null);
    assert_eq!(claims["role"], Value::Null);
    assert!(claims["email"].is_string(), "{claims}");
    let nulls: Vec<&Value> = out["warnings"]
        .as_array()
        .expect("a warnings array")
        .iter()
        .filter(|w| w["kind"] == "null")
        .collect();
    let pointers: Vec<&str> = nulls.iter().filter_map(|w| w["pointer"].as_str()).collect();
    assert_eq!(pointers, ["/org_id", "/role"], "{out}");
    for w in nulls {
        assert!(
            w["message"]
                .as_str()
                .is_some_and(|m| m.contains("is null for this user")),
            "{w}"
        );
        assert!(
            w["suggestion"]
                .as_str()
                .is_some_and(|f| f.contains("fallback")),
            "{w}"
        );
    }
    let readable = render_run("api.template.json", "context.alice-personal.json", &[]);
    assert!(
        String::from_utf8_lossy(&readable.stderr)
            .contains("claims/org_id: claim `/org_id` is null for this user"),
        "{}",
        text(&readable)
    );
}

#[test]
fn render_matches_the_token_clerk_claims_dev_mints_for_the_same_user_and_org() {
    // The context fixtures are Alice and Acme from the fake's default seed; her session
    // `sess_2alice_acme` has Acme active. What `render` prints must be what the fake puts in a
    // real template token.
    let dev = Dev::start();
    let file = fixture("api.template.json");
    let push = dev.run(&["template", "push", &file]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let minted = dev.run(&["sessions", "token", "sess_2alice_acme", "--template", "api"]);
    assert_eq!(minted.status.code(), Some(0), "{}", text(&minted));
    let jwt = common::stdout(&minted);
    let (code, report) = dev.inspect(&jwt, true);
    assert_eq!(code, Some(0), "{report}");
    let claims = rendered("api.template.json", "context.alice-acme.json");
    for (name, value) in claims.as_object().expect("an object") {
        assert_eq!(&report["claims"][name], value, "claim {name}");
    }
}

#[test]
fn render_strict_exits_1_naming_an_unknown_shortcode_and_2_for_a_bad_context() {
    let out = render_run(
        "unknown-shortcode.json",
        "context.alice-acme.json",
        &["--strict"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("user.frist_name") && t.contains("user.first_name"),
        "{t}"
    );
    assert!(out.stdout.is_empty(), "nothing rendered on stdout: {t}");

    // A template object is not a context: usage error.
    let out = render_run("api.template.json", "api.template.json", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("context"), "{}", text(&out));
}

#[test]
fn check_accepts_a_clean_template_object_with_its_settings() {
    let out = run(&["template", "check", &fixture("api.template.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("would accept template \"api\""), "{t}");
    assert!(
        t.contains("4 claims") && t.contains("lifetime 300 s"),
        "{t}"
    );
}

#[test]
fn check_of_claims_only_does_not_invent_a_name_from_the_file_stem() {
    // `api.drifted` is not a valid template name, but a claims-only file has no name to check.
    let out = run(&["template", "check", &fixture("api.drifted.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("lifetime 60 s"),
        "Clerk's default lifetime: {}",
        text(&out)
    );
    // A name given on the command line is checked.
    let out = run(&[
        "template",
        "check",
        &fixture("api.drifted.json"),
        "--name",
        "integration_api",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("integration_"), "{}", text(&out));
}

#[test]
fn check_separates_save_errors_from_unsubstituted_shortcodes() {
    let out = run(&["template", "check", &fixture("unknown-shortcode.json")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(!t.contains("would reject"), "Clerk saves it: {t}");
    assert!(
        t.contains("claims/name") && t.contains("did you mean"),
        "{t}"
    );
}

#[test]
fn check_notes_deprecated_shortcodes_without_failing() {
    let out = run(&["template", "check", &fixture("deprecated.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("note: {{user.profile_image_url}} is deprecated"),
        "{}",
        text(&out)
    );
}

#[test]
fn render_prints_an_unknown_shortcode_as_written_and_warns_on_stderr() {
    let out = render_run("unknown-shortcode.json", "context.alice-acme.json", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let claims: Value = serde_json::from_slice(&out.stdout).expect("render prints JSON");
    assert_eq!(
        claims["name"], "{{user.frist_name}}",
        "Clerk sends it as written"
    );
    assert!(claims["email"].is_string(), "{claims}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:")
            && stderr.contains("user.frist_name")
            && stderr.contains("user.first_name"),
        "{stderr}"
    );
}

#[test]
fn render_keeps_shortcodes_in_objects_inside_arrays_literally_with_json_warnings() {
    let out = rendered_with_warnings("objects-in-arrays.json", "context.minimal.json");
    assert_eq!(
        out["claims"],
        serde_json::json!({
            "sub_id": "user_min",
            "roles": ["org:admin", {"role": "{{org.role}}"}],
            "nested": {"org": "org_min"}
        })
    );
    let warnings = out["warnings"].as_array().expect("a warnings array");
    assert_eq!(warnings.len(), 1, "{out}");
    assert_eq!(warnings[0]["pointer"], "/roles/1/role");
    assert_eq!(warnings[0]["kind"], "not_walked");
    assert_eq!(warnings[0]["value"], "{{org.role}}");
}

#[test]
fn render_strict_fails_on_a_shortcode_in_an_object_inside_an_array() {
    let out = render_run(
        "objects-in-arrays.json",
        "context.minimal.json",
        &["--strict"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty(), "nothing rendered: {}", text(&out));
    assert!(text(&out).contains("claims/roles/1/role"), "{}", text(&out));
}

#[test]
fn check_stays_strict_about_shortcodes_in_objects_inside_arrays() {
    let out = run(&["template", "check", &fixture("objects-in-arrays.json")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("claims/roles/1/role"), "{}", text(&out));
}

#[test]
fn render_needs_only_the_context_fields_the_shortcodes_read() {
    // No timestamps, no emails, a membership without its nested organization.
    let claims = rendered("api.template.json", "context.minimal.json");
    assert_eq!(claims["org_id"], "org_min");
    assert_eq!(claims["role"], "org:admin");
    assert_eq!(claims["email"], Value::Null);
}

#[test]
fn render_names_the_shortcode_that_needs_a_missing_context_field() {
    let out = render_run("since.json", "context.minimal.json", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("shortcode `user.created_at`") && t.contains("context field `user.created_at`"),
        "{t}"
    );
}

#[test]
fn render_refuses_an_organization_given_twice_that_disagrees() {
    let out = render_run("api.template.json", "context.conflicting-org.json", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("org_min") && t.contains("org_other"), "{t}");
}

#[test]
fn a_dashboard_lifetime_that_differs_from_the_file_is_drift_in_template_diff() {
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let out = dev.run(&[
        "template",
        "diff",
        &fixture("api.lifetime-600.json"),
        "--remote",
        "api",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("~ lifetime: 600 → 300"), "{t}");
    assert!(t.contains("1 change"), "only the lifetime differs: {t}");
}

#[test]
fn a_template_token_with_a_lifetime_override_is_verified_by_token_inspect() {
    let dev = Dev::start();
    let push = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let out = dev.run(&[
        "sessions",
        "token",
        "sess_2alice_acme",
        "--template",
        "api",
        "--expires-in",
        "600",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let (code, report) = dev.inspect(&common::stdout(&out), true);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["verified"], true, "{report}");
    let lifetime = report["claims"]["exp"]
        .as_i64()
        .zip(report["claims"]["iat"].as_i64())
        .map(|(exp, iat)| exp - iat);
    assert_eq!(lifetime, Some(600), "{report}");
}
