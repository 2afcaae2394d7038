//! [`ClerkLayer`]: verifies the request's token once and keeps the outcome for the
//! extractors and guards of the request.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRef, MatchedPath, Request};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use super::response::{OnRejection, Rejected};
#[cfg(feature = "request")]
use crate::guard::cookie_flow::{self, CookieFlow};
use crate::guard::{ClerkRejection, LayerClaims, TokenHeaders, authenticate};
#[cfg(feature = "request")]
use crate::request::RequestOptions;
use crate::session::SessionClaims;
use crate::verify::Verifier;

/// The `Authorization` header (read as JavaScript reads it: bytes beyond ASCII are Latin-1
/// characters, as in Clerk) and the `Cookie` headers joined (HTTP/2 may split them).
pub(super) fn token_headers(headers: &HeaderMap) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>) {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| crate::source::header_latin1(v.as_bytes()));
    let mut cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let cookies = match (cookies.next(), cookies.next()) {
        (None, _) => None,
        (Some(one), None) => Some(Cow::Borrowed(one)),
        (Some(first), Some(second)) => {
            let mut joined = format!("{first}; {second}");
            for more in cookies {
                joined.push_str("; ");
                joined.push_str(more);
            }
            Some(Cow::Owned(joined))
        }
    };
    (authorization, cookies)
}

#[derive(Clone)]
struct Config {
    verifier: Verifier,
    deny_signed_out: bool,
    public: Vec<String>,
    on_rejection: Option<OnRejection>,
    /// Clerk's whole request decision instead of the token's verification alone.
    #[cfg(feature = "request")]
    cookie_flow: Option<Arc<RequestOptions>>,
}

/// A `tower::Layer` that finds the request's Clerk token (as [`crate::source`] does),
/// verifies it once as the claims type `C`, and keeps the outcome in the request extensions,
/// where [`ClerkSession`](super::ClerkSession), [`Claims<C>`](super::Claims) and
/// [`require`](super::require) guards read it.
///
/// By default a signed-out request still reaches the routes (a guard or an extractor then
/// answers 401); [`deny_signed_out`](Self::deny_signed_out) makes the whole router default-deny
/// with explicit [`public`](Self::public) routes.
pub struct ClerkLayer<C = SessionClaims> {
    config: Arc<Config>,
    _claims: PhantomData<fn() -> C>,
}

impl<C> Clone for ClerkLayer<C> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
            _claims: PhantomData,
        }
    }
}

impl<C> std::fmt::Debug for ClerkLayer<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkLayer")
            .field("claims", &std::any::type_name::<C>())
            .field("deny_signed_out", &self.config.deny_signed_out)
            .field("public", &self.config.public)
            .finish_non_exhaustive()
    }
}

impl ClerkLayer<SessionClaims> {
    /// A layer verifying session tokens with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            config: Arc::new(Config {
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

    /// A layer answering Clerk's cookie flow (feature `request`), for server-rendered apps:
    /// every request goes through [`request::authenticate`](crate::request::authenticate) with `options`, as Clerk's own
    /// SDK does, instead of only verifying the token it carries.
    ///
    /// - A handshake (an expired `__session` on a page load, a development instance without
    ///   its dev browser, a satellite to sync) is answered right away with Clerk's `307`; so is
    ///   the return of a development handshake, which sets the cookies and reloads the URL
    ///   without the handshake parameters.
    /// - Signed in: [`ClerkSession`](super::ClerkSession) and [`require`](super::require)
    ///   guards read the session verified here (no second verification).
    /// - Signed out: `Option<ClerkSession>` is `None`; guards and `ClerkSession` answer
    ///   [`ClerkRejection::SignedOut`] (401 with Clerk's reason in `x-clerk-auth-reason`), or
    ///   on a page load a `307` to the options' sign-in URL with `redirect_url`, when set.
    /// - The `Set-Cookie` lines of the decision (a production handshake return that signs in)
    ///   are added to the response; a return that signs out is a `307` that sets them and
    ///   reloads the URL.
    ///
    /// Template-token guards (`.template::<C>()`) are not decided by the cookie flow, which
    /// reads session tokens only.
    ///
    /// ```
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use axum::{Router, routing::get};
    /// use clerk_claims::axum::{ClerkLayer, ClerkSession, Requirement, require};
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
    /// let app: Router = Router::new()
    ///     .route("/dashboard", get(dashboard).route_layer(require(Requirement::signed_in())))
    ///     .layer(ClerkLayer::cookie_flow(options));
    /// # drop(app);
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    #[cfg(feature = "request")]
    pub fn cookie_flow(options: RequestOptions) -> Self {
        let verifier = options.verifier().clone();
        Self::new(verifier).with(|c| c.cookie_flow = Some(Arc::new(options)))
    }

    /// A layer verifying session tokens with the router state's verifier (axum's `FromRef`).
    pub fn from_state<S>(state: &S) -> Self
    where
        Verifier: FromRef<S>,
    {
        Self::new(Verifier::from_ref(state))
    }
}

impl<C> ClerkLayer<C> {
    fn with(self, change: impl FnOnce(&mut Config)) -> Self {
        let mut config = Arc::unwrap_or_clone(self.config);
        change(&mut config);
        Self {
            config: Arc::new(config),
            _claims: PhantomData,
        }
    }

