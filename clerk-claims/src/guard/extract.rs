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

/// A verified Clerk session token. Derefs to [`Verified<SessionClaims>`], which derefs to
/// [`SessionClaims`] (so `session.has_role(Role::Admin)` works). Shared, not copied, when
/// several extractors of one request read it.
///
/// Pending sessions (`sts: "pending"`) are rejected, as Clerk's SDKs treat them as signed out.
#[derive(Debug, Clone)]
pub struct ClerkSession(Arc<Verified<SessionClaims>>);

impl Deref for ClerkSession {
    type Target = Verified<SessionClaims>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<Arc<Verified<SessionClaims>>> for ClerkSession {
    fn from(verified: Arc<Verified<SessionClaims>>) -> Self {
        Self(verified)
    }
}

impl From<Verified<SessionClaims>> for ClerkSession {
    fn from(verified: Verified<SessionClaims>) -> Self {
        Self(Arc::new(verified))
    }
}

impl ClerkSession {
    /// The verified token, shared.
    pub fn into_arc(self) -> Arc<Verified<SessionClaims>> {
        self.0
    }
}

/// A verified token decoded as the claims type `C`. Derefs to [`Verified<C>`], which derefs
/// to `C`. Shared, not copied, when several extractors of one request read it.
#[derive(Debug)]
pub struct Claims<C>(Arc<Verified<C>>);

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

impl<C> Claims<C> {
    /// The verified token, shared.
    pub fn into_arc(self) -> Arc<Verified<C>> {
        self.0
    }
}

/// The request's verified token as `C`: the layer's outcome when a layer of claims `C` ran
/// (no second verification), else a verification of the request's token with `verifier`
/// (`NoVerifier` without one). When a layer of another claims type ran (`ran`) and signed the
/// request in, a token this verification rejects is [`ClerkRejection::LayerMismatch`]: the
/// route reads the wrong claims type. `Ok(None)`: the request carries no token. `framework`
/// is the adapter answering: its fix is the one the setup errors name.
pub async fn read_or_verify<C: LayerClaims>(
    layer: Option<Authentication<C>>,
    ran: Option<LayerRan>,
    verifier: Option<Verifier>,
    headers: TokenHeaders<'_>,
    framework: Framework,
) -> Result<Option<Arc<Verified<C>>>, ClerkRejection> {
    if let Some(authentication) = layer {
        return authentication.optional();
    }
    let verifier = verifier.ok_or(ClerkRejection::NoVerifier { framework })?;
    match authenticate::<C>(&verifier, headers).await.optional() {
        Err(_) if ran.is_some_and(|ran| ran.signed_in()) => Err(missing_layer::<C>(ran, framework)),
        outcome => outcome,
    }
}
