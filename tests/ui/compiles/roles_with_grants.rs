//! `#[clerk(permissions = …)]`, `grants(..)`, `name` and `description` (api.md §11), through a
//! re-exporting crate path too.
mod reexport {
    pub(super) use clerk_claims as clerk;
}

use clerk_claims::{ClerkPermission, ClerkRole};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    #[clerk(key = "org:invoices:read", name = "Read invoices")]
    InvoicesRead,
    #[clerk(
        key = "org:invoices:write",
        name = "Write invoices",
        description = "Create and edit invoices"
    )]
    InvoicesWrite,
}

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = Permission, crate = "reexport::clerk")]
pub enum Role {
    #[clerk(key = "org:admin", grants(InvoicesRead, InvoicesWrite))]
    Admin,
    #[clerk(key = "org:member")]
    Member,
    #[clerk(key = "org:accountant", name = "Accountant", grants(InvoicesRead))]
    Accountant,
}

pub fn main() {
    assert_eq!(Role::Admin.grants().len(), 2);
    assert!(Role::Member.grants().is_empty());
    assert!(Role::Accountant.grants().contains(Permission::InvoicesRead));
    let manifest = clerk_claims::rbac::manifest::<Role>();
    assert_eq!(manifest.roles.len(), 3);
    assert_eq!(manifest.roles[2].name, "Accountant");
}
