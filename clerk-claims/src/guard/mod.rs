//! Route guards, framework-neutral: the one gate every adapter shares, what a route requires
//! ([`Requirement`], [`require`]), the request's authentication done once ([`authenticate`],
//! [`Authentication`]), the one extraction of the claims ([`extract`]), and the rejection with
//! its status, headers and body ([`ClerkRejection`], [`RejectionParts`]).
//!
//! The configuration and its builder methods live once, in `Gate` (the adapters' `ClerkLayer`
//! and `ClerkMiddleware` are `Gate` with their framework's `Adapter`), and so does the
//! decision on a request (the token's verification or Clerk's cookie flow, default-deny). Over
//! `http` services (axum, tonic, bare hyper) the layer and the guards are the tower services of
//! this module (`ClerkService`, `RequireService`, given an `HttpAdapter`); actix-web, which is
//! not tower, converts its request and response types around the same gate. An adapter only
//! reads its headers into [`TokenHeaders`] ([`token_headers`]), turns
//! [`ClerkRejection::to_parts`] into its response, and implements its extractor traits over
//! [`extract`]: another framework is one small file.
//!
//! Roles and permissions are checked through [`HasRole`](crate::HasRole) and
//! [`HasPermission`](crate::HasPermission), implemented for [`SessionClaims`](crate::SessionClaims)
//! (any enum, by key) and for every `#[derive(ClerkClaims)]` type with a role or permissions
//! field (that field's enum): one guard serves both kinds of token, and a guard the claims
//! type cannot answer does not compile.

#[cfg(feature = "verify")]
mod authenticate;
#[cfg(all(
    feature = "request",
    any(feature = "axum", feature = "actix-web", feature = "tonic")
))]
pub(crate) mod cookie_flow;
#[cfg(feature = "verify")]
mod extract;
#[cfg(all(
    feature = "verify",
    any(feature = "axum", feature = "actix-web", feature = "tonic")
))]
mod gate;
#[cfg(feature = "verify")]
mod rejection;
mod requirement;
#[cfg(any(feature = "axum", feature = "tonic"))]
mod tower;

#[cfg(feature = "tonic")]
pub(crate) use authenticate::missing_layer;
#[cfg(feature = "verify")]
pub use authenticate::{
    Authentication, LayerClaims, LayerRan, TokenHeaders, authenticate, check_guard, token_headers,
};
#[cfg(feature = "verify")]
pub use extract::{Claims, ClerkSession, ExtractFrom, Need, extract};
#[cfg(all(
    feature = "verify",
    any(feature = "axum", feature = "actix-web", feature = "tonic")
))]
pub use gate::{Adapter, Gate, OnRejection};
#[cfg(feature = "actix-web")]
pub(crate) use gate::{Admission, Extensions, GateRequest};
#[cfg(feature = "verify")]
pub use rejection::{AuthReason, ClerkRejection, Framework, RejectionParts};
pub use requirement::{
    Check, Guard, PermissionEnum, PermissionGuard, Require, Requirement, RoleEnum, RoleGuard,
    Unmet, marker, require,
};
#[cfg(any(feature = "axum", feature = "tonic"))]
pub use tower::{ClerkService, HttpAdapter, RequireLayer, RequireService, rejection_response};
