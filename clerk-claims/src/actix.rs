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

use std::future::{Future, Ready, ready};
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};

use crate::claims::ClerkClaims;
#[cfg(feature = "request")]
use crate::guard::cookie_flow::{self, CookieFlow};
use crate::guard::{
    Authentication, Check, Framework, LayerClaims, LayerRan, Require, TokenHeaders, authenticate,
    check_guard, read_or_verify,
};
pub use crate::guard::{Claims, ClerkRejection, ClerkSession, Requirement, require};
#[cfg(feature = "request")]
use crate::request::RequestOptions;
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

/// The token headers of a request, the cookies joined.
fn token_headers(headers: &HeaderMap) -> (Option<std::borrow::Cow<'_, str>>, Option<String>) {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| crate::source::header_latin1(v.as_bytes()));
    let cookies: Vec<&str> = headers
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .collect();
    (
        authorization,
        (!cookies.is_empty()).then(|| cookies.join("; ")),
    )
}

/// The response a [`ClerkMiddleware::on_rejection`] hook sends instead of the default.
type OnRejection = Arc<dyn Fn(&ClerkRejection) -> HttpResponse + Send + Sync>;

#[derive(Clone)]
struct Config {
    verifier: Verifier,
    deny_signed_out: bool,
    public: Vec<String>,
    on_rejection: Option<OnRejection>,
    /// Clerk's whole request decision instead of the token's verification alone.
    #[cfg(feature = "request")]
    cookie_flow: Option<RequestOptions>,
}

/// Middleware (`App::wrap`) that verifies the request's token once as claims `C` and keeps the
/// outcome for the extractors and [`require`] guards of the request.
pub struct ClerkMiddleware<C = SessionClaims> {
    config: Rc<Config>,
    _claims: PhantomData<fn() -> C>,
}

impl<C> Clone for ClerkMiddleware<C> {
    fn clone(&self) -> Self {
        Self {
            config: Rc::clone(&self.config),
            _claims: PhantomData,
        }
    }
}

impl ClerkMiddleware<SessionClaims> {
    /// Middleware verifying session tokens with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            config: Rc::new(Config {
                verifier,
                deny_signed_out: false,
                public: Vec::new(),
                on_rejection: None,
                #[cfg(feature = "request")]
                cookie_flow: None,
            }),
            _claims: PhantomData,
        }
    }

    /// Middleware answering Clerk's cookie flow (feature `request`), for server-rendered apps:
    /// every request goes through [`request::authenticate`](crate::request::authenticate)
    /// with `options`, as Clerk's own SDK does, instead of only verifying the token it carries.
    ///
    /// - A handshake (an expired `__session` on a page load, a development instance without
    ///   its dev browser, a satellite to sync) is answered right away with Clerk's `307`; so is
    ///   the return of a development handshake, which sets the cookies and reloads the URL
    ///   without the handshake parameters.
    /// - Signed in: [`ClerkSession`] and [`require`] guards read the session verified here (no
    ///   second verification).
    /// - Signed out: [`ClerkSession`] and guards answer [`ClerkRejection::SignedOut`] (401
    ///   with Clerk's reason in `x-clerk-auth-reason`), or on a page load a `307` to the
    ///   options' sign-in URL with `redirect_url`, when set.
    /// - The `Set-Cookie` lines of the decision (a production handshake return that signs in)
    ///   are added to the response; a return that signs out is a `307` that sets them and
    ///   reloads the URL.
    ///
    /// [`deny_signed_out`](Self::deny_signed_out), [`public`](Self::public) and
    /// [`on_rejection`](Self::on_rejection) work as with [`new`](Self::new). Template-token
    /// guards (`.template::<C>()`) are not decided by the cookie flow, which reads session
    /// tokens only.
    ///
    /// ```
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use actix_web::{App, web};
    /// use clerk_claims::actix::{ClerkMiddleware, ClerkSession, Requirement, require};
    /// use clerk_claims::request::RequestOptions;
    /// use clerk_claims::testing::issuer::TestIssuer;
    ///
    /// async fn dashboard(session: ClerkSession) -> String {
    ///     format!("hello {}", session.user_id())
    /// }
    ///
    /// let issuer = TestIssuer::new();
    /// let options = RequestOptions::builder()
    ///     .publishable_key(issuer.publishable_key())
    ///     .pem(issuer.public_key_pem())
    ///     .sign_in_url("https://accounts.example/sign-in")
    ///     .build()?;
    /// let app = App::new()
    ///     .service(
    ///         web::resource("/dashboard")
    ///             .wrap(require(Requirement::signed_in()))
    ///             .to(dashboard),
    ///     )
    ///     .wrap(ClerkMiddleware::cookie_flow(options));
    /// # drop(app);
    /// # Ok(()) }
    /// # demo().unwrap();
    /// ```
    #[cfg(feature = "request")]
    pub fn cookie_flow(options: RequestOptions) -> Self {
        let verifier = options.verifier().clone();
        Self::new(verifier).with(|c| c.cookie_flow = Some(options))
    }
}

