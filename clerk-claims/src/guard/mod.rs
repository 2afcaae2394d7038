//! Route guards, framework-neutral: what a route requires ([`Requirement`], [`require`]), the
//! request's authentication done once ([`authenticate`], [`Authentication`]), and the
//! rejection with its status, headers and body ([`ClerkRejection`], [`RejectionParts`]).
//!
//! The framework adapters (`clerk_claims::axum`, `clerk_claims::actix`) are thin: they read
//! the `Authorization` and `Cookie` headers into [`TokenHeaders`], keep the [`Authentication`]
//! and its [`LayerRan`] in the request, run [`check_guard`] for a [`Require`] guard (and
//! [`read_or_verify`] for an extractor), and turn [`ClerkRejection::to_parts`] into their
//! response type. Another framework needs the same four steps.
//!
//! Roles and permissions are checked through [`HasRole`](crate::HasRole) and
//! [`HasPermission`](crate::HasPermission), implemented for [`SessionClaims`](crate::SessionClaims)
//! (any enum, by key) and for every `#[derive(ClerkClaims)]` type with a role or permissions
//! field (that field's enum): one guard serves both kinds of token, and a guard the claims
//! type cannot answer does not compile.

#[cfg(feature = "verify")]
mod authenticate;
#[cfg(all(feature = "request", any(feature = "axum", feature = "actix-web")))]
pub(crate) mod cookie_flow;
#[cfg(feature = "verify")]
mod extract;
#[cfg(feature = "verify")]
mod rejection;
mod requirement;

#[cfg(feature = "verify")]
pub use authenticate::{
    Authentication, LayerClaims, LayerRan, TokenHeaders, authenticate, check_guard,
};
#[cfg(feature = "verify")]
pub use extract::{Claims, ClerkSession, read_or_verify};
#[cfg(feature = "verify")]
pub use rejection::{AuthReason, ClerkRejection, Framework, RejectionParts};
pub use requirement::{
    Check, Guard, PermissionEnum, PermissionGuard, Require, Requirement, RoleEnum, RoleGuard,
    Unmet, marker, require,
};
