//! The extractors: [`ClerkSession`] and [`Claims<C>`], reading the `ClerkLayer`'s outcome or,
//! without a layer, verifying the token themselves.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;

use super::layer::token_headers;
use crate::claims::ClerkClaims;
use crate::guard::{Authentication, ClerkRejection, LayerClaims, TokenHeaders, authenticate};
use crate::session::SessionClaims;
use crate::verify::{Verified, Verifier};

/// Router state that can hold the [`Verifier`] the extractors use when no `ClerkLayer` ran.
///
/// Implemented for every state with `Verifier: FromRef<S>` (axum's convention: the `Verifier`
/// itself, or a field of your state with `#[derive(FromRef)]` or a hand-written `FromRef`),
/// and for `()`. Request extensions are looked at first (`.layer(Extension(verifier))`, or the
/// verifier a `ClerkLayer` leaves there).
pub trait ClerkState: Send + Sync {
    /// The verifier held by this state, if any.
    fn clerk_verifier(&self) -> Option<Verifier>;
}

impl ClerkState for () {
    fn clerk_verifier(&self) -> Option<Verifier> {
        None
    }
}

impl<S: Send + Sync> ClerkState for S
where
    Verifier: FromRef<S>,
{
    fn clerk_verifier(&self) -> Option<Verifier> {
        Some(Verifier::from_ref(self))
    }
}

/// A verified Clerk session token. Derefs to [`Verified<SessionClaims>`], which derefs to
/// [`SessionClaims`] (so `session.has_role(Role::Admin)` works).
///
/// Pending sessions (`sts: "pending"`) are rejected, as Clerk's SDKs treat them as signed out.
#[derive(Debug, Clone)]
pub struct ClerkSession(pub Verified<SessionClaims>);

impl Deref for ClerkSession {
    type Target = Verified<SessionClaims>;
    fn deref(&self) -> &Self::Target {
        &self.0
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

impl<C> Claims<C> {
    /// The verified token, shared.
    pub fn into_arc(self) -> Arc<Verified<C>> {
        self.0
    }
}

/// The request's outcome for claims `C`: the layer's, or a verification of our own.
async fn outcome<C: LayerClaims, S: ClerkState>(
    parts: &Parts,
    state: &S,
) -> Result<Option<Arc<Verified<C>>>, ClerkRejection> {
    if let Some(authentication) = parts.extensions.get::<Authentication<C>>() {
        return authentication.optional();
    }
    let verifier = parts
        .extensions
        .get::<Verifier>()
        .cloned()
        .or_else(|| state.clerk_verifier())
        .ok_or(ClerkRejection::NoVerifier)?;
    let (authorization, cookies) = token_headers(&parts.headers);
    let headers = TokenHeaders {
        authorization,
        cookies: cookies.as_deref(),
    };
    authenticate::<C>(&verifier, headers).await.optional()
}

fn session(verified: Arc<Verified<SessionClaims>>) -> ClerkSession {
    ClerkSession(Arc::unwrap_or_clone(verified))
}

impl<S: ClerkState> FromRequestParts<S> for ClerkSession {
    type Rejection = ClerkRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        outcome::<SessionClaims, S>(parts, state)
            .await?
            .map(session)
            .ok_or(ClerkRejection::NoToken)
    }
}

impl<S: ClerkState> OptionalFromRequestParts<S> for ClerkSession {
    type Rejection = ClerkRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(outcome::<SessionClaims, S>(parts, state)
            .await?
            .map(session))
    }
}

impl<C, S> FromRequestParts<S> for Claims<C>
where
    C: ClerkClaims + Send + Sync + 'static,
    S: ClerkState,
{
    type Rejection = ClerkRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        outcome::<C, S>(parts, state)
            .await?
            .map(Claims)
            .ok_or(ClerkRejection::NoToken)
    }
}

impl<C, S> OptionalFromRequestParts<S> for Claims<C>
where
    C: ClerkClaims + Send + Sync + 'static,
    S: ClerkState,
{
    type Rejection = ClerkRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(outcome::<C, S>(parts, state).await?.map(Claims))
    }
}
