//! What generated code refers to. Not public API: names here change without notice.
//!
//! The derives in `clerk-claims-derive` only ever name items through this module
//! (`::clerk_claims::__private::…`, or the path given by `#[clerk(crate = "…")]`), so the user's
//! crate needs no direct dependency on serde, serde_json or schemars.
//!
//! One direction of flow: this module calls into the public ones (`claims`, `rbac`,
//! `template`), never the other way round.

pub use core;
pub use core::default::Default;
pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};
#[cfg(feature = "schemars")]
pub use schemars;
pub use serde;
pub use serde_json;
pub use std;

pub use crate::claims::{ClaimInfo, ClaimsMismatch, ClerkClaims};
pub use crate::rbac::{
    ClerkPermission, ClerkRole, Forbidden, HasPermission, HasRole, Permissions, RoleGrants,
    UnknownKey, is_system_permission,
};
pub use crate::template::JwtTemplate;

mod checks;
mod de;
mod rbac;
mod template;

pub use checks::*;
pub use de::*;
pub use rbac::*;
pub use template::*;

/// Expands its input only when clerk-claims was built with the `schemars` feature.
///
/// A `#[cfg(feature = "schemars")]` in generated code would test the *user's* crate features,
/// so the derive wraps its `JsonSchema` impls in this macro instead.
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __clerk_claims_if_schemars {
    ($($tt:tt)*) => { $($tt)* };
}

/// Expands its input only when clerk-claims was built with the `schemars` feature.
#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __clerk_claims_if_schemars {
    ($($tt:tt)*) => {};
}

pub use crate::__clerk_claims_if_schemars as if_schemars;

/// Fails const evaluation when a template's claims JSON (nested objects included) is larger
/// than Clerk accepts on save.
pub const fn check_claims_len(len: usize) {
    if len > clerk_claims_lang::rules::MAX_CLAIMS_BYTES {
        panic!(
            "the template's claims JSON is over 2048 bytes, which Clerk rejects on save: move large values \
             into metadata or shorten claim names"
        );
    }
}
