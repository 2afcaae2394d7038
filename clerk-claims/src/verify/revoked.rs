//! The revocation hook: a way for the verifier to ask "is this session revoked?" after a
//! token's signature and claims check out (and on every token-cache hit).
//!
//! A token stays valid until its `exp` even after its session is revoked in Clerk ("sign out
//! other devices"). A [`RevocationCheck`] given to
//! [`VerifierBuilder::revocations`](super::VerifierBuilder::revocations) closes that window:
//! a verified token whose `sid` it reports revoked is rejected with
//! [`VerifyError::SessionRevoked`](super::VerifyError::SessionRevoked) (`session-revoked`).
//!
//! ```
//! use std::collections::HashSet;
//! use clerk_claims::verify::RevocationCheck;
//!
//! #[derive(Debug)]
//! struct Revoked(HashSet<String>);
//!
//! impl RevocationCheck for Revoked {
//!     fn is_revoked(&self, session_id: &str) -> bool {
//!         self.0.contains(session_id)
//!     }
//! }
//!
//! let check = Revoked(HashSet::from(["sess_1".to_owned()]));
//! assert!(check.is_revoked("sess_1"));
//! assert!(!check.is_revoked("sess_2"));
//! ```

/// Tells whether a session is revoked; called on the verification path, so it must answer
/// from memory without waiting (no network round trip per token).
pub trait RevocationCheck: Send + Sync + std::fmt::Debug + 'static {
    /// Whether the session `session_id` (a token's `sid`) is revoked.
    fn is_revoked(&self, session_id: &str) -> bool;
}
