#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(open)]
enum E {
    #[clerk(key = "org:admin")]
    Admin,
}

fn main() {}
