//! Type checks go through trait bounds, so aliases of accepted types pass.
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
}

type MaybeText = Option<String>;
type MaybeRole = Option<Role>;
type Grants = Permissions<Permission>;
type Flag = bool;
type Seconds = i64;

#[derive(ClerkClaims)]
#[clerk(template = "aliases")]
struct Claims {
    #[clerk(shortcode = "user.last_name")]
    last_name: MaybeText,
    #[clerk(shortcode = "org.role")]
    role: MaybeRole,
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Grants,
    #[clerk(shortcode = "user.email_verified")]
    verified: Flag,
    #[clerk(shortcode = "user.created_at")]
    created_at: Seconds,
}

pub fn main() {
    let template = Claims::jwt_template();
    assert_eq!(template.claims["role"], "{{org.role}}");
    let f = |c: &Claims| c.has_role(Role::Admin) && c.has_permission(Permission::InvoicesRead);
    let _ = f;
}
