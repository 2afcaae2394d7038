//! Example claims crate: the single source of truth for the `api` JWT template and the
//! organization roles and permissions. Another crate's `build.rs` exports both (see `../app`).
#![forbid(unsafe_code)]

use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole};

/// Custom organization permissions.
#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read invoices.
    #[clerk(key = "org:invoices:read", name = "Read invoices")]
    InvoicesRead,
    /// Create and edit invoices.
    #[clerk(
        key = "org:invoices:write",
        name = "Write invoices",
        description = "Create and edit invoices"
    )]
    InvoicesWrite,
}

/// Organization roles, with the permissions each grants.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = Permission)]
pub enum Role {
    /// Administrators.
    #[clerk(key = "org:admin", grants(InvoicesRead, InvoicesWrite))]
    Admin,
    /// Members.
    #[clerk(key = "org:member")]
    Member,
    /// Accountants.
    #[clerk(key = "org:accountant", grants(InvoicesRead))]
    Accountant,
}

/// The custom claims of the `api` template.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300)]
pub struct ApiClaims {
    /// The user's primary email, if any.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    /// The role in the active organization.
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
}
