#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
}

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "org.role")]
    role: Option<Permission>,
}

fn main() {}
