#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(object, marker = false, exact_lifetime)]
struct Company {
    #[clerk(shortcode = "user.public_metadata.company.name || ''")]
    name: String,
}

fn main() {}
