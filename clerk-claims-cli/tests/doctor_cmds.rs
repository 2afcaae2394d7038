//! End to end: `clerk-claims doctor` against a spawned `clerk-claims dev`: every check passing
//! on a healthy setup, and the failing form of each (a wrong secret key, a key of another
//! instance, a template that differs from the file, a revoked session), with exit codes.

use crate::common;

use crate::common::{Dev, fixture, stdout, text};
use serde_json::{Value, json};

const ALL: [&str; 6] = [
    "basic",
    "jwt-verify",
    "custom-claims",
    "multi-session",
    "refresh",
    "expiration",
];

/// `doctor ARGS --json` with the dev's publishable key (plus `env`): exit code and report.
fn doctor(dev: &Dev, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Value) {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    all.push("--json");
    let mut vars = vec![("CLERK_PUBLISHABLE_KEY", dev.publishable_key.as_str())];
    vars.extend_from_slice(env);
    let out = dev.run_env(&all, &vars);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json prints JSON ({e}): {}", text(&out)));
    (out.status.code(), report)
}

/// The check named `name` in a report.
fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

fn measured(c: &Value) -> &str {
    c["measured"].as_str().expect("measured")
}

fn fix(c: &Value) -> &str {
    c["fix"].as_str().unwrap_or_else(|| panic!("a fix: {c}"))
}

