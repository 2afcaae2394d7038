#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

struct Settings {
    theme: String,
}

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(json = r#"{"theme":"dark"}"#)]
    settings: Settings,
}

fn main() {}
