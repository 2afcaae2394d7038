#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
}

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.id")]
    user_id: String,
}

fn check(claims: &Claims) -> bool {
    claims.has_permission(Permission::InvoicesRead)
}

fn main() {}
