#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(custom)]
enum Permission {
    #[clerk(key = "org:sys_memberships:read")]
    ReadMembers,
}

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = Permission)]
enum Role {
    #[clerk(key = "org:admin", grants(ReadMembers))]
    Admin,
}

fn main() {}