//! The marker claim that tells a template's tokens from another template's: derived templates
//! carry `"jwt_template": "<name>"` (on by default, `marker = false` opts out), verification
//! checks it, and a lifetime override (`getToken`'s `expiresInSeconds`) is no reason to refuse
//! a genuine token; comparing `exp - iat` with the lifetime is the `exact_lifetime` opt-in.
//! Tokens are minted by `FakeClerk`'s Backend API over loopback HTTP.

use clerk_claims::template::MARKER_CLAIM;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::verify::Reason;
use clerk_claims::{ClerkClaims, Verifier, VerifyError};

/// Alice, admin of Acme, on the plan `pro`.
const SESSION: &str = "sess_2alice_acme";

/// The `billing` template (300 s).
#[derive(ClerkClaims, Debug)]
#[clerk(template = "billing", lifetime = 300)]
struct BillingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
}

/// Another template of the same instance whose claims fit `BillingClaims`, with the same
/// lifetime: only the marker tells them apart.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "reporting", lifetime = 300)]
struct ReportingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
}

/// `billing` without the marker claim.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "billing", lifetime = 300, marker = false)]
struct UnmarkedBillingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
}

/// `billing`, whose tokens must live exactly 300 s.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "billing", lifetime = 300, exact_lifetime)]
struct ExactBillingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
}

/// Pushes `C`'s template to the fake and mints a token of it for Alice, with an optional
/// lifetime override.
async fn mint<C: ClerkClaims>(fake: &FakeClerk, expires_in: Option<u32>) -> String {
    let api = fake.api().expect("client for the fake");
    let template = C::jwt_template();
    api.upsert_template(&template)
        .await
        .expect("Clerk accepts the derived template");
    api.create_template_token(SESSION, &template.name, expires_in)
        .await
        .expect("the fake mints a template token")
}

fn verifier(fake: &FakeClerk) -> Verifier {
    Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .build()
        .expect("verifier for the fake")
}

#[test]
fn the_derived_template_carries_a_marker_claim_naming_it() {
    let template = BillingClaims::jwt_template();
    assert_eq!(MARKER_CLAIM, "jwt_template");
    assert_eq!(template.claims[MARKER_CLAIM], "billing");
    const { assert!(BillingClaims::TEMPLATE_MARKER) };
    assert_eq!(BillingClaims::EXACT_LIFETIME, None);
    let info = BillingClaims::claim_info()
        .iter()
        .find(|i| i.claim == MARKER_CLAIM)
        .expect("the marker is one of the claims");
    assert_eq!(info.expression, "\"billing\"");
    assert!(template.validate().is_ok(), "Clerk accepts it");
}

#[tokio::test]
async fn a_template_token_minted_with_a_lifetime_override_verifies() {
    let fake = FakeClerk::start();
    let token = mint::<BillingClaims>(&fake, Some(600)).await;
    let verified = verifier(&fake)
        .verify::<BillingClaims>(&token)
        .await
        .unwrap_or_else(|e| panic!("a genuine token is accepted: {e}"));
    assert_eq!(verified.iat.map(|iat| verified.exp - iat), Some(600));
    assert_eq!(verified.plan, "pro");
    // And without an override.
    let token = mint::<BillingClaims>(&fake, None).await;
    assert!(
        verifier(&fake)
            .verify::<BillingClaims>(&token)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_token_of_another_template_is_refused_naming_both_templates() {
    let fake = FakeClerk::start();
    let token = mint::<ReportingClaims>(&fake, None).await;
    let err = verifier(&fake)
        .verify::<BillingClaims>(&token)
        .await
        .expect_err("a reporting token is no billing token");
    assert_eq!(err.reason(), Reason::TokenTypeMismatch);
    assert!(
        matches!(&err, VerifyError::TemplateMarker { expected: "billing", found } if found == "reporting"),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("\"billing\"") && message.contains("\"reporting\""),
        "{message}"
    );
    assert!(message.contains(MARKER_CLAIM), "{message}");
}

#[tokio::test]
async fn marker_false_opts_out_of_the_marker_claim_and_its_check() {
    let template = UnmarkedBillingClaims::jwt_template();
    assert!(
        template.claims.get(MARKER_CLAIM).is_none(),
        "{}",
        template.claims
    );
    const { assert!(!UnmarkedBillingClaims::TEMPLATE_MARKER) };
    let fake = FakeClerk::start();
    let token = mint::<UnmarkedBillingClaims>(&fake, None).await;
    let verified = verifier(&fake)
        .verify::<UnmarkedBillingClaims>(&token)
        .await
        .unwrap_or_else(|e| panic!("no marker to check: {e}"));
    assert_eq!(verified.plan, "pro");
}

#[tokio::test]
async fn a_dashboard_template_without_the_marker_is_drift() {
    let fake = FakeClerk::start();
    // The dashboard still holds the template as it was before the marker.
    let token = mint::<UnmarkedBillingClaims>(&fake, None).await;
    let err = verifier(&fake)
        .verify::<BillingClaims>(&token)
        .await
        .expect_err("the marker is missing");
    assert_eq!(err.reason(), Reason::ClaimsMismatch, "{err}");
    let VerifyError::ClaimsMismatch(mismatch) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(mismatch.claim.as_deref(), Some(MARKER_CLAIM));
    assert_eq!(mismatch.expression.as_deref(), Some("\"billing\""));
    assert!(
        mismatch.message.contains("clerk-claims template diff"),
        "{}",
        mismatch.message
    );
}

#[tokio::test]
async fn exact_lifetime_refuses_a_lifetime_override() {
    assert_eq!(ExactBillingClaims::EXACT_LIFETIME, Some(300));
    let fake = FakeClerk::start();
    let token = mint::<ExactBillingClaims>(&fake, Some(600)).await;
    let err = verifier(&fake)
        .verify::<ExactBillingClaims>(&token)
        .await
        .expect_err("exact_lifetime compares exp - iat");
    assert_eq!(err.reason(), Reason::TokenTypeMismatch);
    let message = err.to_string();
    assert!(
        message.contains("300 s") && message.contains("600 s"),
        "{message}"
    );
    // The template's own lifetime passes.
    let token = mint::<ExactBillingClaims>(&fake, None).await;
    assert!(
        verifier(&fake)
            .verify::<ExactBillingClaims>(&token)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn serialized_claims_carry_the_marker_like_the_tokens_of_the_template() {
    let claims: BillingClaims = clerk_claims::claims::decode(br#"{"plan":"pro"}"#).expect("fits");
    let json = serde_json::to_value(&claims).expect("serializes");
    assert_eq!(
        json,
        serde_json::json!({"plan": "pro", MARKER_CLAIM: "billing"})
    );
}
