//! What the extractors hand a handler: the verified token, as [`ClerkSession`] for session
//! tokens and [`Claims<C>`] for a `#[derive(ClerkClaims)]` type. The framework adapters
//! implement their extractor traits for these types.

use std::ops::Deref;
use std::sync::Arc;

use super::authenticate::{
    Authentication, LayerClaims, LayerRan, TokenHeaders, authenticate, missing_layer,
};
use super::rejection::{ClerkRejection, Framework};
use crate::session::SessionClaims;
use crate::verify::{Verified, Verifier};

/// A verified Clerk session token: [`Claims`] of [`SessionClaims`]. Derefs to
/// [`Verified<SessionClaims>`], which derefs to [`SessionClaims`] (so
/// `session.has_role(Role::Admin)` works).
///
/// Pending sessions (`sts: "pending"`) are rejected, as Clerk's SDKs treat them as signed out.
pub type ClerkSession = Claims<SessionClaims>;

/// A verified token decoded as the claims type `C` ([`SessionClaims`] by default, or a
/// `#[derive(ClerkClaims)]` type). Derefs to [`Verified<C>`], which derefs to `C`. Shared, not
/// copied, when several extractors of one request read it. One type for every adapter, with
/// or without the cookie flow.
pub struct Claims<C = SessionClaims>(Arc<Verified<C>>);

impl<C: std::fmt::Debug> std::fmt::Debug for Claims<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Claims").field(&self.0).finish()
    }
}

impl<C> Clone for Claims<C> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<C> Deref for Claims<C> {
    type Target = Verified<C>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<C> From<Arc<Verified<C>>> for Claims<C> {
    fn from(verified: Arc<Verified<C>>) -> Self {
        Self(verified)
    }
}

impl<C> From<Verified<C>> for Claims<C> {
    fn from(verified: Verified<C>) -> Self {
        Self(Arc::new(verified))
    }
}

impl<C> Claims<C> {
    /// The verified token, shared.
    pub fn into_arc(self) -> Arc<Verified<C>> {
        self.0
    }
}

/// Whether an extractor needs the token (`Claims<C>`) or takes its absence (`Option<Claims<C>>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A signed-out request is the rejection that says why (the layer's, with Clerk's reason).
    Required,
    /// A signed-out request is `None`; a rejected token is still its rejection.
    Optional,
}

/// What a request holds for an extractor of claims `C`, as an adapter reads it from its
/// request type: the layer's outcome, the mark of a layer of another claims type, a verifier
/// for a verification of its own, and the token headers.
#[derive(Debug)]
pub struct ExtractFrom<'a, C> {
    /// The layer's outcome, when a layer of claims `C` ran.
    pub layer: Option<Authentication<C>>,
    /// The mark of the layer that ran, if any.
    pub ran: Option<LayerRan>,
    /// A verifier (request extensions, app state), read only when no layer of `C` ran.
    pub verifier: Option<Verifier>,
    /// The request's token headers.
    pub headers: TokenHeaders<'a>,
    /// The adapter answering: its fix is the one the setup errors name.
    pub framework: Framework,
}

/// The one extraction of every adapter: the request's verified token as `C`. The layer's
/// outcome when a layer of claims `C` ran (no second verification), else a verification of the
/// request's token with `from.verifier` (`NoVerifier` without one). When a layer of another
/// claims type ran and signed the request in, a token this verification rejects is
/// [`ClerkRejection::LayerMismatch`]: the route reads the wrong claims type.
///
/// `Need::Required`: `Ok(Some(..))` or the rejection (a signed-out outcome, of the plain layer
/// or the cookie flow, is its own rejection with Clerk's reason). `Need::Optional`: `Ok(None)`
/// when signed out.
pub async fn extract<C: LayerClaims>(
    from: ExtractFrom<'_, C>,
    need: Need,
) -> Result<Option<Arc<Verified<C>>>, ClerkRejection> {
    let ExtractFrom {
        layer,
        ran,
        verifier,
        headers,
        framework,
    } = from;
    let authentication = match layer {
        Some(authentication) => authentication,
        None => {
            let verifier = verifier.ok_or(ClerkRejection::NoVerifier { framework })?;
            let authentication = authenticate::<C>(&verifier, headers).await;
            if ran.is_some_and(|ran| ran.signed_in()) && authentication.optional().is_err() {
                return Err(missing_layer::<C>(ran, framework));
            }
            authentication
        }
    };
    match need {
        Need::Required => authentication.required().map(Some),
        Need::Optional => authentication.optional(),
    }
}
