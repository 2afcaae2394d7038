//! [`Require`] as a `tower::Layer` for `route_layer`: the guard answers before the handler
//! and its body extractors run.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::guard::{Authentication, Check, Framework, LayerClaims, LayerRan, Require, check_guard};

impl<S, K, C> Layer<S> for Require<K, C>
where
    K: Check<C>,
{
    type Service = RequireService<S, K, C>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireService {
            inner,
            guard: Arc::new(self.clone()),
        }
    }
}

/// The service of a [`Require`] guard.
pub struct RequireService<S, K, C> {
    inner: S,
    guard: Arc<Require<K, C>>,
}

impl<S: Clone, K, C> Clone for RequireService<S, K, C> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            guard: Arc::clone(&self.guard),
        }
    }
}

impl<S, K, C> std::fmt::Debug for RequireService<S, K, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequireService")
            .field("guard", &self.guard)
            .finish_non_exhaustive()
    }
}

impl<S, K, C> Service<Request> for RequireService<S, K, C>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
    K: Check<C>,
    C: LayerClaims,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let extensions = request.extensions();
        let verdict = check_guard(
            extensions.get::<Authentication<C>>(),
            extensions.get::<LayerRan>().copied(),
            &self.guard,
            Framework::Axum,
        );
        match verdict {
            Ok(()) => Box::pin(self.inner.call(request)),
            Err(rejection) => {
                let response = rejection.into_response();
                Box::pin(async move { Ok(response) })
            }
        }
    }
}
