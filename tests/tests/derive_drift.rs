//! Runtime drift diagnostics: a payload that does not fit the claims type fails with an error
//! naming the claim, the template expression that should have produced it, and the template.

use clerk_claims::{ClerkClaims, ClerkRole};
use serde_json::json;

/// Roles of the test organization.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Administrators.
    #[clerk(key = "org:admin")]
    Admin,
    /// Members.
    #[clerk(key = "org:member")]
    Member,
}

/// Claims of the `api` template.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "api")]
pub struct ApiClaims {
    /// The user ID.
    #[clerk(shortcode = "user.id")]
    pub user_id: String,
    /// Two-factor status.
    #[clerk(shortcode = "user.two_factor_enabled")]
    pub mfa: bool,
    /// The active organization role.
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
    /// A nested object.
    #[clerk(nested)]
    pub meta: Meta,
}

/// A nested object.
#[derive(ClerkClaims, Debug)]
#[clerk(object)]
pub struct Meta {
    /// The sign-up time.
    #[clerk(shortcode = "user.created_at")]
    pub created_at: i64,
}

/// Claims of the session token.
#[derive(ClerkClaims, Debug)]
#[clerk(session_token)]
pub struct SessionExtras {
    /// Whether onboarding is done.
    #[clerk(shortcode = "user.public_metadata.onboarded || false")]
    pub onboarded: bool,
}

fn decode<C: ClerkClaims>(payload: serde_json::Value) -> Result<C, clerk_claims::ClaimsMismatch> {
    clerk_claims::claims::decode::<C>(payload.to_string().as_bytes())
}

fn good() -> serde_json::Value {
    json!({"sub": "user_1", "user_id": "user_1", "mfa": false, "role": "org:member", "meta": {"created_at": 1_700_000_000}})
}

#[test]
fn a_fitting_payload_decodes() {
    let claims: ApiClaims = decode(good()).expect("fits");
    assert_eq!(claims.role, Some(Role::Member));
    assert_eq!(claims.meta.created_at, 1_700_000_000);
}

#[test]
fn missing_claim_names_claim_expression_and_template() {
    let mut payload = good();
    payload.as_object_mut().expect("object").remove("mfa");
    let err = decode::<ApiClaims>(payload).expect_err("mfa is missing");
    assert_eq!(err.claim.as_deref(), Some("mfa"));
    assert_eq!(
        err.expression.as_deref(),
        Some("{{user.two_factor_enabled}}")
    );
    assert_eq!(err.template.as_deref(), Some("api"));
    assert_eq!(
        err.message,
        "claim `mfa` does not fit: the claim is missing from the token. The code expects \
         `{{user.two_factor_enabled}}` in the dashboard template `api`; the template is older than the code, \
         or was edited: run `clerk-claims template diff`"
    );
}

#[test]
fn wrong_json_type_names_the_claim_and_what_was_found() {
    let mut payload = good();
    payload["mfa"] = json!("yes");
    let err = decode::<ApiClaims>(payload).expect_err("mfa is a string");
    assert_eq!(err.claim.as_deref(), Some("mfa"));
    assert_eq!(
        err.expression.as_deref(),
        Some("{{user.two_factor_enabled}}")
    );
    assert!(
        err.message
            .contains("invalid type: string \"yes\", expected a boolean"),
        "{}",
        err.message
    );
    assert!(
        !err.message.contains(" at line "),
        "serde_json's position is dropped: {}",
        err.message
    );
}

#[test]
fn unknown_role_key_lists_the_declared_roles() {
    let mut payload = good();
    payload["role"] = json!("org:owner");
    let err = decode::<ApiClaims>(payload).expect_err("owner is not declared");
    assert_eq!(err.claim.as_deref(), Some("role"));
    assert_eq!(err.expression.as_deref(), Some("{{org.role}}"));
    assert_eq!(
        err.message,
        "claim `role` does not fit: expected a role key declared by `Role` (`org:admin`, `org:member`), found \
         `org:owner`. The code expects `{{org.role}}` in the dashboard template `api`; the template is older \
         than the code, or was edited: run `clerk-claims template diff`"
    );
}

#[test]
fn a_literal_shortcode_left_by_clerk_is_reported_against_the_expected_expression() {
    // Clerk passes unknown shortcodes through as text: an edited template gives this.
    let mut payload = good();
    payload["role"] = json!("{{org_membership.role}}");
    let err = decode::<ApiClaims>(payload).expect_err("literal text is not a role");
    assert_eq!(err.claim.as_deref(), Some("role"));
    assert!(
        err.message.contains("found `{{org_membership.role}}`"),
        "{}",
        err.message
    );
}

#[test]
fn nested_claim_errors_use_the_dotted_claim_name() {
    let mut payload = good();
    payload["meta"]["created_at"] = json!("yesterday");
    let err = decode::<ApiClaims>(payload).expect_err("created_at is a string");
    assert_eq!(err.claim.as_deref(), Some("meta.created_at"));
    assert_eq!(err.expression.as_deref(), Some("{{user.created_at}}"));
    assert_eq!(err.template.as_deref(), Some("api"));
    assert!(
        err.message.contains("in the dashboard template `api`"),
        "{}",
        err.message
    );
}

#[test]
fn session_token_claims_name_the_session_token() {
    let err = decode::<SessionExtras>(json!({"sid": "sess_1"})).expect_err("onboarded is missing");
    assert_eq!(err.claim.as_deref(), Some("onboarded"));
    assert_eq!(err.template, None);
    assert!(
        err.message.contains("in the session token claims"),
        "{}",
        err.message
    );
    let template = SessionExtras::jwt_template();
    assert!(template.session_token);
    assert_eq!(template.name, "");
}

#[test]
fn a_payload_that_is_not_an_object_is_a_mismatch_without_a_claim() {
    let err = decode::<ApiClaims>(json!([1, 2])).expect_err("not an object");
    assert_eq!(err.claim, None);
    assert!(
        err.message
            .contains("a JSON object of the claims of `ApiClaims`"),
        "{}",
        err.message
    );
}

#[test]
fn serde_json_errors_read_the_same_without_decode() {
    let mut payload = good();
    payload["role"] = json!("org:owner");
    let err = serde_json::from_value::<ApiClaims>(payload).expect_err("owner is not declared");
    assert!(
        err.to_string()
            .starts_with("claim `role` does not fit: expected a role key"),
        "{err}"
    );
}
