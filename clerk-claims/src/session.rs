//! Clerk's default session token (v1 and v2), normalized to the auth object.

/// Clerk's default session-token claims.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionClaims {}
