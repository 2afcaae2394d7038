//! `HasRole` / `HasPermission` on session tokens: any role or permission enum is checked by key
//! with Clerk's `prefixWithOrg` rule, generic code written against the traits serves session
//! and template claims alike, and `Forbidden` names the role the token had, declared or not.

use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::{
    ClerkClaims, ClerkPermission, ClerkRole, Forbidden, HasPermission, HasRole, Permissions,
    SessionClaims,
};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

#[derive(ClerkClaims, Debug)]
#[clerk(template = "api")]
struct ApiClaims {
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Permissions<Permission>,
}

async fn session(build: impl FnOnce(&TestIssuer) -> String) -> SessionClaims {
    let issuer = TestIssuer::new();
    let token = build(&issuer);
    issuer
        .verifier()
        .verify_session(&token)
        .await
        .expect("a valid session token")
        .into_claims()
}

/// Generic over the claims type, as a route guard is.
fn can_write<C: HasRole<Role> + HasPermission<Permission>>(claims: &C) -> bool {
    claims.has_role(Role::Admin) || claims.has_permission(Permission::InvoicesWrite)
}

#[tokio::test]
async fn session_claims_answer_the_rbac_traits_by_key() {
    let claims = session(|issuer| {
        issuer
            .session()
            .org("org_1", "acme", "member")
            .permissions(["org:invoices:read", "org:invoices:write"])
            .mint()
    })
    .await;
    assert!(HasRole::has_role(&claims, Role::Member));
    assert!(!HasRole::has_role(&claims, Role::Admin));
    assert_eq!(HasRole::<Role>::role_key(&claims), Some("org:member"));
    assert_eq!(
        HasPermission::<Permission>::permission_keys(&claims),
        ["org:invoices:read", "org:invoices:write"]
    );
    assert!(can_write(&claims));

    let template: ApiClaims = clerk_claims::claims::decode(
        br#"{"role": "org:member", "permissions": ["org:invoices:read"]}"#,
    )
    .expect("api claims");
    assert!(!can_write(&template));
}

#[tokio::test]
async fn a_session_without_an_organization_has_no_role_and_no_permissions() {
    let claims = session(|issuer| issuer.session().mint()).await;
    assert_eq!(HasRole::<Role>::role_key(&claims), None);
    assert!(HasPermission::<Permission>::permission_keys(&claims).is_empty());
    assert_eq!(
        claims.require_role(Role::Admin),
        Err(Forbidden::Role {
            required: vec!["org:admin"],
            found: None
        })
    );
}

#[tokio::test]
async fn forbidden_names_an_undeclared_role_by_its_key() {
    let claims = session(|issuer| {
        issuer
            .session()
            .org("org_1", "acme", "billing_manager")
            .mint()
    })
    .await;
    let denied = claims.require_role(Role::Admin).unwrap_err();
    assert_eq!(
        denied,
        Forbidden::UndeclaredRole {
            required: vec!["org:admin"],
            found: "org:billing_manager".to_owned()
        }
    );
    assert_eq!(
        denied.to_string(),
        "requires role `org:admin`; the token's role is `org:billing_manager` (not declared by the role enum)"
    );
    let declared = session(|issuer| issuer.session().org("org_1", "acme", "member").mint()).await;
    assert_eq!(
        declared.require_role(Role::Admin),
        Err(Forbidden::Role {
            required: vec!["org:admin"],
            found: Some("org:member")
        })
    );
}
