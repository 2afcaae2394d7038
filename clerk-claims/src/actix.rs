//! actix-web 4 integration (feature `actix-web`): the same design as the `axum` module, as a thin
//! adapter over [`crate::guard`].
//!
//! - [`ClerkMiddleware`] (`App::wrap`): verifies the request's token once and keeps the
//!   outcome in the request extensions; `.template::<C>()`, `.deny_signed_out()` with
//!   `.public(...)` routes, `.on_rejection(...)`; `ClerkMiddleware::cookie_flow` (feature
//!   `request`) runs Clerk's whole cookie flow and handshake instead, for server-rendered apps.
//! - [`require`] (`Resource::wrap` / `Scope::wrap`): 401/403 before the handler and its body
//!   extractors run; a role or permission enum value or a [`Requirement`].
//! - [`ClerkSession`] / [`Claims<C>`] extractors: the middleware's outcome, or without it a
//!   verification of their own with the [`Verifier`] from `App::app_data` (`Verifier` or
//!   `web::Data<Verifier>`). actix's `Option<T>` extractor turns every error into `None`; use
//!   `Option<ClerkSession>` only where a bad token may count as signed out.
//! - [`ClerkRejection`] is an actix `ResponseError` with the same statuses, headers and body;
//!   setup errors (`clerk-layer-missing`, `clerk-layer-mismatch`, `verifier-missing`) name
//!   actix-web's fix (`.wrap(ClerkMiddleware::new(..))`, `.app_data(verifier)`).
//! - A guard for one method of a resource: `Route::wrap`, as in
//!   `.route(web::post().to(create).wrap(require(Permission::InvoicesWrite)))`.
//!
//! ```
//! # #[cfg(feature = "derive")] {
//! use actix_web::{App, web};
//! use clerk_claims::actix::{ClerkMiddleware, ClerkSession, require};
//! use clerk_claims::{ClerkRole, Verifier};
//!
//! #[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
//! enum Role {
//!     #[clerk(key = "org:admin")]
//!     Admin,
//! }
//!
//! async fn me(session: ClerkSession) -> String {
//!     session.user_id().to_owned()
//! }
//!
//! # fn app(verifier: Verifier) {
//! let app = App::new()
//!     .route("/me", web::get().to(me))
//!     .service(web::resource("/admin").wrap(require(Role::Admin)).to(me))
//!     .wrap(ClerkMiddleware::new(verifier));
//! # }
//! # }
//! ```

use std::borrow::Cow;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};

use crate::guard::{
    Adapter, Admission, Authentication, Check, Extensions, ExtractFrom, Framework, Gate,
    GateRequest, LayerClaims, LayerRan, Need, Require, TokenHeaders, check_guard, extract,
};
pub use crate::guard::{Claims, ClerkRejection, ClerkSession, Requirement, require};
use crate::session::SessionClaims;
use crate::verify::{Verified, Verifier};

type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

impl ResponseError for ClerkRejection {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        self.trace();
        let parts = self.to_parts();
        let mut response = HttpResponse::build(self.status_code());
        for (name, value) in parts.headers {
            if let Ok(value) = HeaderValue::try_from(value) {
                response.insert_header((HeaderName::from_static(name), value));
            }
        }
        response.json(parts.body)
    }
}

/// The request's token headers ([`crate::guard::token_headers`]).
fn token_headers(headers: &HeaderMap) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>) {
    crate::guard::token_headers(
        headers.get(header::AUTHORIZATION).map(|v| v.as_bytes()),
        headers.get_all(header::COOKIE).map(|v| v.as_bytes()),
    )
}

/// The actix-web adapter: actix's [`HttpResponse`], routes named as given to `App::route` /
/// `web::resource`.
#[derive(Debug, Clone, Copy)]
pub enum ActixWeb {}

impl Adapter for ActixWeb {
    type Response = HttpResponse;
    const FRAMEWORK: Framework = Framework::ActixWeb;
}

