//! Round trip for every example claims type: push its template to FakeClerk, mint a template
//! token for a seeded session through the Backend API (with and without an active
//! organization), verify it with `Verifier`, decode it into the type.

use clerk_claims::ClerkClaims;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::{Verified, Verifier};
use clerk_claims_examples::{ApiClaims, Permission, Role, SupabaseClaims};

/// Alice: admin of Acme in `sess_2alice_acme`, no active organization in `sess_2alice_personal`.
const WITH_ORG: &str = "sess_2alice_acme";
const WITHOUT_ORG: &str = "sess_2alice_personal";

async fn mint_and_verify<C: ClerkClaims>(fake: &FakeClerk, session: &str) -> Verified<C> {
    let api = fake.api().expect("client for the fake");
    let template = C::jwt_template();
    api.upsert_template(&template)
        .await
        .expect("Clerk accepts the derived template");
    let jwt = api
        .create_template_token(session, &template.name, None)
        .await
        .expect("the fake mints a template token");
    let verifier = Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .build()
        .expect("verifier for the fake");
    match verifier.verify::<C>(&jwt).await {
        Ok(v) => v,
        Err(e) => panic!(
            "{} token of {session} rejected: {} ({e})",
            template.name,
            e.reason()
        ),
    }
}

#[tokio::test]
async fn api_claims_round_trip_with_an_active_organization() {
    let fake = FakeClerk::start();
    let v = mint_and_verify::<ApiClaims>(&fake, WITH_ORG).await;
    assert_eq!(v.sub, "user_2alice");
    assert_eq!(v.email.as_deref(), Some("alice@acme.test"));
    assert_eq!(v.plan, "pro");
    assert_eq!(v.org_id.as_deref(), Some("org_2acme"));
    assert_eq!(v.role, Some(Role::Admin));
    assert!(v.permissions.contains(Permission::InvoicesWrite));
    assert_eq!(v.display_name, "Alice Anders");
    assert_eq!(v.aud, "authenticated");
    assert_eq!(v.hasura.user_id, "user_2alice");
    assert_eq!(v.hasura.org_id.as_deref(), Some("org_2acme"));
    assert!(v.require_role(Role::Admin).is_ok());
    assert!(v.require_permission(Permission::InvoicesRead).is_ok());
}

#[tokio::test]
async fn api_claims_round_trip_without_an_active_organization() {
    let fake = FakeClerk::start();
    let v = mint_and_verify::<ApiClaims>(&fake, WITHOUT_ORG).await;
    assert_eq!(v.org_id, None);
    assert_eq!(v.role, None);
    assert!(!v.permissions.contains(Permission::InvoicesRead));
    assert_eq!(v.hasura.org_id, None);
    assert!(v.require_role(Role::Member).is_err());
}

#[tokio::test]
async fn plan_falls_back_to_free_for_a_user_without_one() {
    let fake = FakeClerk::start();
    // Bob has no `plan` in public metadata and no last name.
    let v = mint_and_verify::<ApiClaims>(&fake, "sess_2bob_acme").await;
    assert_eq!(v.plan, "free");
    assert_eq!(v.display_name, "Bob null");
    assert_eq!(v.role, Some(Role::Member));
    assert!(v.permissions.contains(Permission::InvoicesRead));
    assert!(!v.permissions.contains(Permission::InvoicesWrite));
}

#[tokio::test]
async fn supabase_claims_round_trip_with_and_without_an_organization() {
    let fake = FakeClerk::start();
    for session in [WITH_ORG, WITHOUT_ORG] {
        let v = mint_and_verify::<SupabaseClaims>(&fake, session).await;
        assert_eq!(v.role, "authenticated");
        assert_eq!(v.email.as_deref(), Some("alice@acme.test"));
        assert_eq!(
            v.app_metadata
                .as_ref()
                .and_then(|m| m.get("plan"))
                .and_then(|p| p.as_str()),
            Some("pro")
        );
        // Template lifetime 3600 s: exp - iat.
        assert_eq!(v.iat.map(|iat| v.exp - iat), Some(3600));
    }
}
