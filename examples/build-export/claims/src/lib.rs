//! Example claims crate: the single source of truth for the `api` JWT template. Another crate's
//! `build.rs` exports it (see `../app`).
#![forbid(unsafe_code)]

use clerk_claims::{ClerkClaims, ClerkRole};

/// Organization roles.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Administrators.
    #[clerk(key = "org:admin")]
    Admin,
    /// Members.
    #[clerk(key = "org:member")]
    Member,
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
