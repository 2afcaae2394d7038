#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "billing")]
struct Claims {
    #[clerk(value = "billing")]
    jwt_template: String,
}

fn main() {}
