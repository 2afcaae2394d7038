//! The actix-web extractor for webhook endpoints (features `actix-web` + `webhooks`): reads
//! the raw body, [receives](Webhook::receive) it with the [`Webhook`] in the app data, and
//! answers before the handler runs when the delivery is not genuine (400), or, with a
//! [`Dedup`](super::Dedup), when its `svix-id` was already received (200, so Svix stops
//! retrying; the handler is not called) or the store is unavailable and set to refuse (503).
//!
//! Under a default-deny
//! [`ClerkMiddleware`](crate::actix::ClerkMiddleware::deny_signed_out), name the webhook
//! route `.public(..)`: a delivery carries no session token.
//!
//! ```
//! use actix_web::{App, HttpResponse, web};
//! use clerk_claims::webhooks::{Dedup, Webhook, actix::VerifiedWebhook};
//!
//! async fn clerk_webhook(VerifiedWebhook(message): VerifiedWebhook) -> HttpResponse {
//!     println!("{} {}", message.id, message.event.event_type());
//!     HttpResponse::Ok().finish() // any 2xx acknowledges; Svix retries the rest
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.dedup(Dedup::memory());
//! let app = App::new()
//!     .app_data(web::Data::new(webhook))
//!     .route("/webhooks/clerk", web::post().to(clerk_webhook));
//! # let _ = app; Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};

use super::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Webhook, WebhookError, WebhookMessage};

/// A verified webhook delivery; the [`Webhook`] comes from `app_data` (`web::Data<Webhook>` or
/// a plain `Webhook`).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedWebhook(pub WebhookMessage);

/// Why [`VerifiedWebhook`] refused a request.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRejection {
    /// No `Webhook` in the app data: a server setup error (500).
    #[error("no Webhook in the app data: add .app_data(web::Data::new(Webhook::new(secret)?))")]
    NoWebhook,
    /// The body could not be read (its own status, e.g. 413 past the payload limit).
    #[error("webhook body: {0}")]
    Body(actix_web::Error),
    /// Refused by [`Webhook::receive`], answered with [`WebhookError::status`] and the reason:
    /// 400 (not a genuine delivery), 200 (a duplicate), 503 (the dedup store unavailable).
    #[error(transparent)]
    Invalid(WebhookError),
}

impl ResponseError for WebhookRejection {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NoWebhook => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Body(e) => e.as_response_error().status_code(),
            Self::Invalid(error) => StatusCode::from_u16(error.status().as_u16())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}

impl FromRequest for VerifiedWebhook {
    type Error = WebhookRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let webhook = request
            .app_data::<web::Data<Webhook>>()
            .map(|data| data.get_ref().clone())
            .or_else(|| request.app_data::<Webhook>().cloned());
        // actix-web 4 has its own header types: copy the three the signature needs.
        let mut headers = http::HeaderMap::new();
        for name in [HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE] {
            if let Some(value) = request
                .headers()
                .get(name)
                .and_then(|v| http::HeaderValue::from_bytes(v.as_bytes()).ok())
            {
                headers.insert(name, value);
            }
        }
        let body = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            let webhook = webhook.ok_or(WebhookRejection::NoWebhook)?;
            let body = body.await.map_err(WebhookRejection::Body)?;
            webhook
                .receive(&headers, &body)
                .await
                .map(VerifiedWebhook)
                .map_err(WebhookRejection::Invalid)
        })
    }
}
