//! The revocation hook: a way for the verifier to ask "is this token revoked?" after a
//! token's signature and claims check out (and on every token-cache hit).
//!
//! A token stays valid until its `exp` even after its session is revoked in Clerk ("sign out
//! other devices"). A [`RevocationCheck`] given to
//! [`VerifierBuilder::revocations`](super::VerifierBuilder::revocations) closes that window,
//! with the reason `session-revoked`: a token with a `sid` (a session token) is asked about
//! by its session ([`is_revoked`](RevocationCheck::is_revoked),
//! [`VerifyError::SessionRevoked`](super::VerifyError::SessionRevoked)); a token without one
//! (a JWT-template token: Clerk gives templates no `sid`) by its user and `iat`
//! ([`is_user_token_revoked`](RevocationCheck::is_user_token_revoked),
//! [`VerifyError::UserTokenRevoked`](super::VerifyError::UserTokenRevoked)).
//! [`RevocationList`](crate::revocation::RevocationList) (feature `revocation`) is the ready
//! one, fed by Clerk's session webhooks.
//!
//! ```
//! use std::collections::{HashMap, HashSet};
//! use clerk_claims::verify::RevocationCheck;
//!
//! #[derive(Debug)]
//! struct Revoked {
//!     sessions: HashSet<String>,
//!     /// User ID → when one of their sessions was revoked (Unix seconds).
//!     users: HashMap<String, i64>,
//! }
//!
//! impl RevocationCheck for Revoked {
//!     fn is_revoked(&self, session_id: &str) -> bool {
//!         self.sessions.contains(session_id)
//!     }
//!     fn is_user_token_revoked(&self, user_id: &str, issued_at: Option<i64>) -> bool {
//!         self.users
//!             .get(user_id)
//!             .is_some_and(|&revoked| issued_at.is_none_or(|iat| iat <= revoked))
//!     }
//! }
//!
//! let check = Revoked {
//!     sessions: HashSet::from(["sess_1".to_owned()]),
//!     users: HashMap::from([("user_1".to_owned(), 1_767_225_600)]),
//! };
//! assert!(check.is_revoked("sess_1"));
//! assert!(!check.is_revoked("sess_2"));
//! assert!(check.is_user_token_revoked("user_1", Some(1_767_225_600)));
//! assert!(!check.is_user_token_revoked("user_1", Some(1_767_225_601)));
//! ```

/// Tells whether a verified token is revoked; called on the verification path, so it must
/// answer from memory without waiting (no network round trip per token).
pub trait RevocationCheck: Send + Sync + std::fmt::Debug + 'static {
    /// Whether the session `session_id` (a token's `sid`) is revoked: asked for every token
    /// with a `sid` (session tokens).
    fn is_revoked(&self, session_id: &str) -> bool;

    /// Whether a token without `sid` (a JWT-template token) of `user_id` (its `sub`), issued
    /// at `issued_at` (its `iat` in Unix seconds; `None` when it has none), is revoked: asked
    /// for every token without `sid`. Answer `false` only if such tokens are never to be
    /// refused.
    fn is_user_token_revoked(&self, user_id: &str, issued_at: Option<i64>) -> bool;
}
