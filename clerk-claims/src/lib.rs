//! Typed Clerk JWT claims.
//!
//! `#[derive(ClerkClaims)]` on a struct gives the exact JWT template JSON to paste into the
//! Clerk dashboard, the typed decoding of the tokens that template produces, and
//! `require_role` / `require_permission` checks that only accept declared roles and permissions.
//! The verifier checks session and template tokens the way Clerk's own SDK does.
//!
//! ```
//! # #[cfg(feature = "derive")] {
//! use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Forbidden, Permissions};
//!
//! #[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! pub enum Role {
//!     #[clerk(key = "org:admin")]
//!     Admin,
//!     #[clerk(key = "org:member")]
//!     Member,
//! }
//!
//! #[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! pub enum Permission {
//!     #[clerk(key = "org:invoices:read")]
//!     InvoicesRead,
//!     #[clerk(key = "org:invoices:write")]
//!     InvoicesWrite,
//! }
//!
//! #[derive(ClerkClaims, Debug)]
//! #[clerk(template = "api", lifetime = 300)]
//! pub struct ApiClaims {
//!     #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
//!     pub plan: String,
//!     #[clerk(shortcode = "org.role")]
//!     pub role: Option<Role>,
//!     #[clerk(shortcode = "org_membership.permissions")]
//!     pub permissions: Permissions<Permission>,
//! }
//!
//! // The template to paste into the dashboard, keys in declaration order, then the marker
//! // claim naming the template (which verification checks):
//! let template = ApiClaims::jwt_template();
//! assert_eq!(template.name, "api");
//! assert_eq!(
//!     template.claims.to_string(),
//!     r#"{"plan":"{{user.public_metadata.plan || 'free'}}","role":"{{org.role}}","permissions":"{{org_membership.permissions}}","jwt_template":"api"}"#
//! );
//!
//! // A payload that template rendered for a member of an organization (`admin` and
//! // `org:admin` are one role, as in Clerk's SDK):
//! let claims: ApiClaims = clerk_claims::claims::decode(
//!     br#"{"plan":"pro","role":"admin","permissions":["org:invoices:read"],"sub":"user_1"}"#,
//! )?;
//! assert!(claims.has_role(Role::Admin));
//! claims.require_permission(Permission::InvoicesRead)?;
//! assert!(matches!(
//!     claims.require_permission(Permission::InvoicesWrite),
//!     Err(Forbidden::Permission { .. })
//! ));
//!
//! // Without an active organization, `org.*` is null: no role, no permissions.
//! let personal: ApiClaims =
//!     clerk_claims::claims::decode(br#"{"plan":"free","role":null,"permissions":null}"#)?;
//! assert!(personal.role.is_none() && personal.permissions.is_empty());
//!
//! // A token from an older template fails naming the claim and the expression the code expects.
//! let drift = clerk_claims::claims::decode::<ApiClaims>(br#"{"role":null,"permissions":null}"#)
//!     .unwrap_err();
//! assert_eq!(drift.claim.as_deref(), Some("plan"));
//! assert_eq!(drift.expression.as_deref(), Some("{{user.public_metadata.plan || 'free'}}"));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Tokens are verified with [`Verifier`] (`verify::<ApiClaims>(token)` for template tokens,
//! `verify_session(token)` for Clerk's default session token, with [`SessionClaims::has`]).
//!
//! The token path reads as one line: [`source`] → [`jwks`] → verify → [`claims`] →
//! [`authorize`]. The template path is [`template`] → [`render`] → `api`.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(all(
    feature = "verify",
    not(any(feature = "aws-lc-rs", feature = "rust-crypto"))
))]
compile_error!(
    "clerk-claims: the `verify` feature needs a crypto backend: enable the `aws-lc-rs` feature \
     (default, fastest) or the `rust-crypto` feature"
);

pub mod authorize;
pub mod build;
pub mod claims;
pub mod clock;
pub mod guard;
mod json_text;
pub mod metrics;
pub mod rbac;
pub mod render;
pub mod session;
pub mod template;

#[cfg(feature = "verify")]
mod crypto;
#[cfg(feature = "verify")]
pub mod jwks;
#[cfg(feature = "verify")]
pub mod source;
#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "actix-web")]
pub mod actix;
#[cfg(feature = "remote")]
pub mod api;
#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "remote")]
mod http;
#[cfg(feature = "request")]
pub mod request;
#[cfg(feature = "revocation")]
pub mod revocation;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "tonic")]
pub mod tonic;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[doc(hidden)]
pub mod __private;

pub use claims::{ClaimInfo, ClaimsMismatch, ClerkClaims};
pub use clock::Clock;
pub use rbac::{
    ClerkPermission, ClerkRole, Forbidden, HasPermission, HasRole, Permissions, RoleGrants,
    UnknownKey,
};
pub use session::SessionClaims;
pub use template::JwtTemplate;
#[cfg(feature = "verify")]
pub use verify::{Reason, Verified, Verifier, VerifyError};

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("docs/derive_claims.md")]
pub use clerk_claims_derive::ClerkClaims;
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("docs/derive_permission.md")]
pub use clerk_claims_derive::ClerkPermission;
#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
#[doc = include_str!("docs/derive_role.md")]
pub use clerk_claims_derive::ClerkRole;
