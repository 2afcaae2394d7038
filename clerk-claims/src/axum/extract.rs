//! The extractors: [`ClerkSession`] and [`Claims<C>`], reading the `ClerkLayer`'s outcome or,
//! without a layer, verifying the token themselves.

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;

use super::layer::token_headers;
use crate::claims::ClerkClaims;
use crate::guard::{
    Authentication, Claims, ClerkRejection, ClerkSession, Framework, LayerClaims, LayerRan,
    TokenHeaders, read_or_verify,
};
use crate::session::SessionClaims;
use crate::verify::{Verified, Verifier};

/// Router state that can hold the [`Verifier`] the extractors use when no `ClerkLayer` ran.
///
/// Implemented for every state with `Verifier: FromRef<S>` (axum's convention: the `Verifier`
/// itself, or a field of your state with `#[derive(FromRef)]` or a hand-written `FromRef`),
/// for `Arc<S>` of such a state, and for `()`. Request extensions are looked at first (`.layer(Extension(verifier))`, or the
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

/// `Arc<AppState>`, the usual shared state, where `AppState: ClerkState` (a `FromRef` from an
/// `Arc` of your type cannot be written outside this crate).
impl<T: ClerkState> ClerkState for std::sync::Arc<T> {
    fn clerk_verifier(&self) -> Option<Verifier> {
        (**self).clerk_verifier()
    }
}

/// The request's outcome for claims `C`: the layer's, or a verification of our own.
/// `required`: a signed-out outcome of the layer is its rejection (with Clerk's reason), not
/// `None`.
async fn outcome<C: LayerClaims, S: ClerkState>(
    parts: &Parts,
    state: &S,
    required: bool,
) -> Result<Option<std::sync::Arc<Verified<C>>>, ClerkRejection> {
    let layer = parts.extensions.get::<Authentication<C>>().cloned();
    if let (true, Some(layer)) = (required, &layer) {
        return layer.required().map(Some);
    }
    let verifier = match layer {
        Some(_) => None,
        None => parts
            .extensions
            .get::<Verifier>()
            .cloned()
            .or_else(|| state.clerk_verifier()),
    };
    let (authorization, cookies) = token_headers(&parts.headers);
    let headers = TokenHeaders {
        authorization: authorization.as_deref(),
        cookies: cookies.as_deref(),
    };
    let ran = parts.extensions.get::<LayerRan>().copied();
    read_or_verify(layer, ran, verifier, headers, Framework::Axum).await
}

impl<S: ClerkState> FromRequestParts<S> for ClerkSession {
    type Rejection = ClerkRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        outcome::<SessionClaims, S>(parts, state, true)
            .await?
            .map(ClerkSession::from)
            .ok_or(ClerkRejection::NoToken)
    }
}

impl<S: ClerkState> OptionalFromRequestParts<S> for ClerkSession {
    type Rejection = ClerkRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(outcome::<SessionClaims, S>(parts, state, false)
            .await?
            .map(ClerkSession::from))
    }
}

impl<C, S> FromRequestParts<S> for Claims<C>
where
    C: ClerkClaims + Send + Sync + 'static,
    S: ClerkState,
{
    type Rejection = ClerkRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        outcome::<C, S>(parts, state, true)
            .await?
            .map(Claims::from)
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
        Ok(outcome::<C, S>(parts, state, false)
            .await?
            .map(Claims::from))
    }
}
