#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OtherRole {
    #[clerk(key = "org:viewer")]
    Viewer,
}

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = OtherRole)]
enum Role {
    #[clerk(key = "org:admin", grants(Viewer))]
    Admin,
}

fn main() {}