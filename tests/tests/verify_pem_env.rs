//! A PEM public key pasted into an environment variable with escaped newlines (`\\n`), as
//! `CLERK_JWT_KEY` often is, still verifies. Clerk's own fixture cases run in
//! `clerk-claims/tests/clerk_fixtures.rs`, with each crypto backend.

use clerk_claims::verify::Verifier;

#[tokio::test]
async fn a_pem_with_escaped_newlines_from_an_environment_variable_still_verifies() {
    let issuer = clerk_claims::testing::issuer::TestIssuer::new();
    let escaped = issuer.public_key_pem().replace('\n', "\\n");
    let verifier = Verifier::from_pem(&escaped).expect("escaped PEM parses");
    let token = issuer.session().user("user_pem").mint();
    assert_eq!(
        verifier
            .verify_session(&token)
            .await
            .map(|v| v.sub)
            .ok()
            .as_deref(),
        Some("user_pem")
    );
}
