//! [`ClerkLayer`]: the gate of [`crate::guard`] over axum's services; [`Axum`] says how its
//! rejections, redirects and routes look.

use std::borrow::Cow;

use axum::body::Body;
use axum::extract::{FromRef, MatchedPath};
use axum::http::{HeaderMap, header};
use axum::response::Response;

use crate::guard::{Adapter, ClerkRejection, Framework, Gate, HttpAdapter};
use crate::session::SessionClaims;
use crate::verify::Verifier;

/// The axum adapter: axum's [`Response`], routes named as given to `Router::route`.
#[derive(Debug, Clone, Copy)]
pub enum Axum {}

impl Adapter for Axum {
    type Response = Response;
    const FRAMEWORK: Framework = Framework::Axum;
}

impl HttpAdapter for Axum {
    type Body = Body;

    fn reject(rejection: &ClerkRejection) -> Response {
        super::response::parts_into_response(rejection.to_parts())
    }

    #[cfg(feature = "request")]
    fn redirect(headers: HeaderMap) -> Response {
        let mut response =
            axum::response::IntoResponse::into_response(axum::http::StatusCode::TEMPORARY_REDIRECT);
        response.headers_mut().extend(headers);
        response
    }

    fn route(parts: &axum::http::request::Parts) -> Option<&str> {
        parts
            .extensions
            .get::<MatchedPath>()
            .map(MatchedPath::as_str)
    }
}

/// A `tower::Layer` that finds the request's Clerk token (as [`crate::source`] does),
/// verifies it once as the claims type `C`, and keeps the outcome in the request extensions,
/// where [`ClerkSession`](super::ClerkSession), [`Claims<C>`](super::Claims) and
/// [`require`](super::require) guards read it: [`Gate`] with axum's responses (its builder
/// methods are there). It wraps any service of `http::Request<B>` answering axum's `Response`.
pub type ClerkLayer<C = SessionClaims> = Gate<C, Axum>;

/// The service of a [`ClerkLayer`].
pub type ClerkService<S, C = SessionClaims> = crate::guard::ClerkService<S, C, Axum>;

impl Gate<SessionClaims, Axum> {
    /// A layer verifying session tokens with the router state's verifier (axum's `FromRef`).
    pub fn from_state<S>(state: &S) -> Self
    where
        Verifier: FromRef<S>,
    {
        Self::new(Verifier::from_ref(state))
    }
}

/// The request's token headers ([`crate::guard::token_headers`]).
pub(super) fn token_headers(headers: &HeaderMap) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>) {
    crate::guard::token_headers(
        headers.get(header::AUTHORIZATION).map(|v| v.as_bytes()),
        headers.get_all(header::COOKIE).iter().map(|v| v.as_bytes()),
    )
}
