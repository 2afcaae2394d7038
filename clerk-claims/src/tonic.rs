//! tonic (gRPC) integration (feature `tonic`): the same gate as the axum adapter, its
//! rejections as gRPC statuses.
//!
//! - [`ClerkLayer`] (`Server::builder().layer(..)`, or any tower stack of `http` services):
//!   reads the token from the `authorization` metadata (`Bearer …`), verifies it **once per
//!   request**, and keeps the outcome in the request extensions; `.template::<C>()`,
//!   `.deny_signed_out()` with `.public("/package.Service/Method")`, `.on_rejection(..)`.
//! - [`require`]: a layer around one service answering before it runs: `UNAUTHENTICATED`
//!   signed out or token rejected, `PERMISSION_DENIED` requirement not met. The guarded service
//!   keeps its [`NamedService`] name, so `add_service` takes it.
//! - [`claims`]: in a handler, `claims::<C>(&request)` is the verified claims of the
//!   `tonic::Request`, or the [`Status`] to return.
//!
//! Statuses: `UNAUTHENTICATED` for a 401, `PERMISSION_DENIED` for a 403, `INTERNAL` for
//! `claims-mismatch` and the setup errors, `UNAVAILABLE` when the keys cannot be loaded; Clerk's
//! reason code is the `grpc-message` and the `x-clerk-auth-reason` metadata.
//!
//! ```
//! # #[cfg(feature = "derive")] {
//! use clerk_claims::tonic::{ClerkLayer, claims, require};
//! use clerk_claims::{ClerkRole, SessionClaims, Verifier};
//! use tower::Layer;
//!
//! #[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! enum Role {
//!     #[clerk(key = "org:admin")]
//!     Admin,
//! }
//!
//! // In a handler of a generated service:
//! fn who(request: &tonic::Request<()>) -> Result<String, tonic::Status> {
//!     Ok(claims::<SessionClaims>(request)?.user_id().to_owned())
//! }
//!
//! fn layers<S>(verifier: Verifier, service: S) {
//!     let guarded = require(Role::Admin).layer(service); // keeps S's NamedService name
//!     let layer = ClerkLayer::new(verifier); // Server::builder().layer(layer).add_service(guarded)
//!     # drop((guarded, layer));
//! }
//! # }
//! ```

use ::tonic::body::Body;
use ::tonic::metadata::MetadataMap;
use ::tonic::server::NamedService;
use ::tonic::{Code, Request, Status};
use http::request::Parts;
use http::{HeaderMap, HeaderName, HeaderValue, Response};

use crate::guard::{
    Adapter, Authentication, Framework, Gate, Guard, HttpAdapter, LayerClaims, LayerRan,
    RequireLayer, missing_layer,
};
pub use crate::guard::{Claims, ClerkRejection, Requirement};
use crate::session::SessionClaims;

/// The tonic adapter: gRPC statuses in `http` responses of tonic's body; a route is the
/// request path (`/package.Service/Method`).
#[derive(Debug, Clone, Copy)]
pub enum Tonic {}

impl Adapter for Tonic {
    type Response = Response<Body>;
    const FRAMEWORK: Framework = Framework::Tonic;
}

impl HttpAdapter for Tonic {
    type Body = Body;

    fn reject(rejection: &ClerkRejection) -> Response<Body> {
        status(rejection).into_http()
    }

    /// gRPC has no redirects: the cookie flow's handshake is `UNAUTHENTICATED`, its headers
    /// (`Location`, `Set-Cookie`) as metadata.
    #[cfg(feature = "request")]
    fn redirect(headers: HeaderMap) -> Response<Body> {
        let metadata = MetadataMap::from_headers(headers);
        Status::with_metadata(Code::Unauthenticated, "handshake", metadata).into_http()
    }

    fn route(parts: &Parts) -> Option<&str> {
        Some(parts.uri.path())
    }
}

/// A `tower::Layer` for tonic servers (and any service of `http::Request<B>` answering
/// `http::Response<tonic::body::Body>`): [`Gate`] with gRPC statuses (its builder methods are
/// there).
pub type ClerkLayer<C = SessionClaims> = Gate<C, Tonic>;

/// The service of a [`ClerkLayer`].
pub type ClerkService<S, C = SessionClaims> = crate::guard::ClerkService<S, C, Tonic>;

/// The service of a [`require`] guard.
pub type RequireService<S, K, C = SessionClaims> = crate::guard::RequireService<S, K, C, Tonic>;

impl<S: NamedService, C> NamedService for ClerkService<S, C> {
    const NAME: &'static str = S::NAME;
}

impl<S: NamedService, K, C> NamedService for RequireService<S, K, C> {
    const NAME: &'static str = S::NAME;
}

/// A guard around one service: `require(Role::Admin).layer(service)`. It takes what
/// [`guard::require`](crate::guard::require) takes (a role or permission enum value, or a
/// [`Requirement`]); `.on::<C>()` names a template layer's claims type.
pub fn require<M, G: Guard<M>>(requirement: G) -> RequireLayer<G::Check, SessionClaims, Tonic> {
    RequireLayer::new(crate::guard::require(requirement))
}

/// The verified claims of a request under a [`ClerkLayer`] of claims `C` (no second
/// verification), or the [`Status`] to return: the layer's rejection when signed out or the
/// token was rejected; `INTERNAL` when no layer ran, or one of another claims type.
pub fn claims<C: LayerClaims>(request: &Request<impl Sized>) -> Result<Claims<C>, Status> {
    let extensions = request.extensions();
    let outcome = match extensions.get::<Authentication<C>>() {
        Some(authentication) => authentication.required(),
        None => Err(missing_layer::<C>(
            extensions.get::<LayerRan>().copied(),
            Framework::Tonic,
        )),
    };
    outcome.map(Claims::from).map_err(|rejection| {
        rejection.trace();
        status(&rejection)
    })
}

/// The gRPC status of a rejection: the code of its HTTP status, Clerk's reason as the message,
/// and the rejection's headers (`x-clerk-auth-reason`, `www-authenticate`, `location`) as
/// metadata.
pub fn status(rejection: &ClerkRejection) -> Status {
    let parts = rejection.to_parts();
    let code = match parts.status {
        403 => Code::PermissionDenied,
        500 => Code::Internal,
        503 => Code::Unavailable,
        _ => Code::Unauthenticated,
    };
    let mut headers = HeaderMap::new();
    for (name, value) in parts.headers {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    let metadata = MetadataMap::from_headers(headers);
    Status::with_metadata(code, rejection.reason().as_str(), metadata)
}
