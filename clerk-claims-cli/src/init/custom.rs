//! Claims for a `custom` JWT template with business logic: the organization's role and
//! permissions as enums, the plan and tenant from metadata, with fallbacks when unset.

use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

/// The organization roles the app knows (Dashboard → Organizations → Roles).
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `org:admin`
    #[clerk(key = "org:admin")]
    Admin,
    /// `org:member`
    #[clerk(key = "org:member")]
    Member,
}

/// The organization permissions the app checks.
#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// `org:invoices:read`
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    /// `org:invoices:write`
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

/// What the API decides on: who, in which organization, with which role and plan.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "custom", lifetime = 300, allowed_clock_skew = 5)]
pub struct CustomClaims {
    /// The active organization.
    #[clerk(shortcode = "org.id")]
    pub org_id: Option<String>,
    /// The role in the active organization.
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
    /// The permissions in the active organization.
    #[clerk(shortcode = "org_membership.permissions")]
    pub permissions: Permissions<Permission>,
    /// The billing plan: the organization's, else the user's, else `free`.
    #[clerk(shortcode = "org.public_metadata.plan || user.public_metadata.plan || 'free'")]
    pub plan: String,
    /// The tenant the data lives in: set in the organization's metadata, else its slug.
    #[clerk(shortcode = "org.public_metadata.tenant || org.slug")]
    pub tenant: Option<String>,
    /// Whether the user opted into beta features, `false` when unset.
    #[clerk(shortcode = "user.public_metadata.beta || false")]
    pub beta: bool,
    /// A display line: `Alice Anders <alice@example.com>`.
    #[clerk(format = "{{user.first_name}} {{user.last_name}} <{{user.primary_email_address}}>")]
    pub display: String,
}
