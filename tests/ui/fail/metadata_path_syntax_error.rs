#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.public_metadata.billing-plan")]
    plan: Option<String>,
}

fn main() {}