fn push_api_template(dev: &Dev) {
    let out = dev.run(&["template", "push", &fixture("api.template.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

const HEALTHY: [&str; 6] = [
    "--user",
    "user_2alice",
    "--template",
    "api",
    "--claims",
    "", // the fixture path, filled in
];

fn healthy_args() -> Vec<String> {
    let mut args: Vec<String> = HEALTHY.iter().map(|s| (*s).to_owned()).collect();
    args[5] = fixture("api.template.json");
    args
}

#[test]
fn every_check_passes_on_a_healthy_instance_in_order_without_arguments() {
    let dev = Dev::start();
    push_api_template(&dev);
    let args = healthy_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report) = doctor(&dev, &args, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["pass"], true);
    let names: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["check"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ALL, "all six, in order");
    let top: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, ["pass", "checks"], "the stable shape");
    for c in report["checks"].as_array().expect("checks") {
        let keys: Vec<&str> = c
            .as_object()
            .expect("a check object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["check", "pass", "skipped", "measured", "fix"], "{c}");
        assert_eq!(c["pass"], true, "{c}");
        assert_eq!(c["fix"], Value::Null, "{c}");
        assert!(!measured(c).is_empty(), "{c}");
    }
    let basic = measured(check(&report, "basic"));
    assert!(basic.contains("JWKS has 1 key(s)"), "{basic}");
    assert!(basic.contains(&dev.url.replace("http://", "")), "{basic}");
    let verify = measured(check(&report, "jwt-verify"));
    for seen in [
        "expired → token-expired",
        "tampered → token-invalid-signature",
        "wrong-issuer → token-invalid-issuer",
    ] {
        assert!(verify.contains(seen), "{verify}");
    }
    let claims = measured(check(&report, "custom-claims"));
    assert!(claims.contains("equals"), "{claims}");
    assert!(claims.contains("all 4 claim(s)"), "{claims}");
    let multi = measured(check(&report, "multi-session"));
    assert!(
        multi.starts_with("2 active session(s) of user_2alice on 2 client(s)"),
        "{multi}"
    );
    assert!(multi.contains("iPhone"), "{multi}");
    let refresh = measured(check(&report, "refresh"));
    assert!(
        refresh.contains("refreshes it 30 s before exp"),
        "{refresh}"
    );
    let expiration = measured(check(&report, "expiration"));
    assert!(
        expiration.contains("accepted at exp + 4s and rejected at exp + 6s (token-expired)"),
        "{expiration}"
    );
}

#[test]
fn the_human_form_is_one_line_a_check_with_pass_or_fail_and_a_summary() {
    let dev = Dev::start();
    let out = dev.run_env(
        &["doctor", "basic", "multi-session", "--user", "user_2alice"],
        &[("CLERK_PUBLISHABLE_KEY", &dev.publishable_key)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 4, "{printed}");
    assert!(lines[0].starts_with("PASS  basic          "), "{printed}");
    assert!(lines[1].starts_with("PASS  multi-session  "), "{printed}");
    assert_eq!(lines[3], "doctor: 2 of 2 checks passed");

    // A failure: the same line says what to do; exit 1.
    let out = dev.run(&["doctor", "basic", "--user", "user_2alice"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let printed = stdout(&out);
    assert!(
        printed.starts_with("FAIL  basic  no publishable key; fix: set CLERK_PUBLISHABLE_KEY"),
        "{printed}"
    );
    assert!(
        printed.ends_with("doctor: 0 of 1 checks passed"),
        "{printed}"
    );
}

#[test]
fn a_wrong_secret_key_fails_every_check_with_the_fix() {
    let dev = Dev::start();
    push_api_template(&dev);
    let args = healthy_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report) = doctor(
        &dev,
        &args,
        &[("CLERK_SECRET_KEY", "sk_test_not_the_key_of_this_instance")],
    );
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["pass"], false);
    for name in ALL {
        let c = check(&report, name);
        assert_eq!(c["pass"], false, "{c}");
        assert!(measured(c).contains("clerk_key_invalid"), "{c}");
        assert!(fix(c).contains("copy CLERK_SECRET_KEY again"), "{c}");
    }
}

#[test]
fn the_secret_key_of_another_instance_is_rejected_by_this_one() {
    let dev = Dev::start();
    let other = Dev::start();
    let (code, report) = doctor(
        &dev,
        &["basic", "jwt-verify", "--user", "user_2alice"],
        &[("CLERK_SECRET_KEY", &other.key)],
    );
    assert_eq!(code, Some(1), "{report:#}");
    for name in ["basic", "jwt-verify"] {
        let c = check(&report, name);
        assert_eq!(c["pass"], false, "{c}");
        assert!(fix(c).contains("copy CLERK_SECRET_KEY again"), "{c}");
    }
}

#[test]
fn a_publishable_key_of_another_instance_fails_basic_naming_both_hosts() {
    let dev = Dev::start();
    let other = Dev::start();
    let (code, report) = doctor(
        &dev,
        &["basic", "jwt-verify", "--user", "user_2alice"],
        &[("CLERK_PUBLISHABLE_KEY", &other.publishable_key)],
    );
    assert_eq!(code, Some(1), "{report:#}");
    // Tokens of this instance do not carry the other instance's issuer.
    let verify = check(&report, "jwt-verify");
    assert_eq!(verify["pass"], false, "{verify}");
    assert!(
        fix(verify).contains("CLERK_PUBLISHABLE_KEY is of another instance"),
        "{verify}"
    );
    let basic = check(&report, "basic");
    assert_eq!(basic["pass"], false, "{basic}");
    let host = |url: &str| url.replace("http://", "");
    assert!(
        measured(basic).contains(&format!("the publishable key is for {}", host(&other.url))),
        "{basic}"
    );
    assert!(measured(basic).contains(&host(&dev.url)), "{basic}");
    assert!(fix(basic).contains("same instance"), "{basic}");

    let (code, report) = doctor(
        &dev,
        &["basic", "--user", "user_2alice"],
        &[("CLERK_PUBLISHABLE_KEY", "pk_live_bm90LWEta2V5")],
    );
    assert_eq!(code, Some(1), "{report:#}");
    assert!(
        fix(check(&report, "basic")).contains("publishable key"),
        "{report:#}"
    );
}

#[test]
fn a_dashboard_template_that_differs_from_the_file_fails_custom_claims() {
    let dev = Dev::start();
    push_api_template(&dev);
    let drifted = fixture("api.drifted.json");
    let (code, report) = doctor(
        &dev,
        &[
            "custom-claims",
            "--user",
            "user_2alice",
            "--template",
            "api",
            "--claims",
            &drifted,
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{report:#}");
    let c = check(&report, "custom-claims");
    assert_eq!(c["pass"], false, "{c}");
    assert!(
        measured(c).contains("dashboard \"api\" differs from"),
        "{c}"
    );
    assert!(
        measured(c).contains("plan"),
        "names a claim that differs: {c}"
    );
    assert!(
        fix(c).contains(&format!("clerk-claims template push {drifted} --name api")),
        "{c}"
    );

    // No such template: the fix says how to create it.
    let (code, report) = doctor(
        &dev,
        &[
            "custom-claims",
            "--user",
            "user_2alice",
            "--template",
            "nope",
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{report:#}");
    let c = check(&report, "custom-claims");
    assert!(
        measured(c).contains("no JWT template named \"nope\""),
        "{c}"
    );
    assert!(fix(c).contains("template push"), "{c}");
}

#[test]
fn a_revoked_session_fails_the_checks_that_mint_with_it() {
    let dev = Dev::start();
    let (code, report) = doctor(
        &dev,
        &[
            "jwt-verify",
            "multi-session",
            "refresh",
            "expiration",
            "--user",
            "user_2alice",
            "--session",
            "sess_2alice_old",
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{report:#}");
    for name in ["jwt-verify", "multi-session", "refresh", "expiration"] {
        let c = check(&report, name);
        assert_eq!(c["pass"], false, "{c}");
        assert_eq!(
            measured(c),
            "session sess_2alice_old is revoked: it cannot mint tokens",
            "{c}"
        );
        assert!(
            fix(c).contains("sessions devices --user user_2alice"),
            "{c}"
        );
    }
}

#[test]
fn checks_that_need_a_user_or_a_template_are_skipped_saying_which_flag_to_give() {
    let dev = Dev::start();
    let (code, report) = doctor(&dev, &["multi-session", "custom-claims", "refresh"], &[]);
    assert_eq!(
        code,
        Some(0),
        "a skipped check does not fail the run: {report:#}"
    );
    assert_eq!(report["pass"], true, "{report:#}");
    for name in ["multi-session", "custom-claims", "refresh"] {
        let c = check(&report, name);
        assert_eq!(
            (&c["pass"], &c["skipped"]),
            (&json!(false), &json!(true)),
            "{c}"
        );
    }
    assert!(
        fix(check(&report, "multi-session")).contains("--user"),
        "{report:#}"
    );
    assert!(
        fix(check(&report, "custom-claims")).contains("--template"),
        "{report:#}"
    );
    assert!(
        fix(check(&report, "refresh")).contains("--user"),
        "{report:#}"
    );
}

#[test]
fn basic_needs_no_user_it_checks_the_keys_and_the_jwks() {
    let dev = Dev::start();
    let (code, report) = doctor(&dev, &["basic"], &[]);
    assert_eq!(code, Some(0), "{report:#}");
    let basic = check(&report, "basic");
    assert_eq!(
        (&basic["pass"], &basic["skipped"]),
        (&json!(true), &json!(false)),
        "{basic}"
    );
    assert!(measured(basic).contains("JWKS has 1 key(s)"), "{basic}");
    assert!(
        measured(basic).contains("give --user to compare it with the issuer of a minted token"),
        "{basic}"
    );
}

#[test]
fn refresh_without_a_template_is_skipped_not_passed() {
    let dev = Dev::start();
    let (code, report) = doctor(&dev, &["refresh", "--user", "user_2alice"], &[]);
    assert_eq!(code, Some(0), "{report:#}");
    let refresh = check(&report, "refresh");
    assert_eq!(
        (&refresh["pass"], &refresh["skipped"]),
        (&json!(false), &json!(true)),
        "{refresh}"
    );
    assert!(
        measured(refresh).ends_with("the template-token cache was not checked"),
        "{refresh}"
    );
    assert!(
        fix(refresh).starts_with("give --template NAME"),
        "{refresh}"
    );
}

#[test]
fn doctor_without_a_template_skips_custom_claims_and_the_run_passes() {
    let dev = Dev::start();
    let out = dev.run_env(
        &["doctor", "--user", "user_2alice"],
        &[("CLERK_PUBLISHABLE_KEY", &dev.publishable_key)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = stdout(&out);
    assert!(
        printed
            .contains("SKIP  custom-claims  no template to check; to run it: give --template NAME"),
        "{printed}"
    );
    assert!(printed.contains("SKIP  refresh        "), "{printed}");
    assert!(
        printed.ends_with("doctor: 4 of 6 checks passed, 2 skipped"),
        "{printed}"
    );
}

#[test]
fn without_a_secret_key_every_check_fails_with_how_to_set_it() {
    let out = common::run(&["doctor", "basic", "expiration", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for name in ["basic", "expiration"] {
        let c = check(&report, name);
        assert!(measured(c).starts_with("no Backend API client"), "{c}");
        assert!(fix(c).contains("CLERK_SECRET_KEY"), "{c}");
    }
}

#[test]
fn a_dashboard_lifetime_that_differs_from_the_file_fails_custom_claims() {
    let dev = Dev::start();
    push_api_template(&dev);
    let file = fixture("api.lifetime-600.json");
    let (code, report) = doctor(
        &dev,
        &[
            "custom-claims",
            "--user",
            "user_2alice",
            "--template",
            "api",
            "--claims",
            &file,
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{report:#}");
    let c = check(&report, "custom-claims");
    assert_eq!(c["pass"], false, "{c}");
    assert!(measured(c).contains("~ lifetime: 600 → 300"), "{c}");
}
