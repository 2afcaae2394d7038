#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
    #[clerk(role, shortcode = "user.public_metadata.role")]
    app_role: Option<Role>,
}

fn main() {}
