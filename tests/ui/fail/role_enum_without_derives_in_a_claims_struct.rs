#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkRole};

// The role field of a claims struct adds no second error for the enum's missing derives.
#[derive(ClerkRole)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
}

fn main() {}
