//! The documented API example (roles, permissions, a template with a nested Hasura object)
//! compiles as written.
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300, allowed_clock_skew = 5)]
pub struct ApiClaims {
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    pub plan: String,
    #[clerk(shortcode = "org.id")]
    pub org_id: Option<String>,
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    pub permissions: Permissions<Permission>,
    #[clerk(format = "{{user.first_name}} {{user.last_name}}")]
    pub display_name: String,
    #[clerk(value = "authenticated")]
    pub aud: String,
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    pub hasura: HasuraClaims,
}

#[derive(ClerkClaims, Debug)]
#[clerk(object)]
pub struct HasuraClaims {
    #[clerk(rename = "x-hasura-user-id", shortcode = "user.id")]
    pub user_id: String,
}

pub fn main() {
    // The impls' where clauses hold for a well-typed struct.
    const fn is_claims<C: ClerkClaims>() {}
    is_claims::<ApiClaims>();
    let template = ApiClaims::jwt_template();
    assert_eq!(
        template.claims["https://hasura.io/jwt/claims"]["x-hasura-user-id"],
        "{{user.id}}"
    );
    let check = |c: &ApiClaims| {
        c.require_role(Role::Admin)
            .and_then(|()| c.require_permission(Permission::InvoicesRead))
    };
    let _ = check;
    // The RBAC methods are generic in the enum: slices infer it, even an empty one.
    let slices = |c: &ApiClaims| {
        c.has_any_role(&[Role::Admin, Role::Member])
            && !c.has_any_role(&[])
            && c.has_all_permissions(&[Permission::InvoicesRead, Permission::InvoicesWrite])
            && c.require_any_permission(&[]).is_err()
    };
    let _ = slices;
}
