#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum P {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead { year: u16 },
}

// The enum's stub impls keep its uses quiet: the one error is the variant's data.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Permissions<P>,
}

fn check(claims: &Claims) -> bool {
    claims.has_permission(P::InvoicesRead { year: 2025 })
}

fn main() {}
