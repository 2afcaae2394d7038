//! [`Require`] as a `tower::Layer` for `route_layer`: the guard answers before the handler
//! and its body extractors run.

use tower::Layer;

use super::layer::Axum;
use crate::guard::{Check, Require, RequireLayer};

impl<S, K, C> Layer<S> for Require<K, C>
where
    K: Check<C>,
{
    type Service = RequireService<S, K, C>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireLayer::<K, C, Axum>::new(self.clone()).layer(inner)
    }
}

/// The service of a [`Require`] guard.
pub type RequireService<S, K, C> = crate::guard::RequireService<S, K, C, Axum>;
