#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(json = "{'a': 1}")]
    extra: serde_json::Value,
}

fn main() {}
