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

/// A company object some users keep in their public metadata.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
pub struct Company {
    /// Its name.
    pub name: String,
}

/// A template whose claim reads a metadata key that Alice holds as a string.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "company")]
pub struct CompanyClaims {
    /// The user's company, when their metadata has one.
    #[clerk(shortcode = "user.public_metadata.hasura_role")]
    pub company: Option<Company>,
    /// The user ID.
    #[clerk(shortcode = "user.id")]
    pub user_id: String,
}

#[tokio::test]
async fn one_users_metadata_that_does_not_fit_names_the_user_and_the_metadata_path() {
    use clerk_claims::testing::fake::FakeClerk;
    let fake = FakeClerk::start();
    let api = fake.api().expect("client for the fake");
    api.upsert_template(&CompanyClaims::jwt_template())
        .await
        .expect("Clerk accepts the template");
    let verifier = clerk_claims::Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .build()
        .expect("verifier");
    // Bob has no such key: null, `None`.
    let bob = api
        .create_template_token("sess_2bob_acme", "company", None)
        .await
        .expect("minted");
    let verified = verifier
        .verify::<CompanyClaims>(&bob)
        .await
        .expect("Bob's token fits");
    assert!(verified.company.is_none());
    // Alice's metadata holds a string there: her data, not drift.
    let alice = api
        .create_template_token("sess_2alice_acme", "company", None)
        .await
        .expect("minted");
    let err = verifier
        .verify::<CompanyClaims>(&alice)
        .await
        .expect_err("a string is no company");
    assert_eq!(err.reason(), clerk_claims::verify::Reason::ClaimsMismatch);
    let clerk_claims::VerifyError::ClaimsMismatch(mismatch) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(mismatch.claim.as_deref(), Some("company"));
    assert_eq!(
        mismatch.metadata().as_deref(),
        Some("user.public_metadata.hasura_role")
    );
    assert_eq!(mismatch.user(), Some("user_2alice"));
    let message = &mismatch.message;
    for part in [
        "user `user_2alice`",
        "`user.public_metadata.hasura_role`",
        "fix that user's metadata",
        "Option<serde_json::Value>",
    ] {
        assert!(message.contains(part), "{part:?} in {message}");
    }
    assert!(!message.contains("older than the code"), "{message}");
    assert!(err.action().contains("metadata"), "{}", err.action());
}

#[test]
fn a_misfit_of_a_claim_that_reads_no_metadata_is_drift() {
    let mut payload = good();
    payload["mfa"] = json!("yes");
    let err = decode::<ApiClaims>(payload).expect_err("a string is no bool");
    assert_eq!(err.metadata(), None);
    assert!(
        err.message.contains("older than the code, or was edited"),
        "{}",
        err.message
    );
}

#[test]
fn a_missing_metadata_claim_is_drift_not_user_data() {
    // `onboarded` reads `user.public_metadata.onboarded || false`; Clerk renders every claim
    // of a template, so a missing one is the template's doing, not the user's.
    let err = decode::<SessionExtras>(json!({})).expect_err("onboarded is missing");
    assert_eq!(err.claim.as_deref(), Some("onboarded"));
    assert_eq!(err.metadata(), None);
    assert!(err.message.contains("template diff"), "{}", err.message);
}
