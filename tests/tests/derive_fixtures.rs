//! Every template of `testdata/clerk-fixtures/jwt-template-rendering.json` that a struct can
//! express, declared as a struct: its `jwt_template().claims` equals the fixture's
//! `template_claims`, and the fixture's rendered output (Clerk's engine) decodes into it. Each
//! opts out of the marker claim (`marker = false`): the docs' templates have none.
//!
//! Not declared, because the derive rejects them at compile time by design:
//! - "complete example": uses `user.primary_phone_address` and `user.i_dont_exist`, which are
//!   not shortcodes (Clerk passes them through as text);
//! - "spaces inside braces break a plain shortcode": `{{ user.id }}` is rejected (Clerk does
//!   not trim a lone shortcode, so it would stay literal text);
//! - "unknown identifier in || chain becomes a string literal": `user.nope` is not a shortcode.

use clerk_claims::ClerkClaims;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testdata/clerk-fixtures/jwt-template-rendering.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture file is in testdata");
    let all: Vec<Value> = serde_json::from_str(&text).expect("fixture file is JSON");
    all.into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("fixture {name:?} exists"))
}

fn decode<C: ClerkClaims>(output: &Value) -> C {
    clerk_claims::claims::decode::<C>(output.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("rendered output decodes: {e}"))
}

/// The intro example.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "intro", marker = false)]
struct Intro {
    #[clerk(value = "https://example.com")]
    aud: String,
    #[clerk(json = r#"["hiking", "knitting"]"#)]
    interests: Vec<String>,
    #[clerk(shortcode = "user.first_name")]
    name: Option<String>,
    #[clerk(shortcode = "user.last_name")]
    surname: Option<String>,
    #[clerk(shortcode = "user.primary_email_address")]
    email: Option<String>,
}

#[test]
fn intro_example_template_and_output() {
    let case = fixture("intro example");
    assert_eq!(Intro::jwt_template().claims, case["template_claims"]);
    let claims: Intro = decode(&case["engine_reference_output"]);
    assert_eq!(
        (claims.name.as_deref(), claims.surname.as_deref()),
        (Some("John"), None)
    );
    assert_eq!(claims.interests, ["hiking", "knitting"]);
}

/// Metadata dot-notation.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "metadata", marker = false)]
struct MetadataPaths {
    #[clerk(shortcode = "user.public_metadata.interests")]
    likes_to_do: Option<Vec<String>>,
    #[clerk(shortcode = "user.public_metadata.addresses.Home")]
    shipping_address: Option<String>,
}

#[test]
fn metadata_dot_notation_template_and_output() {
    let case = fixture("metadata dot-notation");
    assert_eq!(
        MetadataPaths::jwt_template().claims,
        case["template_claims"]
    );
    let claims: MetadataPaths = decode(&case["engine_reference_output"]);
    assert_eq!(
        claims.shipping_address.as_deref(),
        Some("2355 Pointe Lane, 56301 Minnesota")
    );
}

/// Interpolation with a null last name.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "interpolation", marker = false)]
struct Interpolation {
    #[clerk(format = "{{user.last_name}} {{user.first_name}}")]
    full_name: String,
}

#[test]
fn interpolation_template_and_output() {
    let case = fixture("interpolation with null last name");
    assert_eq!(
        Interpolation::jwt_template().claims,
        case["template_claims"]
    );
    assert_eq!(
        decode::<Interpolation>(&case["engine_reference_output"]).full_name,
        "null John"
    );
}

/// Conditional expressions.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "conditional", marker = false)]
struct Conditional {
    #[clerk(shortcode = "user.email_verified || user.phone_number_verified")]
    has_verified_contact_info: bool,
    #[clerk(shortcode = "user.full_name || 'Awesome User'")]
    full_name: String,
    #[clerk(shortcode = "user.public_metadata.age || user.unsafe_metadata.age || 30 ")]
    age: Value,
}

