//! axum integration (feature `axum`): extractors that find the request's Clerk token, verify
//! it, and hand the handler typed claims.
//!
//! - [`ClerkSession`]: a verified session token ([`SessionClaims`], with `has(...)`).
//! - [`Claims<C>`]: a verified token decoded as a `#[derive(ClerkClaims)]` type.
//! - `Option<ClerkSession>` / `Option<Claims<C>>`: `None` when the request carries no token
//!   (pages that also work signed out); a token that is present but bad is still rejected.
//!
//! The token is read as Clerk's `authenticateRequest` does ([`crate::source`]): the
//! `Authorization` header if present (and then only it), otherwise the suffixed
//! `__session_<suffix>` cookie when the verifier knows the publishable key
//! ([`Verifier::publishable_key`]), then the plain `__session` cookie. The
//! [`Verifier`] comes from the request extensions (`.layer(Extension(verifier))`) or, failing
//! that, from the router state through [`ClerkState`] (implemented for `Verifier` itself,
//! `Arc<T>` and `()`).
//!
//! Rejections are [`ClerkRejection`] (401 with Clerk's reason code in the JSON body and in the
//! `x-clerk-auth-reason` header) and [`Forbidden`] (403), both [`IntoResponse`].
//!
//! ```
//! use axum::{Router, http::StatusCode, routing::get};
//! use clerk_claims::Verifier;
//! use clerk_claims::axum::ClerkSession;
//!
//! async fn me(session: ClerkSession) -> Result<String, StatusCode> {
//!     if !session.has_role_key("org:admin") {
//!         return Err(StatusCode::FORBIDDEN);
//!     }
//!     Ok(format!("hello {}", session.user_id()))
//! }
//!
//! # fn app(verifier: Verifier) -> Router {
//! Router::new().route("/me", get(me)).with_state(verifier)
//! # }
//! ```

use std::ops::Deref;
use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::claims::ClerkClaims;
use crate::rbac::Forbidden;
use crate::session::SessionClaims;
use crate::source::{FoundToken, find_token};
use crate::verify::{Reason, Verified, Verifier, VerifyError};

/// Router state that can hold the [`Verifier`] the extractors use.
///
/// Request extensions are looked at first, so a state that returns `None` works with
/// `.layer(Extension(verifier))`. For your own state type, return its verifier field.
pub trait ClerkState: Send + Sync {
    /// The verifier held by this state, if any.
    fn clerk_verifier(&self) -> Option<&Verifier>;
}

impl ClerkState for () {
    fn clerk_verifier(&self) -> Option<&Verifier> {
        None
    }
}

impl ClerkState for Verifier {
    fn clerk_verifier(&self) -> Option<&Verifier> {
        Some(self)
    }
}

impl<T: ClerkState> ClerkState for Arc<T> {
    fn clerk_verifier(&self) -> Option<&Verifier> {
        (**self).clerk_verifier()
    }
}

/// A verified Clerk session token. Derefs to [`Verified<SessionClaims>`], which derefs to
/// [`SessionClaims`] (so `session.has_role(Role::Admin)` works).
///
/// Pending sessions (`sts: "pending"`) are rejected, as Clerk's SDKs treat them as signed out.
#[derive(Debug, Clone)]
pub struct ClerkSession(pub Verified<SessionClaims>);

impl Deref for ClerkSession {
    type Target = Verified<SessionClaims>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// A verified token decoded as the claims type `C`. Derefs to [`Verified<C>`], which derefs
/// to `C`.
#[derive(Debug, Clone)]
pub struct Claims<C>(pub Verified<C>);

impl<C> Deref for Claims<C> {
    type Target = Verified<C>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// Why an extractor refused the request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClerkRejection {
    /// No [`Verifier`] in the request extensions or the router state: a server setup error.
    #[error(
        "no clerk_claims::Verifier found: add `.layer(Extension(verifier))` to the router, or \
         use a state that implements ClerkState"
    )]
    NoVerifier,
    /// The request carries no token (no `Authorization` header, no session cookie).
    #[error(
        "no session token: expected `Authorization: Bearer <token>` or a `__session` cookie \
         (`__session_<suffix>` when the verifier has the publishable key)"
    )]
    NoToken,
    /// The token was verified and rejected.
    #[error(transparent)]
    Rejected(#[from] VerifyError),
    /// The session is pending (signed in with unfinished session tasks).
    #[error("the session is pending: finish the session tasks (e.g. choose an organization) first")]
    Pending,
}