impl<C> ClerkMiddleware<C> {
    fn with(self, change: impl FnOnce(&mut Config)) -> Self {
        let mut config = Rc::unwrap_or_clone(self.config);
        change(&mut config);
        Self {
            config: Rc::new(config),
            _claims: PhantomData,
        }
    }

    /// Verifies the tokens as the claims type `D` (a `#[derive(ClerkClaims)]` type); guards
    /// then name it: `require(Role::Admin).on::<D>()`.
    pub fn template<D: LayerClaims>(self) -> ClerkMiddleware<D> {
        ClerkMiddleware {
            config: self.config,
            _claims: PhantomData,
        }
    }

    /// Default-deny: signed-out requests and rejected tokens get their 401 (500/503) from the
    /// middleware, except on the [`public`](Self::public) routes.
    ///
    /// Clerk's webhook deliveries carry no session token: name their route public
    /// (`.public("/webhooks/clerk")`), or they get 401 and are dropped after Clerk's retries.
    /// The webhook's signature check is their authentication.
    pub fn deny_signed_out(self) -> Self {
        self.with(|c| c.deny_signed_out = true)
    }

    /// A route pattern, as given to `App::route` / `web::resource` (`"/health"`), that
    /// [`deny_signed_out`](Self::deny_signed_out) lets through signed out.
    pub fn public(self, pattern: impl Into<String>) -> Self {
        let pattern = pattern.into();
        self.with(|c| c.public.push(pattern))
    }

    /// Replaces every rejection response under this middleware (its own, the guards' and the
    /// extractors').
    pub fn on_rejection(
        self,
        respond: impl Fn(&ClerkRejection) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.with(|c| c.on_rejection = Some(Arc::new(respond)))
    }
}

impl<S, B, C> Transform<S, ServiceRequest> for ClerkMiddleware<C>
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
            config: Rc::clone(&self.config),
            _claims: PhantomData,
        }))
    }
}

/// The service of a [`ClerkMiddleware`].
pub struct ClerkMiddlewareService<S, C> {
    service: Rc<S>,
    config: Rc<Config>,
    _claims: PhantomData<fn() -> C>,
}

/// The response to send: a rejection swapped for the hook's response, when one is set.
fn respond<B>(config: &Config, response: ServiceResponse<B>) -> ServiceResponse<EitherBody<B>> {
    let rejection = response
        .response()
        .error()
        .and_then(|e| e.as_error::<ClerkRejection>());
    match (&config.on_rejection, rejection) {
        (Some(hook), Some(rejection)) => {
            let replacement = hook(rejection);
            let (request, _) = response.into_parts();
            ServiceResponse::new(request, replacement).map_into_right_body()
        }
        _ => response.map_into_left_body(),
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
        let config = Rc::clone(&self.config);
        Box::pin(async move {
            #[cfg(feature = "request")]
            if let Some(options) = &config.cookie_flow {
                return cookie_flow(&config, options, request, &*service).await;
            }
            let (authorization, cookies) = token_headers(request.headers());
            let headers = TokenHeaders {
                authorization: authorization.as_deref(),
                cookies: cookies.as_deref(),
            };
            let authentication = authenticate::<C>(&config.verifier, headers).await;
            if let Some(rejection) = denial(&config, &request, authentication.result()) {
                return Ok(deny(&config, request, rejection));
            }
            request.extensions_mut().insert(authentication.layer_ran());
            request.extensions_mut().insert(authentication);
            request.extensions_mut().insert(config.verifier.clone());
            let response = service.call(request).await?;
            Ok(respond(&config, response))
        })
    }
}

