//! What a reason means and what to change: the readable side of a [`RequestState`], for logs
//! and `clerk-claims request inspect`.

use super::{AuthErrorReason, AuthReason, RequestState};
use crate::verify::Reason;

/// Why a request got its state, and what would change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    /// What the reason means.
    pub why: &'static str,
    /// What to check or change (empty when nothing needs changing).
    pub change: &'static str,
}

const CLOCK: &str = "Check this server's clock against real time (NTP): Clerk's tokens live 60 s and \
                     are checked with 5 s of skew.";
const KEYS: &str = "Check that CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY and CLERK_JWT_KEY all belong to \
                    the instance the frontend signs in with (pk_test_/sk_test_ for development, \
                    pk_live_/sk_live_ for production).";

/// The advice for a reason.
pub fn advice(reason: AuthReason) -> Advice {
    use AuthErrorReason as A;
    let (why, change) = match reason {
        AuthReason::Auth(A::SessionTokenAndUatMissing) => (
            "Neither a __session cookie nor a signed-in client (__client_uat absent or 0): the browser is signed out, or Clerk's cookies do not reach this host.",
            "If the user did sign in: Clerk's cookies must be set on this host's domain (another host or port, or a proxy dropping the Cookie header, loses them), and SameSite must let them through on this navigation.",
        ),
        AuthReason::Auth(A::SessionTokenWithoutClientUat) => (
            "A __session cookie came without __client_uat, which Clerk sets beside it.",
            "Both cookies must reach this host: check their Domain and Path, and that SameSite (Strict blocks cross-site navigations) or a proxy does not drop __client_uat.",
        ),
        AuthReason::Auth(A::ClientUatWithoutSessionToken) => (
            "The client is signed in (__client_uat > 0) but no __session cookie came: it expired from the browser, or it is set for another host or path.",
            "A page load gets a handshake that sets a fresh one; for fetches, check the __session cookie's Domain, Path and SameSite.",
        ),
        AuthReason::Auth(A::SessionTokenIatBeforeClientUat) => (
            "The session token is older than the client's last sign-in or sign-out (__client_uat): a stale cookie.",
            "A page load gets a handshake that sets a fresh one. If it loops, another app on this domain writes the same cookie names: Clerk then uses the suffixed cookies (__session_<suffix>).",
        ),
        AuthReason::Auth(A::DevBrowserMissing) => (
            "A development instance (pk_test_ key) needs its development browser (__clerk_db_jwt, in a cookie or the query) and none came.",
            "Let the handshake create it (a page load), or load a page with Clerk's frontend first; production instances (pk_live_) do without.",
        ),
        AuthReason::Auth(A::DevBrowserSync) => (
            "The development browser arrived in the query (__clerk_db_jwt) and is synced through a handshake.",
            "",
        ),
        AuthReason::SessionTokenExpired(_) | AuthReason::Auth(A::SessionTokenExpired) => (
            "The session token expired (it lives 60 s; Clerk's frontend refreshes it about every 50 s).",
            "Page loads get a handshake that refreshes it. For fetches, get a fresh token (getToken()) before the call. If fresh tokens look expired, this server's clock is ahead.",
        ),
        AuthReason::Auth(A::SessionTokenNbf) | AuthReason::Auth(A::SessionTokenIatInTheFuture) => (
            "The session token is not valid yet: this server's clock is behind Clerk's.",
            CLOCK,
        ),
        AuthReason::Auth(A::SatelliteCookieNeedsSyncing) => (
            "A satellite domain syncs its session with the primary domain through a redirect.",
            "Check the satellite settings: domain (or proxy URL) and the primary's absolute sign-in URL.",
        ),
        AuthReason::Auth(A::PrimaryRespondsToSyncing) => (
            "The primary domain sends a satellite back (__clerk_redirect_url) after syncing.",
            "",
        ),
        AuthReason::Auth(A::PrimaryDomainCrossOriginSync) => (
            "A signed-in page load on the primary came from another origin (a satellite) and is synced through a handshake.",
            "",
        ),
        AuthReason::Auth(A::SessionTokenMissing) => (
            "The handshake returned no session cookie: the user is signed out. The answer sets the cookies that sign the browser out and reloads the URL without the handshake parameters.",
            "",
        ),
        AuthReason::Auth(A::ActiveOrganizationMismatch) => (
            "The URL asks for another active organization than the session's: the handshake activates it.",
            "Nothing to do when the page comes back in step. If it loops (and the third redirect renders the token's organization), the user is not a member of the organization the URL names, or the slug is unknown: check the URL, or the user's memberships.",
        ),
        AuthReason::Auth(A::TokenTypeMismatch) | AuthReason::Token(Reason::TokenTypeMismatch) => (
            "A machine token or a JWT-template token came where a session token belongs.",
            "Send the session token (getToken() without a template) in Authorization: Bearer, or let the browser send __session; verify template tokens as template tokens.",
        ),
        AuthReason::Auth(A::UnexpectedError) => (
            "Clerk's SDK would fail on this request.",
            "See the message.",
        ),
        AuthReason::Token(Reason::TokenInvalidSignature) => (
            "The token's signature does not verify with this instance's key: it comes from another instance, or the key is wrong.",
            KEYS,
        ),
        AuthReason::Token(Reason::TokenInvalidIssuer) => (
            "The token's iss is not this instance's Frontend API: it comes from another instance.",
            KEYS,
        ),
        AuthReason::Token(Reason::TokenInvalidAuthorizedParties) => (
            "The token's azp (the origin it was minted for) is not one of the authorized parties.",
            "Add the app's origin (scheme, host and port) to the authorized parties (--authorized-party).",
        ),
        AuthReason::Token(Reason::TokenInvalid) => (
            "The value is not a Clerk JWT (three base64url parts with a JSON header and payload).",
            "Send the session token itself: Authorization: Bearer <token>, or the __session cookie.",
        ),
        AuthReason::Token(Reason::JwkKidMismatch) => (
            "No key of this instance's JWKS has the token's kid: it comes from another instance (or was signed with a key this instance no longer publishes).",
            KEYS,
        ),
        AuthReason::Token(
            Reason::JwkFailedToResolve | Reason::JwkRemoteFailedToLoad | Reason::SecretKeyInvalid,
        ) => (
            "The instance's signing key could not be found or loaded.",
            KEYS,
        ),
        AuthReason::Token(Reason::TokenExpired) => ("The token expired.", CLOCK),
        AuthReason::Token(Reason::TokenNotActiveYet | Reason::TokenIatInTheFuture) => {
            ("The token is not valid yet.", CLOCK)
        }
        AuthReason::Token(Reason::SessionRevoked) => (
            "The token's session was revoked.",
            "The user signs in again.",
        ),
        AuthReason::Token(_) => ("The token was rejected.", "See the message."),
    };
    Advice { why, change }
}