impl ClerkRejection {
    /// The reason code: Clerk's where it has one (`session-token-missing`, `token-expired`,
    /// ...), else ours (`verifier-missing`, `session-pending`).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::NoVerifier => "verifier-missing",
            Self::NoToken => "session-token-missing",
            Self::Rejected(e) => e.reason().as_str(),
            Self::Pending => "session-pending",
        }
    }

    /// The HTTP status: 401 for a missing or rejected token; 500 when the server has no
    /// verifier or an invalid secret key; 503 when the keys could not be fetched (the token may
    /// well be fine, so the client should retry rather than sign in again).
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NoVerifier => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Rejected(e) => match e.reason() {
                Reason::SecretKeyInvalid => StatusCode::INTERNAL_SERVER_ERROR,
                Reason::JwkRemoteFailedToLoad => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::UNAUTHORIZED,
            },
            Self::NoToken | Self::Pending => StatusCode::UNAUTHORIZED,
        }
    }
}

impl IntoResponse for ClerkRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        let reason = self.reason();
        let body = Json(json!({ "reason": reason, "message": self.to_string() }));
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert("x-clerk-auth-reason", HeaderValue::from_static(reason));
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: no error attribute when the request had no credentials.
            let challenge = match self {
                Self::NoToken => "Bearer",
                _ => "Bearer error=\"invalid_token\"",
            };
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

impl IntoResponse for Forbidden {
    /// 403 with `{"reason": "forbidden", "message": ...}` naming the role or permission needed.
    fn into_response(self) -> Response {
        let body = Json(json!({ "reason": "forbidden", "message": self.to_string() }));
        (StatusCode::FORBIDDEN, body).into_response()
    }
}

fn verifier_for<S: ClerkState>(parts: &Parts, state: &S) -> Result<Verifier, ClerkRejection> {
    parts
        .extensions
        .get::<Verifier>()
        .or_else(|| state.clerk_verifier())
        .cloned()
        .ok_or(ClerkRejection::NoVerifier)
}

/// The `Cookie` headers joined (HTTP/2 may split them), or `None` without any.
fn cookie_header(headers: &HeaderMap) -> Option<String> {
    let cookies: Vec<&str> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!cookies.is_empty()).then(|| cookies.join("; "))
}

/// The request's token, owned so the verification future does not borrow the request.
fn token_of(parts: &Parts, verifier: &Verifier) -> Option<(String, crate::source::TokenCarrier)> {
    // An Authorization header that is not visible ASCII is still an Authorization header:
    // Clerk then uses the header path exclusively, and it yields no token.
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default());
    let cookies = cookie_header(&parts.headers);
    find_token(
        authorization,
        cookies.as_deref(),
        verifier.publishable_key(),
    )
    .map(|found| (found.token.to_owned(), found.carrier))
}

async fn session<S: ClerkState>(
    parts: &Parts,
    state: &S,
) -> Result<Option<ClerkSession>, ClerkRejection> {
    let verifier = verifier_for(parts, state)?;
    let Some((token, carrier)) = token_of(parts, &verifier) else {
        return Ok(None);
    };
    let verified = verifier
        .verify_session_found(FoundToken {
            token: &token,
            carrier,
        })
        .await?;
    if verified.claims.is_pending() {
        return Err(ClerkRejection::Pending);
    }
    Ok(Some(ClerkSession(verified)))
}

async fn claims<C: ClerkClaims, S: ClerkState>(
    parts: &Parts,
    state: &S,
) -> Result<Option<Claims<C>>, ClerkRejection> {
    let verifier = verifier_for(parts, state)?;
    let Some((token, carrier)) = token_of(parts, &verifier) else {
        return Ok(None);
    };
    let verified = verifier
        .verify_found::<C>(FoundToken {
            token: &token,
            carrier,
        })
        .await?;
    Ok(Some(Claims(verified)))
}

impl<S: ClerkState> FromRequestParts<S> for ClerkSession {
    type Rejection = ClerkRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        session(parts, state).await?.ok_or(ClerkRejection::NoToken)
    }
}

impl<S: ClerkState> OptionalFromRequestParts<S> for ClerkSession {
    type Rejection = ClerkRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        session(parts, state).await
    }
}

impl<C, S> FromRequestParts<S> for Claims<C>
where
    C: ClerkClaims + Send + Sync + 'static,
    S: ClerkState,
{
    type Rejection = ClerkRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        claims::<C, S>(parts, state)
            .await?
            .ok_or(ClerkRejection::NoToken)
    }
}

impl<C, S> OptionalFromRequestParts<S> for Claims<C>
where
    C: ClerkClaims + Send + Sync + 'static,
    S: ClerkState,
{
    type Rejection = ClerkRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        claims::<C, S>(parts, state).await
    }
}
