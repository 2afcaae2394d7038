//! Responses: [`ClerkRejection`] and [`Forbidden`] as axum responses, and the hook that
//! replaces them ([`ClerkLayer::on_rejection`](super::ClerkLayer::on_rejection)).

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::guard::{ClerkRejection, RejectionParts};
use crate::rbac::Forbidden;

/// A replacement for the rejection responses: given the rejection, the response to send.
/// Set with [`ClerkLayer::on_rejection`](super::ClerkLayer::on_rejection); it applies to the
/// layer's, the guards' and the extractors' rejections alike.
pub type OnRejection = crate::guard::OnRejection<Response>;

/// The default response for `parts`.
pub(super) fn parts_into_response(parts: RejectionParts) -> Response {
    let status = StatusCode::from_u16(parts.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(parts.body)).into_response();
    let headers = response.headers_mut();
    for (name, value) in parts.headers {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    response
}

impl IntoResponse for ClerkRejection {
    /// The default response ([`ClerkRejection::to_parts`]); under a `ClerkLayer` with an
    /// [`OnRejection`] hook, the hook's response replaces it.
    fn into_response(self) -> Response {
        crate::guard::rejection_response::<super::layer::Axum>(self)
    }
}

impl IntoResponse for Forbidden {
    /// 403 with `{"reason": "forbidden", "message": ...}` naming the role or permission needed,
    /// and `WWW-Authenticate: Bearer error="insufficient_scope"`.
    fn into_response(self) -> Response {
        tracing::info!(target: "clerk_claims", reason = "forbidden", status = 403, detail = %self, "request rejected");
        let body = Json(json!({ "reason": "forbidden", "message": self.to_string() }));
        let mut response = (StatusCode::FORBIDDEN, body).into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"insufficient_scope\""),
        );
        response
    }
}