/// The middleware's own rejection of a signed-out request under
/// [`deny_signed_out`](ClerkMiddleware::deny_signed_out), off the public routes: the rejection
/// to answer with instead of running the routes.
fn denial<T>(
    config: &Config,
    request: &ServiceRequest,
    outcome: Result<T, &ClerkRejection>,
) -> Option<ClerkRejection> {
    let (true, Err(rejection)) = (config.deny_signed_out, outcome) else {
        return None;
    };
    let public = request
        .match_pattern()
        .is_some_and(|pattern| config.public.contains(&pattern));
    (!public).then(|| rejection.clone())
}

/// The response of a [`denial`]: the rejection's, or the hook's when one is set.
fn deny<B>(
    config: &Config,
    request: ServiceRequest,
    rejection: ClerkRejection,
) -> ServiceResponse<EitherBody<B>> {
    // The default response is built even when the hook replaces it: it traces the rejection.
    let mut response = request.error_response(rejection.clone());
    if let Some(hook) = &config.on_rejection {
        let (request, _) = response.into_parts();
        response = ServiceResponse::new(request, hook(&rejection));
    }
    response.map_into_right_body()
}

/// [`ClerkMiddleware::cookie_flow`]: Clerk's decision ([`cookie_flow::decide`]), adapted to
/// actix-web. Redirects are answered here; otherwise the outcome goes to the extensions and
/// the decision's `Set-Cookie` lines to the response.
#[cfg(feature = "request")]
async fn cookie_flow<S, B>(
    config: &Config,
    options: &RequestOptions,
    request: ServiceRequest,
    service: &S,
) -> Result<ServiceResponse<EitherBody<B>>, Error>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    let decision = match http_parts(&request) {
        Ok(parts) => cookie_flow::decide(&parts, options).await,
        Err(found) => cookie_flow::unreadable(found),
    };
    let (authentication, set_cookies) = match decision {
        CookieFlow::Redirect(headers) => {
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
        CookieFlow::Proceed {
            authentication,
            set_cookies,
        } => (authentication, set_cookies),
    };
    let mut response = match denial(config, &request, authentication.result()) {
        Some(rejection) => deny(config, request, rejection),
        None => {
            request.extensions_mut().insert(authentication.layer_ran());
            request.extensions_mut().insert(authentication);
            request.extensions_mut().insert(options.verifier().clone());
            respond(config, service.call(request).await?)
        }
    };
    for cookie in set_cookies {
        if let Ok(value) = HeaderValue::from_bytes(cookie.as_bytes()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
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

/// The request's outcome for claims `C`: the middleware's, or a verification of our own.
async fn outcome<C: LayerClaims>(
    request: HttpRequest,
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
    let headers = TokenHeaders {
        authorization: authorization.as_deref(),
        cookies: cookies.as_deref(),
    };
    read_or_verify(layer, ran, verifier, headers, Framework::ActixWeb).await
}

impl FromRequest for ClerkSession {
    type Error = ClerkRejection;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            outcome::<SessionClaims>(request)
                .await?
                .map(ClerkSession::from)
                .ok_or(ClerkRejection::NoToken)
        })
    }
}

impl<C: ClerkClaims + Send + Sync + 'static> FromRequest for Claims<C> {
    type Error = ClerkRejection;
    type Future = LocalBoxFuture<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            outcome::<C>(request)
                .await?
                .map(Claims::from)
                .ok_or(ClerkRejection::NoToken)
        })
    }
}
