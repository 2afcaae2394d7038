#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum E {
    #[clerk(key = "org:admin")]
    Admin(u8),
}

// The enum's stub impls keep its uses quiet: the one error is the variant's data.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role")]
    role: Option<E>,
}

fn check(claims: &Claims) -> bool {
    claims.has_role(E::Admin(1))
}

fn main() {}