/// Middleware (`App::wrap`) that verifies the request's token once as claims `C` and keeps the
/// outcome for the extractors and [`require`] guards of the request: [`Gate`] with actix-web's
/// responses (its builder methods are there: `new`, `cookie_flow`, `template`,
/// `deny_signed_out`, `public`, `on_rejection`).
pub type ClerkMiddleware<C = SessionClaims> = Gate<C, ActixWeb>;

impl<S, B, C> Transform<S, ServiceRequest> for Gate<C, ActixWeb>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
    C: LayerClaims,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = ClerkMiddlewareService<S, C>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ClerkMiddlewareService {
            service: Rc::new(service),
            gate: self.clone(),
        }))
    }
}

/// The service of a [`ClerkMiddleware`].
pub struct ClerkMiddlewareService<S, C> {
    service: Rc<S>,
    gate: Gate<C, ActixWeb>,
}

/// The response to send: a rejection swapped for the hook's response, when one is set.
fn respond<B, C>(
    gate: &Gate<C, ActixWeb>,
    response: ServiceResponse<B>,
) -> ServiceResponse<EitherBody<B>> {
    let rejection = response
        .response()
        .error()
        .and_then(|e| e.as_error::<ClerkRejection>());
    match (gate.hook(), rejection) {
        (Some(hook), Some(rejection)) => {
            let replacement = hook.respond(rejection);
            let (request, _) = response.into_parts();
            ServiceResponse::new(request, replacement).map_into_right_body()
        }
        _ => response.map_into_left_body(),
    }
}

impl GateRequest for ServiceRequest {
    fn token_headers(&self) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>) {
        token_headers(self.headers())
    }

    fn is_public(&self, public: &[String]) -> bool {
        self.match_pattern()
            .is_some_and(|pattern| public.contains(&pattern))
    }

    #[cfg(feature = "request")]
    fn parts(&self) -> Result<Cow<'_, http::request::Parts>, String> {
        http_parts(self).map(Cow::Owned)
    }
}

impl Extensions for actix_web::dev::Extensions {
    fn put<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.insert(value);
    }
}

impl<S, B, C> Service<ServiceRequest> for ClerkMiddlewareService<S, C>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
    C: LayerClaims,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<Result<Self::Response, Self::Error>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let gate = self.gate.clone();
        Box::pin(async move {
            let (mut response, set_cookies) = match gate.admit(&request).await {
                #[cfg(feature = "request")]
                Admission::Redirect(headers) => {
                    let mut redirect = HttpResponse::TemporaryRedirect();
                    for (name, value) in &headers {
                        if let Some(header) = to_actix(name, value) {
                            redirect.append_header(header);
                        }
                    }
                    return Ok(request
                        .into_response(redirect.finish())
                        .map_into_right_body());
                }
                Admission::Deny {
                    rejection,
                    set_cookies,
                } => (deny(&gate, request, rejection), set_cookies),
                Admission::Proceed {
                    admitted,
                    set_cookies,
                } => {
                    admitted.insert(&mut *request.extensions_mut());
                    (respond(&gate, service.call(request).await?), set_cookies)
                }
            };
            for cookie in set_cookies {
                if let Ok(value) = HeaderValue::from_bytes(&cookie) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            Ok(response)
        })
    }
}

/// The response of a default-deny rejection: the rejection's, or the hook's when one is set.
fn deny<B, C>(
    gate: &Gate<C, ActixWeb>,
    request: ServiceRequest,
    rejection: ClerkRejection,
) -> ServiceResponse<EitherBody<B>> {
    // The default response is built even when the hook replaces it: it traces the rejection.
    let mut response = request.error_response(rejection.clone());
    if let Some(hook) = gate.hook() {
        let (request, _) = response.into_parts();
        response = ServiceResponse::new(request, hook.respond(&rejection));
    }
    response.map_into_right_body()
}