    /// Verifies the tokens as the claims type `D` instead: a `#[derive(ClerkClaims)]` type of
    /// a JWT template (or of customized session claims). Guards then name it:
    /// `require(Role::Admin).on::<D>()`.
    pub fn template<D: LayerClaims>(self) -> ClerkLayer<D> {
        ClerkLayer {
            config: self.config,
            _claims: PhantomData,
        }
    }

    /// Default-deny: a request that is signed out, or whose token is rejected, gets its 401
    /// (500/503) from the layer, before routing reaches a handler, except on the
    /// [`public`](Self::public) routes.
    ///
    /// Clerk's webhook deliveries carry no session token: name their route public
    /// (`.public("/webhooks/clerk")`), or they get 401 and are dropped after Clerk's retries.
    /// The webhook's signature check is their authentication.
    pub fn deny_signed_out(self) -> Self {
        self.with(|c| c.deny_signed_out = true)
    }

    /// A route that [`deny_signed_out`](Self::deny_signed_out) lets through signed out, named
    /// exactly as it was given to `Router::route` (`"/health"`, `"/docs/{*rest}"`).
    pub fn public(self, route: impl Into<String>) -> Self {
        let route = route.into();
        self.with(|c| c.public.push(route))
    }

    /// Replaces every rejection response of the requests under this layer (the layer's, the
    /// guards' and the extractors'): `respond` gets the [`ClerkRejection`] and returns the
    /// response to send.
    pub fn on_rejection(
        self,
        respond: impl Fn(&ClerkRejection) -> Response + Send + Sync + 'static,
    ) -> Self {
        let hook = OnRejection::new(respond);
        self.with(|c| c.on_rejection = Some(hook))
    }
}

impl<S, C> Layer<S> for ClerkLayer<C> {
    type Service = ClerkService<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        ClerkService {
            inner,
            config: Arc::clone(&self.config),
            _claims: PhantomData,
        }
    }
}

/// The service of a [`ClerkLayer`].
pub struct ClerkService<S, C = SessionClaims> {
    inner: S,
    config: Arc<Config>,
    _claims: PhantomData<fn() -> C>,
}

impl<S: Clone, C> Clone for ClerkService<S, C> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            config: Arc::clone(&self.config),
            _claims: PhantomData,
        }
    }
}

impl<S, C> std::fmt::Debug for ClerkService<S, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkService").finish_non_exhaustive()
    }
}

impl<S, C> Service<Request> for ClerkService<S, C>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    C: LayerClaims,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // The clone is the one that is ready (tower's `Service` contract).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let config = Arc::clone(&self.config);
        Box::pin(async move {
            #[cfg(feature = "request")]
            if let Some(options) = &config.cookie_flow {
                return Ok(cookie_flow(&config, options, request, inner).await);
            }
            let (authorization, cookies) = token_headers(request.headers());
            let headers = TokenHeaders {
                authorization: authorization.as_deref(),
                cookies: cookies.as_deref(),
            };
            let authentication = authenticate::<C>(&config.verifier, headers).await;
            drop((authorization, cookies));
            if let Some(response) = denied(&config, &request, authentication.result()) {
                return Ok(response);
            }
            let extensions = request.extensions_mut();
            extensions.insert(authentication.layer_ran());
            extensions.insert(authentication);
            extensions.insert(config.verifier.clone());
            let response = inner.call(request).await?;
            Ok(respond(&config, response))
        })
    }
}

/// The layer's own rejection of a signed-out request under
/// [`deny_signed_out`](ClerkLayer::deny_signed_out), off the public routes: the response to
/// send instead of running the routes.
fn denied<T>(
    config: &Config,
    request: &Request,
    outcome: Result<T, &ClerkRejection>,
) -> Option<Response> {
    let (true, Err(rejection)) = (config.deny_signed_out, outcome) else {
        return None;
    };
    let public = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|path| config.public.iter().any(|p| p == path.as_str()));
    (!public).then(|| respond(config, rejection.clone().into_response()))
}

/// [`ClerkLayer::cookie_flow`]: Clerk's decision ([`cookie_flow::decide`]), adapted to axum.
/// Redirects are answered here; otherwise the outcome goes to the extensions and the
/// decision's `Set-Cookie` lines to the response.
#[cfg(feature = "request")]
async fn cookie_flow<S>(
    config: &Config,
    options: &RequestOptions,
    request: Request,
    mut inner: S,
) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let (parts, body) = request.into_parts();
    let (authentication, set_cookies) = match cookie_flow::decide(&parts, options).await {
        CookieFlow::Redirect(headers) => {
            let mut response = axum::http::StatusCode::TEMPORARY_REDIRECT.into_response();
            response.headers_mut().extend(headers);
            return response;
        }
        CookieFlow::Proceed {
            authentication,
            set_cookies,
        } => (authentication, set_cookies),
    };
    let mut request = Request::from_parts(parts, body);
    let mut response = match denied(config, &request, authentication.result()) {
        Some(response) => response,
        None => {
            let extensions = request.extensions_mut();
            extensions.insert(authentication.layer_ran());
            extensions.insert(authentication);
            extensions.insert(options.verifier().clone());
            match inner.call(request).await {
                Ok(response) => respond(config, response),
                Err(never) => match never {},
            }
        }
    };
    for cookie in set_cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The response to send: a default rejection response swapped for the hook's, when one is set.
fn respond(config: &Config, response: Response) -> Response {
    let Some(hook) = &config.on_rejection else {
        return response;
    };
    match response.extensions().get::<Rejected>() {
        Some(Rejected(rejection)) => hook.respond(rejection),
        None => response,
    }
}
