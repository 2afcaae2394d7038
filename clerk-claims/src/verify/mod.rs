//! Token verification in Clerk's order of checks.

/// Verified claims.
pub struct Verified<C> {
    /// The custom claims.
    pub claims: C,
}
/// Verifies Clerk tokens.
pub struct Verifier {}
/// Why a token was rejected.
#[derive(Debug, thiserror::Error)]
#[error("verification failed")]
pub struct VerifyError {}
