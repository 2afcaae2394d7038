//! axum integration (feature `axum`): a layer that verifies the request's Clerk token once,
//! typed route guards, and extractors that hand the handler typed claims.
//!
//! - [`ClerkLayer`]: finds the token, verifies it **once per request**, and keeps the outcome
//!   in the request extensions; `.template::<C>()` for template-token APIs,
//!   `.deny_signed_out()` for a default-deny router with explicit `.public(...)` routes,
//!   `.on_rejection(...)` to replace the rejection responses.
//!   `ClerkLayer::cookie_flow` (feature `request`) for server-rendered apps: Clerk's whole
//!   request decision (`__client_uat`, dev browser, handshake `307`s, the `Set-Cookie` lines of
//!   a handshake return) instead of the token's verification alone.
//! - [`require`]: a guard for `route_layer` that answers 401 or 403 before any handler or body
//!   extractor runs. It takes a `#[derive(ClerkRole)]` or `#[derive(ClerkPermission)]` value
//!   or a [`Requirement`] (signed in, feature, plan, reverification, any/all); a string does
//!   not compile.
//! - [`ClerkSession`]: the verified session token ([`SessionClaims`](crate::SessionClaims), with `has(...)`);
//!   [`Claims<C>`]: a verified token decoded as a `#[derive(ClerkClaims)]` type;
//!   `Option<ClerkSession>` / `Option<Claims<C>>`: `None` when the request carries no token.
//!   Under a `ClerkLayer` of their claims type they read its outcome; without one they verify
//!   the token themselves, with the [`Verifier`](crate::Verifier) from the request extensions or the router
//!   state ([`ClerkState`]: any state with `Verifier: FromRef<S>`, and `()`).
//!
//! The token is read as Clerk's `authenticateRequest` does ([`crate::source`]): the
//! `Authorization` header if present (and then only it), otherwise the suffixed
//! `__session_<suffix>` cookie when the verifier knows the publishable key
//! ([`Verifier::publishable_key`](crate::Verifier::publishable_key)), then the plain `__session` cookie.
//!
//! Rejections are [`ClerkRejection`]: 401 with Clerk's reason code in the JSON body and in the
//! `x-clerk-auth-reason` header and `WWW-Authenticate: Bearer error="invalid_token"`; 403
//! `error="insufficient_scope"` with what was required and what the token had; 500 for
//! `claims-mismatch` (template drift is the server's fault); 503 when the keys cannot be
//! loaded. A setup error is 500 with a message naming its fix: `clerk-layer-missing` (a guard
//! where no `ClerkLayer` ran), `clerk-layer-mismatch` (a guard or extractor of another claims
//! type than the layer's, both named), `verifier-missing` (an extractor with no verifier).
//!
//! ```
//! # #[cfg(feature = "derive")] {
//! use axum::{Router, routing::{get, post}};
//! use clerk_claims::axum::{ClerkLayer, ClerkSession, Requirement, require};
//! use clerk_claims::{ClerkPermission, ClerkRole, Verifier};
//!
//! #[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! enum Role {
//!     #[clerk(key = "org:admin")]
//!     Admin,
//! }
//!
//! #[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! enum Permission {
//!     #[clerk(key = "org:invoices:write")]
//!     InvoicesWrite,
//! }
//!
//! async fn me(session: ClerkSession) -> String {
//!     format!("hello {}", session.user_id())
//! }
//! async fn admin() -> &'static str { "admin" }
//! async fn create(body: String) -> String { body }
//! async fn health() -> &'static str { "ok" }
//!
//! fn app(verifier: Verifier) -> Router {
//!     Router::new()
//!         .route("/me", get(me))
//!         .route("/admin", get(admin).route_layer(require(Role::Admin)))
//!         .route("/invoices", post(create).route_layer(require(Permission::InvoicesWrite)))
//!         .route("/pro", get(admin).route_layer(require(Requirement::plan("pro"))))
//!         .route("/health", get(health))
//!         .layer(ClerkLayer::new(verifier).deny_signed_out().public("/health"))
//! }
//! # }
//! ```

mod extract;
mod layer;
mod require;
mod response;

pub use crate::guard::{Claims, ClerkSession};
pub use crate::guard::{ClerkRejection, Requirement, require};
pub use extract::ClerkState;
pub use layer::{ClerkLayer, ClerkService};
pub use require::RequireService;
pub use response::OnRejection;
