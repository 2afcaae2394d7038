#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum E {
    #[clerk(key = "org:invoices:read")]
    Read,
    #[clerk(key = "org:invoices:read")]
    AlsoRead,
}

fn main() {}
