//! `has()` with Clerk's semantics: roles, permissions, features, plans, reverification.
//!
//! This is Clerk's `createCheckAuthorization` (`@clerk/shared` `authorization.ts`): without a
//! user every check is false; otherwise three dimensions are evaluated, each passing, failing or
//! skipped when not asked:
//!
//! - **org**: `role` and `permission` (an active organization is required; `admin` and
//!   `org:admin` are the same role, `prefixWithOrg`; permissions match exactly);
//! - **billing**: `feature` and `plan` against the `fea` / `pla` claims, with optional scope
//!   `o:`/`org:`/`organization:` or `u:`/`user:`;
//! - **reverification**: how recently the user verified a first or second factor (`fva`).
//!
//! The result is true iff at least one dimension passes and none fails. Everything asked is
//! ANDed, within and across dimensions; asking nothing is false.
//!
//! The module has three parts: [`Reverification`] (Clerk's presets and custom levels), [`Has`]
//! (the question, its CLI syntax and JS shape) and the evaluator. The methods that ask the
//! question (`has`, `has_role_key`, `has_feature`, …) are on
//! [`SessionClaims`](crate::SessionClaims) and [`AuthObject`](crate::session::AuthObject).
//!
//! ```
//! use clerk_claims::authorize::{Has, Reverification};
//!
//! let has: Has = "role=org:admin,reverification=strict".parse()?;
//! assert_eq!(has, Has::new().role("org:admin").reverification(Reverification::Strict));
//! # Ok::<(), clerk_claims::authorize::HasParseError>(())
//! ```

mod evaluate;
mod has;
mod reverification;
pub(crate) mod scope;

pub(crate) use evaluate::{Query, Subject, evaluate};
pub use has::{Has, HasParseError};
pub use reverification::{Reverification, ReverificationParseError, VerificationLevel};
