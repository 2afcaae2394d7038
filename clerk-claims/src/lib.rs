//! Typed Clerk JWT claims.
//!
//! `#[derive(ClerkClaims)]` on a struct gives the exact JWT template JSON to paste into the
//! Clerk dashboard, the typed decoding of the tokens that template produces, and
//! `require_role` / `require_permission` checks that only accept declared roles and permissions.
//! The verifier checks session and template tokens the way Clerk's own SDK does.
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
mod rbac;
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

#[cfg(feature = "remote")]
pub mod api;
#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "testing")]
pub mod testing;

#[doc(hidden)]
pub mod __private;

pub use claims::{ClaimInfo, ClaimsMismatch, ClerkClaims};
pub use rbac::{ClerkPermission, ClerkRole, Forbidden, Permissions, UnknownKey};
pub use session::SessionClaims;
pub use template::JwtTemplate;
#[cfg(feature = "verify")]
pub use verify::{Verified, Verifier, VerifyError};

#[cfg(feature = "derive")]
pub use clerk_claims_derive::{ClerkClaims, ClerkPermission, ClerkRole};