/// Notes about the request itself: a handshake reason on a request that is not a page load,
/// and the redirect-loop guard.
pub fn notes(state: &RequestState, parts: &http::request::Parts) -> Vec<&'static str> {
    let document = super::is_handshake_eligible(parts);
    let third = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| crate::source::cookie(c, super::names::cookie::REDIRECT_COUNT) == Some("3"));
    let mut notes = Vec::new();
    let handshake_reason = matches!(
        state.reason(),
        Some(
            AuthReason::SessionTokenExpired(_)
                | AuthReason::Auth(
                    AuthErrorReason::ClientUatWithoutSessionToken
                        | AuthErrorReason::SessionTokenWithoutClientUat
                        | AuthErrorReason::SessionTokenIatBeforeClientUat
                        | AuthErrorReason::DevBrowserMissing
                        | AuthErrorReason::DevBrowserSync
                        | AuthErrorReason::SessionTokenNbf
                        | AuthErrorReason::SessionTokenIatInTheFuture
                        | AuthErrorReason::SatelliteCookieNeedsSyncing
                )
        )
    );
    if handshake_reason && matches!(state, RequestState::SignedOut { .. }) {
        if document && third {
            notes.push(
                "This is the third handshake in a row (__clerk_redirect_count=3): Clerk stops redirecting. A loop means the handshake does not fix what the request lacks: the cookies it sets never come back (Domain, SameSite, Secure on http), this server's clock is off (an expired or not-yet-valid token every time), or the __session comes from another instance than the keys; the cause above names which when the request shows it.",
            );
        } else {
            notes.push(
                "A page load (GET with Sec-Fetch-Dest: document, or Accept: text/html) would get a handshake here; this request is not one, so it is signed out.",
            );
        }
    }
    notes
}
