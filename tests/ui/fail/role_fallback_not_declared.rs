#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkRole};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

// Without an active organization the token says `org:guest`, which `Role` cannot read.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role || 'org:guest'")]
    role: Role,
}

fn main() {}
