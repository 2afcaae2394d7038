#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkRole};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:member")]
    Member,
}

// A role field holds role keys: a number fallback never fits.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role || 0")]
    role: Role,
}

fn main() {}
