//! The gate and the guards as `tower` services of any `http::Request<B>`: axum, tonic and bare
//! hyper services share them. An [`HttpAdapter`] only says how a rejection, a redirect and a
//! route's name look in its framework.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::SET_COOKIE;
use http::request::Parts;
use http::{HeaderValue, Request, Response};
use tower::{Layer, Service};

use super::authenticate::{Authentication, LayerClaims, LayerRan, check_guard};
use super::gate::{Adapter, Admission, Gate, GateRequest, OnRejection};
use super::rejection::ClerkRejection;
use super::requirement::{Check, Require};

/// An adapter of `http` services: its responses, and how it names a request's route.
pub trait HttpAdapter: Adapter<Response = Response<Self::Body>> {
    /// The response body type of the framework's services.
    type Body: Send + 'static;

    /// The default response for `rejection` (status, `x-clerk-auth-reason`, ...).
    fn reject(rejection: &ClerkRejection) -> Response<Self::Body>;

    /// A `307 Temporary Redirect` with `headers` (the cookie flow's handshakes).
    #[cfg(feature = "request")]
    fn redirect(headers: http::HeaderMap) -> Response<Self::Body>;

    /// The request's route, as [`Gate::public`] names it.
    fn route(parts: &Parts) -> Option<&str>;
}

/// Marks a default rejection response, so the layer can swap it for the hook's.
#[derive(Clone)]
struct Rejected(Arc<ClerkRejection>);

/// The default response of adapter `F` for `rejection`, traced and marked so that a layer's
/// [`OnRejection`] hook replaces it.
pub fn rejection_response<F: HttpAdapter>(rejection: ClerkRejection) -> Response<F::Body> {
    rejection.trace();
    let mut response = F::reject(&rejection);
    response
        .extensions_mut()
        .insert(Rejected(Arc::new(rejection)));
    response
}

/// `response`, or the hook's response when it is a default rejection and a hook is set.
fn respond<B>(hook: Option<&OnRejection<Response<B>>>, response: Response<B>) -> Response<B> {
    let Some(hook) = hook else {
        return response;
    };
    match response.extensions().get::<Rejected>() {
        Some(Rejected(rejection)) => hook.respond(rejection),
        None => response,
    }
}

struct HttpRequest<'a, F>(&'a Parts, PhantomData<F>);

impl<F: HttpAdapter> GateRequest for HttpRequest<'_, F> {
    fn token_headers(
        &self,
    ) -> (
        Option<std::borrow::Cow<'_, str>>,
        Option<std::borrow::Cow<'_, str>>,
    ) {
        let headers = &self.0.headers;
        super::token_headers(
            headers
                .get(http::header::AUTHORIZATION)
                .map(|v| v.as_bytes()),
            headers
                .get_all(http::header::COOKIE)
                .iter()
                .map(|v| v.as_bytes()),
        )
    }

    fn is_public(&self, public: &[String]) -> bool {
        F::route(self.0).is_some_and(|route| public.iter().any(|p| p == route))
    }

    #[cfg(feature = "request")]
    fn parts(&self) -> Result<std::borrow::Cow<'_, Parts>, String> {
        Ok(std::borrow::Cow::Borrowed(self.0))
    }
}

impl<S, C, F: HttpAdapter> Layer<S> for Gate<C, F> {
    type Service = ClerkService<S, C, F>;

    fn layer(&self, inner: S) -> Self::Service {
        ClerkService {
            inner,
            gate: self.clone(),
        }
    }
}

/// The service of a `ClerkLayer`.
pub struct ClerkService<S, C, F: Adapter> {
    inner: S,
    gate: Gate<C, F>,
}

impl<S: Clone, C, F: Adapter> Clone for ClerkService<S, C, F> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            gate: self.gate.clone(),
        }
    }
}