#[test]
fn conditional_expressions_template_and_output() {
    let case = fixture("conditional expressions");
    let claims = Conditional::jwt_template().claims;
    let expected = &case["template_claims"];
    assert_eq!(
        claims["has_verified_contact_info"],
        expected["has_verified_contact_info"]
    );
    assert_eq!(claims["full_name"], expected["full_name"]);
    // The fixture writes `… || 30 }}` (a space before the braces, which Clerk trims); the derive
    // writes the canonical text. Same expression, one space apart:
    assert_eq!(
        expected["age"],
        "{{user.public_metadata.age || user.unsafe_metadata.age || 30 }}"
    );
    assert_eq!(
        claims["age"],
        "{{user.public_metadata.age || user.unsafe_metadata.age || 30}}"
    );
    let parse = |v: &Value| {
        clerk_claims_lang::parse_claim_string(v.as_str().expect("string")).expect("parses")
    };
    assert_eq!(parse(&claims["age"]), parse(&expected["age"]));
    let decoded: Conditional = decode(&case["engine_reference_output"]);
    assert!(decoded.has_verified_contact_info);
    assert_eq!(decoded.full_name, "Awesome User");
    assert_eq!(decoded.age, 30);
}

/// Conditional inside interpolation (pre-2024-04 docs).
#[derive(ClerkClaims, Debug)]
#[clerk(template = "greeting", marker = false)]
struct Greeting {
    #[clerk(format = "Awesome {{user.first_name || user.last_name || 'user'}}")]
    greeting: String,
}

#[test]
fn conditional_inside_interpolation_template_and_output() {
    let case = fixture("conditional + interpolation (pre-2024-04 docs)");
    assert_eq!(Greeting::jwt_template().claims, case["template_claims"]);
    assert_eq!(
        decode::<Greeting>(&case["engine_reference_output"]).greeting,
        "Awesome user"
    );
}

/// Interpolation stringifies non-strings.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "stringify", marker = false)]
struct Stringify {
    #[clerk(
        format = "n={{user.public_metadata.n}} f={{user.public_metadata.flag}} o={{user.public_metadata.obj}} t={{user.public_metadata.tags}}"
    )]
    a: String,
}

#[test]
fn interpolation_of_non_strings_template_and_output() {
    let case = fixture("interpolation stringifies non-strings");
    assert_eq!(Stringify::jwt_template().claims, case["template_claims"]);
    assert_eq!(
        decode::<Stringify>(&case["engine_reference_output"]).a,
        r#"n=0 f=false o={"k":1} t=["a","b"]"#
    );
}

/// `0` and `""` are truthy in `||`.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "truthy", marker = false)]
struct Truthy {
    #[clerk(shortcode = "user.public_metadata.n || 5")]
    a: Value,
    #[clerk(shortcode = "user.public_metadata.flag || 5")]
    b: Value,
    #[clerk(shortcode = "user.public_metadata.missing || null")]
    c: Option<Value>,
}

#[test]
fn truthiness_template_and_output() {
    let case = fixture("0 and empty string are truthy in ||");
    assert_eq!(Truthy::jwt_template().claims, case["template_claims"]);
    let claims: Truthy = decode(&case["engine_reference_output"]);
    assert_eq!(
        (claims.a, claims.b, claims.c),
        (Value::from(0), Value::from(5), None)
    );
}

/// Objects inside arrays are not walked; objects are.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "walk", marker = false)]
struct Walk {
    #[clerk(json = r#"[{"b": "{{user.id}}"}, "{{user.id}}"]"#)]
    a: Value,
    #[clerk(nested)]
    c: WalkInner,
}

/// The object under `c`.
#[derive(ClerkClaims, Debug)]
#[clerk(object)]
struct WalkInner {
    #[clerk(shortcode = "user.id")]
    d: String,
}

#[test]
fn arrays_and_objects_template_and_output() {
    let case = fixture("objects inside arrays are not walked");
    assert_eq!(Walk::jwt_template().claims, case["template_claims"]);
    let claims: Walk = decode(&case["engine_reference_output"]);
    assert_eq!(claims.c.d, "user_1");
    assert_eq!(
        claims.a[0]["b"], "{{user.id}}",
        "Clerk leaves objects inside arrays alone"
    );
}

/// No active organization.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "no-org", marker = false)]
struct NoOrg {
    #[clerk(shortcode = "org.id")]
    org: Option<String>,
    #[clerk(shortcode = "org.public_metadata")]
    meta: Value,
    #[clerk(shortcode = "org_membership.permissions")]
    perm: Option<Vec<String>>,
    #[clerk(shortcode = "org.role || 'none'")]
    role: String,
}

#[test]
fn missing_org_template_and_output() {
    let case = fixture("missing org (no active org)");
    assert_eq!(NoOrg::jwt_template().claims, case["template_claims"]);
    let claims: NoOrg = decode(&case["engine_reference_output"]);
    assert_eq!(
        (claims.org, claims.perm, claims.role.as_str()),
        (None, None, "none")
    );
    assert_eq!(claims.meta, serde_json::json!({}));
}