/// The request as [`request::authenticate`](crate::request::authenticate) reads it: its
/// method, URI and headers copied as bytes into `http` 1.x (actix-web 4 is on `http` 0.2).
/// A header that does not convert is skipped; a method or URI that does not (both versions
/// parse them alike) is an error saying what was found.
#[cfg(feature = "request")]
fn http_parts(request: &ServiceRequest) -> Result<http::request::Parts, String> {
    let (mut parts, ()) = http::Request::new(()).into_parts();
    let method = request.method().as_str();
    parts.method = http::Method::from_bytes(method.as_bytes())
        .map_err(|e| format!("expected an HTTP method, found `{method}`: {e}"))?;
    let uri = request.uri().to_string();
    parts.uri = http::Uri::try_from(uri.as_str())
        .map_err(|e| format!("expected a request URI, found `{uri}`: {e}"))?;
    for (name, value) in request.headers() {
        let name = http::HeaderName::from_bytes(name.as_str().as_bytes());
        let value = http::HeaderValue::from_bytes(value.as_bytes());
        if let (Ok(name), Ok(value)) = (name, value) {
            parts.headers.append(name, value);
        }
    }
    Ok(parts)
}

/// An `http` 1.x header as actix-web's, or `None` when it does not convert.
#[cfg(feature = "request")]
fn to_actix(
    name: &http::HeaderName,
    value: &http::HeaderValue,
) -> Option<(HeaderName, HeaderValue)> {
    let name = HeaderName::from_bytes(name.as_str().as_bytes()).ok()?;
    let value = HeaderValue::from_bytes(value.as_bytes()).ok()?;
    Some((name, value))
}

impl<S, B, K, C> Transform<S, ServiceRequest> for Require<K, C>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
    K: Check<C>,
    C: LayerClaims,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = RequireService<S, K, C>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequireService {
            service,
            guard: self.clone(),
        }))
    }
}

/// The service of a [`require`] guard.
pub struct RequireService<S, K, C> {
    service: S,
    guard: Require<K, C>,
}

impl<S, B, K, C> Service<ServiceRequest> for RequireService<S, K, C>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
    K: Check<C>,
    C: LayerClaims,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<Result<Self::Response, Self::Error>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let verdict = {
            let extensions = request.extensions();
            check_guard(
                extensions.get::<Authentication<C>>(),
                extensions.get::<LayerRan>().copied(),
                &self.guard,
                Framework::ActixWeb,
            )
        };
        match verdict {
            Ok(()) => {
                let call = self.service.call(request);
                Box::pin(async move { Ok(call.await?.map_into_left_body()) })
            }
            Err(rejection) => {
                let response = request.error_response(rejection).map_into_right_body();
                Box::pin(async move { Ok(response) })
            }
        }
    }
}

/// The request's token as `C`, through the one extraction of [`crate::guard::extract`].
async fn outcome<C: LayerClaims>(
    request: HttpRequest,
    need: Need,
) -> Result<Option<Arc<Verified<C>>>, ClerkRejection> {
    let layer = request.extensions().get::<Authentication<C>>().cloned();
    let ran = request.extensions().get::<LayerRan>().copied();
    let verifier = match layer {
        Some(_) => None,
        None => request
            .extensions()
            .get::<Verifier>()
            .cloned()
            .or_else(|| request.app_data::<Verifier>().cloned())
            .or_else(|| {
                request
                    .app_data::<web::Data<Verifier>>()
                    .map(|data| data.get_ref().clone())
            }),
    };
    let (authorization, cookies) = token_headers(request.headers());
    let from = ExtractFrom {
        layer,
        ran,
        verifier,
        headers: TokenHeaders {
            authorization: authorization.as_deref(),
            cookies: cookies.as_deref(),
        },
        framework: Framework::ActixWeb,
    };
    extract(from, need).await
}

impl<C: LayerClaims> FromRequest for Claims<C> {
    type Error = ClerkRejection;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            outcome::<C>(request, Need::Required)
                .await?
                .map(Claims::from)
                .ok_or(ClerkRejection::NoToken)
        })
    }
}
