#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "billing")]
struct Claims {
    #[clerk(shortcode = "user.public_metadata.seats")]
    seats: u32,
}

fn main() {}
