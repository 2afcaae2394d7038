//! What generated code refers to. Not public API: names here change without notice.

pub use core;
#[cfg(feature = "schemars")]
pub use schemars;
pub use serde;
pub use serde_json;
pub use std;

pub use crate::claims::{ClaimInfo, ClaimsMismatch, ClerkClaims};
pub use crate::rbac::{ClerkPermission, ClerkRole, Forbidden, Permissions};
pub use crate::template::JwtTemplate;

/// Decodes `payload` into `C`; the derive's errors carry the claim, expression and template.
pub fn decode_with_diagnostics<C: ClerkClaims>(payload: &[u8]) -> Result<C, ClaimsMismatch> {
    serde_json::from_slice(payload).map_err(|e| ClaimsMismatch {
        claim: None,
        expression: None,
        template: C::TEMPLATE_NAME.map(str::to_owned),
        message: e.to_string(),
    })
}
