//! `clerk-claims template init KIND [--name NAME]`: the printed Rust is exactly the preset
//! source compiled below as a module of this test (so the printed code builds, standalone, with
//! its own `use` lines), and the printed JSON is what that code's derive emits.

use crate::common::{run, text};
use clerk_claims::ClerkClaims;
use serde_json::Value;

// The presets, compiled here as the user would paste them.
#[allow(dead_code)]
#[path = "../src/init/custom.rs"]
mod custom;
#[allow(dead_code)]
#[path = "../src/init/default.rs"]
mod default;
#[allow(dead_code)]
#[path = "../src/init/hasura.rs"]
mod hasura;
#[allow(dead_code)]
#[path = "../src/init/supabase.rs"]
mod supabase;

const RUST_MARKER: &str = "// ==== Rust: ";
const JSON_MARKER: &str = "// ==== Template JSON: ";

/// The printed Rust and the printed template JSON of `template init ARGS`.
fn init(args: &[&str]) -> (String, Value) {
    let mut all = vec!["template", "init"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = String::from_utf8(out.stdout).expect("UTF-8");
    let rust_start = printed.find(RUST_MARKER).expect("a Rust part");
    let json_start = printed.find(JSON_MARKER).expect("a JSON part");
    assert_eq!(rust_start, 0, "{printed}");
    let rust = printed[..json_start]
        .split_once('\n')
        .map(|(_, body)| body.trim_end().to_owned())
        .expect("a body");
    let json_text = printed[json_start..]
        .split_once('\n')
        .map(|(_, body)| body)
        .expect("a body");
    let json = serde_json::from_str(json_text).expect("the template part is JSON");
    (rust, json)
}

fn template_json<C: ClerkClaims>() -> Value {
    C::jwt_template().to_api_body()
}

#[test]
fn each_kind_prints_its_compiled_source_and_the_template_its_derive_emits() {
    let cases: [(&str, &str, Value); 4] = [
        (
            "default",
            include_str!("../src/init/default.rs"),
            template_json::<default::DefaultClaims>(),
        ),
        (
            "hasura",
            include_str!("../src/init/hasura.rs"),
            template_json::<hasura::HasuraClaims>(),
        ),
        (
            "supabase",
            include_str!("../src/init/supabase.rs"),
            template_json::<supabase::SupabaseClaims>(),
        ),
        (
            "custom",
            include_str!("../src/init/custom.rs"),
            template_json::<custom::CustomClaims>(),
        ),
    ];
    for (kind, source, emitted) in cases {
        let (rust, json) = init(&[kind]);
        assert_eq!(
            rust,
            source.trim_end(),
            "{kind}: the printed Rust is the compiled preset"
        );
        assert_eq!(json, emitted, "{kind}: the printed JSON is the derive's");
        assert_eq!(json["name"], kind, "{kind}");
    }
}

#[test]
fn the_presets_carry_what_each_kind_of_template_needs() {
    let hasura = template_json::<hasura::HasuraClaims>();
    let ns = &hasura["claims"]["https://hasura.io/jwt/claims"];
    assert_eq!(ns["x-hasura-user-id"], "{{user.id}}", "{hasura}");
    assert!(ns["x-hasura-allowed-roles"].is_array(), "{hasura}");
    assert!(ns["x-hasura-default-role"].is_string(), "{hasura}");

    let supabase = template_json::<supabase::SupabaseClaims>();
    assert_eq!(supabase["claims"]["aud"], "authenticated", "{supabase}");
    assert_eq!(supabase["claims"]["role"], "authenticated", "{supabase}");
    assert_eq!(supabase["signing_algorithm"], "HS256", "{supabase}");

    let custom = template_json::<custom::CustomClaims>();
    assert_eq!(custom["claims"]["role"], "{{org.role}}", "{custom}");
    assert_eq!(
        custom["claims"]["permissions"], "{{org_membership.permissions}}",
        "{custom}"
    );
    assert!(
        custom["claims"]["plan"]
            .as_str()
            .is_some_and(|p| p.ends_with("|| 'free'}}")),
        "a fallback: {custom}"
    );
    let (rust, _) = init(&["custom"]);
    assert!(rust.contains("#[derive(ClerkRole"), "{rust}");
    assert!(rust.contains("#[derive(ClerkPermission"), "{rust}");

    let default = template_json::<default::DefaultClaims>();
    assert_eq!(default["claims"]["user_id"], "{{user.id}}", "{default}");
}

#[test]
fn name_renames_the_template_in_the_rust_and_the_json_and_nothing_else() {
    let (rust, json) = init(&["hasura", "--name", "hasura-prod"]);
    let (plain_rust, plain_json) = init(&["hasura"]);
    assert_eq!(
        rust,
        plain_rust.replacen("template = \"hasura\"", "template = \"hasura-prod\"", 1)
    );
    assert_ne!(rust, plain_rust);
    let mut expected = plain_json;
    expected["name"] = Value::from("hasura-prod");
    assert_eq!(json, expected);
}

#[test]
fn a_name_clerk_would_refuse_is_a_usage_error() {
    let out = run(&["template", "init", "custom", "--name", "has space"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--name \"has space\""),
        "{}",
        text(&out)
    );
    let out = run(&["template", "init", "firebase"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
