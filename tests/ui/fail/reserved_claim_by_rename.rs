#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(rename = "jti", value = "x")]
    id: String,
}

fn main() {}
