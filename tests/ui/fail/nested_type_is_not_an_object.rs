#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(nested)]
    inner: Inner,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Inner {
    a: String,
}

fn main() {}
