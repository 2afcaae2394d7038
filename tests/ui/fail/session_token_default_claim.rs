#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkClaims)]
#[clerk(session_token)]
struct Claims {
    #[clerk(value = "x")]
    sid: String,
}

fn main() {}
