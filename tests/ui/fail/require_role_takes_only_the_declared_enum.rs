#![allow(unused_imports, dead_code)]
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

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
}

fn check(claims: &Claims) -> bool {
    claims.has_role(Permission::InvoicesRead)
}

fn main() {}
