#![allow(unused_imports, dead_code)]
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OtherPermission {
    #[clerk(key = "org:reports:export")]
    ReportsExport,
}

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = Permission)]
enum Role {
    #[clerk(key = "org:admin", grants(ReportsExport))]
    Admin,
}

fn main() {}