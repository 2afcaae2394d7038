#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "api", signing_algorithm = "PS256")]
struct Claims {
    #[clerk(shortcode = "user.id")]
    user_id: String,
}

fn main() {}
