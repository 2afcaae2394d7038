//! Round trip for every example claims type: push its template to FakeClerk, mint a template
//! token for a seeded session through the Backend API (with and without an active
//! organization), verify it with `Verifier`, decode it into the type. `SessionExtras` (the
//! customized session token) goes through the session-token endpoint instead.

use clerk_claims::ClerkClaims;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::{Verified, Verifier};
use clerk_claims_examples::{ApiClaims, Permission, Role, SessionExtras, SupabaseClaims};

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

/// A session token for `session`, minted by the fake's Backend API endpoint.
async fn session_token(fake: &FakeClerk, session: &str) -> String {
    fake.api()
        .expect("client for the fake")
        .create_session_token(session, None)
        .await
        .expect("the fake mints a session token")
}

fn fake_verifier(fake: &FakeClerk) -> Verifier {
    Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .build()
        .expect("verifier for the fake")
}

#[tokio::test]
async fn session_extras_round_trip_through_customized_session_tokens() {
    let fake = FakeClerk::start();
    fake.set_session_claims(&SessionExtras::jwt_template())
        .expect("Clerk accepts the derived session claims");
    let verifier = fake_verifier(&fake);
    for (session, plan) in [(WITH_ORG, "pro"), ("sess_2bob_acme", "free")] {
        let jwt = session_token(&fake, session).await;
        let v = match verifier.verify::<SessionExtras>(&jwt).await {
            Ok(v) => v,
            Err(e) => panic!("session token of {session} rejected: {} ({e})", e.reason()),
        };
        assert_eq!(v.sid.as_deref(), Some(session));
        assert_eq!(v.plan, plan);
        assert!(v.email.as_deref().is_some_and(|e| e.contains('@')));
        // The same token is still Clerk's session token with its default claims.
        let session_claims = verifier
            .verify_session(&jwt)
            .await
            .expect("a customized session token is a session token");
        assert_eq!(session_claims.claims.session_id(), Some(session));
        assert_eq!(
            session_claims.claims.auth().org_id.as_deref(),
            Some("org_2acme")
        );
    }
}

#[tokio::test]
async fn session_extras_do_not_decode_from_a_default_session_token() {
    // The dashboard has no customized session claims: the code expects them, so decoding
    // names the drift instead of inventing a value.
    let fake = FakeClerk::start();
    let jwt = session_token(&fake, WITH_ORG).await;
    let err = fake_verifier(&fake)
        .verify::<SessionExtras>(&jwt)
        .await
        .expect_err("no `plan` claim in a default session token");
    assert_eq!(err.reason(), "claims-mismatch", "{err}");
    assert!(err.to_string().contains("plan"), "{err}");
}

#[tokio::test]
async fn customized_session_claims_never_override_the_default_claims() {
    let fake = FakeClerk::start();
    let mut template = SessionExtras::jwt_template();
    if let Some(claims) = template.claims.as_object_mut() {
        claims.insert("sid".into(), "{{user.id}}".into());
        claims.insert("v".into(), 1.into());
    }
    fake.set_session_claims(&template)
        .expect("sid and v are not reserved at save");
    let jwt = session_token(&fake, WITH_ORG).await;
    let v = fake_verifier(&fake)
        .verify_session(&jwt)
        .await
        .expect("still a valid session token");
    assert_eq!(v.sid.as_deref(), Some(WITH_ORG));
    assert_eq!(v.claims.session_id(), Some(WITH_ORG));
}

#[tokio::test]
async fn session_claims_are_a_hidden_template_and_clerks_save_rules_apply() {
    let fake = FakeClerk::start();
    fake.set_session_claims(&SessionExtras::jwt_template())
        .expect("accepted");
    let listed = fake
        .api()
        .expect("client")
        .list_jwt_templates()
        .await
        .expect("list");
    assert!(
        listed.is_empty(),
        "hidden from GET /jwt_templates: {listed:?}"
    );

    let mut reserved = SessionExtras::jwt_template();
    if let Some(claims) = reserved.claims.as_object_mut() {
        claims.insert("sub".into(), "{{user.id}}".into());
    }
    let err = fake
        .set_session_claims(&reserved)
        .expect_err("`sub` is a reserved claim");
    assert!(
        err.to_string().contains("jwt_template_reserved_claim"),
        "{err}"
    );

    fake.clear_session_claims();
    let jwt = session_token(&fake, WITH_ORG).await;
    assert!(
        fake_verifier(&fake)
            .verify::<SessionExtras>(&jwt)
            .await
            .is_err(),
        "cleared: default session tokens again"
    );
}