impl<S, C, F: Adapter> std::fmt::Debug for ClerkService<S, C, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkService")
            .field("gate", &self.gate)
            .finish_non_exhaustive()
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, C, F, B> Service<Request<B>> for ClerkService<S, C, F>
where
    S: Service<Request<B>, Response = Response<F::Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    C: LayerClaims,
    F: HttpAdapter,
{
    type Response = Response<F::Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<F::Body>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The clone is the one that is ready (tower's `Service` contract).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let gate = self.gate.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let admission = gate.admit(&HttpRequest::<F>(&parts, PhantomData)).await;
            let (mut response, set_cookies) = match admission {
                #[cfg(feature = "request")]
                Admission::Redirect(headers) => return Ok(F::redirect(headers)),
                Admission::Deny {
                    rejection: denied,
                    set_cookies,
                } => (rejection_response::<F>(denied), set_cookies),
                Admission::Proceed {
                    admitted,
                    set_cookies,
                } => {
                    let mut request = Request::from_parts(parts, body);
                    admitted.insert(request.extensions_mut());
                    (inner.call(request).await?, set_cookies)
                }
            };
            response = respond(gate.hook(), response);
            for cookie in set_cookies {
                if let Ok(value) = HeaderValue::from_bytes(&cookie) {
                    response.headers_mut().append(SET_COOKIE, value);
                }
            }
            Ok(response)
        })
    }
}

/// A [`Require`] guard as a `tower::Layer` of adapter `F`: it answers before the service (a
/// handler and its body extractors) runs.
pub struct RequireLayer<K, C, F> {
    guard: Arc<Require<K, C>>,
    _adapter: PhantomData<fn() -> F>,
}

impl<K, C, F> RequireLayer<K, C, F> {
    /// The layer of `guard`.
    pub(crate) fn new(guard: Require<K, C>) -> Self {
        Self {
            guard: Arc::new(guard),
            _adapter: PhantomData,
        }
    }
}

impl<K, C, F> RequireLayer<K, C, F> {
    /// The same guard checked on the claims type `D` (the claims type of a template layer),
    /// as [`Require::on`].
    pub fn on<D>(self) -> RequireLayer<K, D, F>
    where
        K: Check<D>,
    {
        RequireLayer {
            guard: Arc::new(Arc::unwrap_or_clone(self.guard).on::<D>()),
            _adapter: PhantomData,
        }
    }
}

impl<K, C, F> Clone for RequireLayer<K, C, F> {
    fn clone(&self) -> Self {
        Self {
            guard: Arc::clone(&self.guard),
            _adapter: PhantomData,
        }
    }
}

impl<K, C, F> std::fmt::Debug for RequireLayer<K, C, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequireLayer")
            .field("guard", &self.guard)
            .finish()
    }
}

impl<S, K, C, F> Layer<S> for RequireLayer<K, C, F> {
    type Service = RequireService<S, K, C, F>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireService {
            inner,
            guard: Arc::clone(&self.guard),
            _adapter: PhantomData,
        }
    }
}

/// The service of a [`Require`] guard.
pub struct RequireService<S, K, C, F> {
    inner: S,
    guard: Arc<Require<K, C>>,
    _adapter: PhantomData<fn() -> F>,
}

impl<S: Clone, K, C, F> Clone for RequireService<S, K, C, F> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            guard: Arc::clone(&self.guard),
            _adapter: PhantomData,
        }
    }
}

impl<S, K, C, F> std::fmt::Debug for RequireService<S, K, C, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequireService")
            .field("guard", &self.guard)
            .finish_non_exhaustive()
    }
}

impl<S, K, C, F, B> Service<Request<B>> for RequireService<S, K, C, F>
where
    S: Service<Request<B>, Response = Response<F::Body>>,
    S::Future: Send + 'static,
    K: Check<C>,
    C: LayerClaims,
    F: HttpAdapter,
{
    type Response = Response<F::Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<F::Body>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let extensions = request.extensions();
        let verdict = check_guard(
            extensions.get::<Authentication<C>>(),
            extensions.get::<LayerRan>().copied(),
            &self.guard,
            F::FRAMEWORK,
        );
        match verdict {
            Ok(()) => Box::pin(self.inner.call(request)),
            Err(denied) => {
                let response = rejection_response::<F>(denied);
                Box::pin(async move { Ok(response) })
            }
        }
    }
}
