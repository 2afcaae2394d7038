//! The axum extractor for webhook endpoints (features `axum` + `webhooks`): reads the raw
//! body, [receives](Webhook::receive) it with the [`Webhook`] from the router state, and
//! answers before the handler runs when the delivery is not genuine (400), or, with a
//! [`Dedup`](super::Dedup), when its `svix-id` was already received (200, so Svix stops
//! retrying; the handler is not called) or the store is unavailable and set to refuse (503).
//!
//! Under a default-deny [`ClerkLayer`](crate::axum::ClerkLayer::deny_signed_out), name the
//! webhook route `.public(..)`: a delivery carries no session token.
//!
//! ```
//! use axum::{Router, routing::post};
//! use clerk_claims::webhooks::{Dedup, Webhook, WebhookEvent, axum::VerifiedWebhook};
//!
//! async fn clerk_webhook(VerifiedWebhook(message): VerifiedWebhook) -> &'static str {
//!     if let WebhookEvent::UserCreated(user) = &message.event {
//!         println!("new user {} ({:?})", user.id, user.primary_email());
//!     }
//!     "ok" // any 2xx acknowledges; Svix retries the rest
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.dedup(Dedup::memory());
//! let app: Router = Router::new()
//!     .route("/webhooks/clerk", post(clerk_webhook))
//!     .with_state(webhook);
//! # let _ = app; Ok(()) }
//! ```

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{Webhook, WebhookError, WebhookMessage};

/// A verified webhook delivery; the [`Webhook`] comes from the state (`Webhook: FromRef<S>`).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedWebhook(pub WebhookMessage);

/// Why [`VerifiedWebhook`] refused a request.
#[derive(Debug)]
pub enum WebhookRejection {
    /// The body could not be read (its own status, e.g. 413 past the body limit).
    Body(axum::extract::rejection::BytesRejection),
    /// Refused by [`Webhook::receive`], answered with [`WebhookError::status`] and the reason:
    /// 400 (not a genuine delivery), 200 (a duplicate), 503 (the dedup store unavailable).
    Invalid(WebhookError),
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Body(rejection) => rejection.into_response(),
            Self::Invalid(error) => (
                error.status(),
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                error.to_string(),
            )
                .into_response(),
        }
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    Webhook: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let webhook = Webhook::from_ref(state);
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(WebhookRejection::Body)?;
        webhook
            .receive(&headers, &body)
            .await
            .map(VerifiedWebhook)
            .map_err(WebhookRejection::Invalid)
    }
}
