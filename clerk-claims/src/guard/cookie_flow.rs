//! Clerk's cookie flow as the route guards read it (feature `request`), framework-neutral:
//! [`request::authenticate`] decides the request, and [`decide`] turns that decision into
//! what an adapter does with it (answer a redirect now, or run the routes with an
//! [`Authentication`] and add `Set-Cookie` lines to their response).
//!
//! The adapters (`axum::ClerkLayer::cookie_flow`, `actix::ClerkMiddleware::cookie_flow`) only
//! convert their request into [`http::request::Parts`] and these headers into their response.

use std::sync::Arc;

use http::header::SET_COOKIE;
use http::request::Parts;
use http::{HeaderMap, HeaderValue};

use super::authenticate::Authentication;
use super::rejection::ClerkRejection;
use crate::request::{self, AuthErrorReason, RequestOptions, RequestState};
use crate::session::SessionClaims;

/// What an adapter does with a request, as Clerk's cookie flow decides it.
pub(crate) enum CookieFlow {
    /// Answer `307 Temporary Redirect` with these headers right away, without running the
    /// routes: a handshake, a handshake return that signs out, or the return of a development
    /// handshake that signs in (the last two set the cookies and reload the URL without the
    /// handshake parameters).
    Redirect(HeaderMap),
    /// Run the routes with this outcome in the request, and add the `Set-Cookie` lines to
    /// whatever response they give (a production handshake return that signs in sets
    /// cookies; a signed-out state sets none).
    Proceed {
        /// The outcome the extractors and `require` guards read.
        authentication: Authentication<SessionClaims>,
        /// The decision's `Set-Cookie` lines.
        set_cookies: Vec<HeaderValue>,
    },
}

/// Clerk's decision on the request, as the route guards read it.
///
/// A pending session is [`ClerkRejection::Pending`] (Clerk's SDKs treat it as signed out);
/// a signed-out page load carries the options' sign-in URL with `redirect_url`, when set.
pub(crate) async fn decide(parts: &Parts, options: &RequestOptions) -> CookieFlow {
    let state = request::authenticate(parts, options).await;
    if let Some(headers) = state.redirect_now() {
        return CookieFlow::Redirect(headers.clone());
    }
    let set_cookies = state
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    let sign_in = options
        .sign_in_url
        .as_deref()
        .filter(|_| request::is_handshake_eligible(parts));
    let outcome = match state {
        RequestState::SignedIn(signed_in) if signed_in.session.claims.is_pending() => {
            Err(ClerkRejection::Pending)
        }
        RequestState::SignedIn(signed_in) => Ok(Arc::new(signed_in.session)),
        // A handshake, including a handshake return that signs out, was answered above
        // (`redirect_now`): what is left is signed out.
        signed_out => Err(ClerkRejection::SignedOut {
            reason: signed_out
                .reason()
                .unwrap_or(AuthErrorReason::UnexpectedError.into()),
            message: signed_out.message().unwrap_or_default().to_owned(),
            sign_in: sign_in.and_then(|url| sign_in_location(url, parts, options)),
        }),
    };
    CookieFlow::Proceed {
        authentication: Authentication::from_outcome(outcome),
        set_cookies,
    }
}

/// The outcome of a request an adapter could not give to Clerk's decision (its method or URI
/// is not valid to the `http` crate): signed out, Clerk's `unexpected-error`, with `found`
/// (what was expected and found) as the message.
pub(crate) fn unreadable(found: String) -> CookieFlow {
    let outcome = Err(ClerkRejection::SignedOut {
        reason: AuthErrorReason::UnexpectedError.into(),
        message: found,
        sign_in: None,
    });
    CookieFlow::Proceed {
        authentication: Authentication::from_outcome(outcome),
        set_cookies: Vec::new(),
    }
}

/// The sign-in URL with `redirect_url` set to the request's URL (Clerk's `redirectToSignIn`),
/// or `None` when the sign-in URL does not parse.
///
/// The request's URL is read as the request flow reads it: the URI's own scheme and authority,
/// else the `Host` header over `http`; behind a proxy, the forwarded headers the options
/// accept.
fn sign_in_location(sign_in: &str, parts: &Parts, options: &RequestOptions) -> Option<String> {
    let mut url = url::Url::parse(sign_in).ok()?;
    url.query_pairs_mut().append_pair(
        "redirect_url",
        request::request_url(parts, options).as_str(),
    );
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_request_is_signed_out_with_unexpected_error_saying_what_was_found() {
        let found = "expected a request URI, found `bad uri`";
        let CookieFlow::Proceed {
            authentication,
            set_cookies,
        } = unreadable(found.to_owned())
        else {
            panic!("an unreadable request runs the routes signed out, not a redirect");
        };
        assert!(set_cookies.is_empty());
        assert!(matches!(authentication.optional(), Ok(None)));
        let rejection = authentication.required().err();
        let parts = rejection.as_ref().map(ClerkRejection::to_parts);
        assert_eq!(parts.as_ref().map(|p| p.status), Some(401));
        assert_eq!(
            parts.as_ref().map(|p| p.body["reason"].clone()),
            Some("unexpected-error".into())
        );
        let message = parts.map(|p| p.body["message"].clone());
        assert_eq!(
            message,
            Some(format!("signed out: Clerk's reason is `unexpected-error` ({found})").into())
        );
    }
}
