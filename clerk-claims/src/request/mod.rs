//! Requests as Clerk sees them (feature `request`): signed in, signed out, or "send the browser
//! through a handshake to refresh its cookies".
//!
//! Clerk's `__session` cookie lives 60 seconds. A server-rendered page that only verifies it
//! signs the user out on the first reload after a minute; Clerk's own SDK instead reads the
//! whole request — the `Authorization` header or the cookies (`__session`,
//! `__session_<suffix>`, `__client_uat`, the development browser `__clerk_db_jwt`), whether
//! the request is a document, the satellite settings — and answers with one of three states.
//! [`authenticate`] takes the same decisions, in the same order, as `authenticateRequest` of
//! `@clerk/backend` 3.25.0 (see Clerk's docs on
//! [how Clerk works](https://clerk.com/docs/how-clerk-works/overview)):
//!
//! * [`RequestState::SignedIn`]: the session token verified.
//! * [`RequestState::SignedOut`]: with Clerk's reason (`session-token-and-uat-missing`,
//!   `token-invalid-signature`, …) and a message; nothing to send back but Clerk's debug
//!   headers, which [`RequestState::headers`] builds from them.
//! * [`RequestState::Handshake`]: answer with a `307` carrying its headers (`Location` to the
//!   Frontend API's `/v1/client/handshake`, `Cache-Control: no-store`, the redirect-loop
//!   cookie). The browser comes back with `__clerk_handshake` or `__clerk_handshake_nonce`,
//!   which the next call turns into `Set-Cookie` headers and a signed-in state — or, when the
//!   handshake signs the browser out, into another `Handshake`: the `Set-Cookie` lines that
//!   sign it out and a `Location` back to the URL without the handshake parameters ("set
//!   these cookies and reload").
//!
//! ```
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_claims::request::{self, AuthErrorReason, AuthReason, RequestOptions, RequestState};
//! use clerk_claims::testing::issuer::TestIssuer;
//!
//! let issuer = TestIssuer::new();
//! let options = RequestOptions::builder()
//!     .publishable_key(issuer.publishable_key())
//!     .pem(issuer.public_key_pem())
//!     .build()?;
//! // A development instance's page load without the dev browser: a handshake.
//! let (parts, ()) = http::Request::get("https://app.example/dashboard")
//!     .header("sec-fetch-dest", "document")
//!     .body(())?
//!     .into_parts();
//! let state = request::authenticate(&parts, &options).await;
//! assert!(matches!(
//!     state,
//!     RequestState::Handshake { reason: AuthReason::Auth(AuthErrorReason::DevBrowserMissing), .. }
//! ));
//! assert!(state.location().is_some_and(|l| l.contains("/v1/client/handshake")));
//! # Ok(()) }
//! # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! # Organization sync
//!
//! Apps whose URLs name the organization (`/orgs/acme/invoices`) set
//! [`organization_patterns`](RequestOptionsBuilder::organization_patterns) and
//! [`personal_account_patterns`](RequestOptionsBuilder::personal_account_patterns) (Clerk's
//! `organizationSyncOptions`): a signed-in page load whose token has another active
//! organization goes through a handshake (`active-organization-mismatch`) that activates the
//! one the URL names, and every handshake URL of such a path carries `organization_id`.
//!
//! # Stricter than Clerk
//!
//! Where Clerk's SDK lets a request steer the server, this module does not (each difference
//! has a Node test beside Clerk's own answer, `tests/tests/request_node_interop.rs`):
//!
//! * **The handshake nonce** (`__clerk_handshake_nonce`, which any request can carry) is
//!   exchanged with the Backend API only when it can be one, has not failed in the last 10
//!   minutes, and fits the bound on concurrent exchanges (`max_nonce_exchanges`, default 8);
//!   the call waits at most `api_timeout` (default 5 s); both are settings of
//!   [`RequestOptionsBuilder`] (feature `remote`, module `nonce`). Any other nonce is answered
//!   as a failed exchange (`session-token-missing`), with `x-clerk-auth-message` saying why.
//!   Clerk asks for every nonce, every time, for as long as its HTTP client waits.
//! * **A development primary** sends a satellite back (`__clerk_redirect_url`, with the dev
//!   browser token in the query) only to the request's own origin, an authorized party or one
//!   of [`allowed_redirect_origins`](RequestOptionsBuilder::allowed_redirect_origins); any
//!   other is signed out with `primary-responds-to-syncing` and a message naming the origin.
//!   Clerk redirects anywhere.
//! * **`X-Forwarded-Host` / `X-Forwarded-Proto`** are read only when the app says it is
//!   [`behind_proxy`](RequestOptionsBuilder::behind_proxy), and then only `http`/`https` and
//!   the host of one of the app's origins (authorized parties, allowed redirect origins).
//!   Clerk puts whatever they say into the handshake's `redirect_url`.
//! * **A junk `__session`** beside `__session_<suffix>` does not sign out the suffixed
//!   session: one that is no JWT with an issuer is taken as a cookie of another instance, and
//!   one Clerk prefers (newer) but that is refused as a token (a forged one) gives way to the
//!   suffixed cookies. Clerk reads the junk and signs the user out (`token-invalid`,
//!   `token-invalid-signature`): anyone who can set a cookie on a parent domain could.
//!
//! An `Authorization` header that is not ASCII is read as Clerk reads it (Latin-1 text, as
//! JavaScript's `Headers` carries it): `Bearer é…` is a token that does not verify
//! (`token-invalid`, the cookies unread), another scheme is no token (the cookies are read).

mod causes;
mod context;
mod describe;
mod explain;
mod handshake;
pub mod names;
#[cfg(feature = "remote")]
#[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
pub mod nonce;
mod options;
mod org_sync;
mod reason;
#[cfg(all(test, feature = "testing"))]
mod tests;

use std::borrow::Cow;
use std::fmt;

use http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue};
use serde_json::Value;
use url::Url;

use crate::session::SessionClaims;
use crate::source::TokenCarrier;
use crate::verify::{CATEGORY_IGNORE, CATEGORY_SESSION, Reason, Verified, VerifyError};
pub use causes::causes;
use context::Context;
#[cfg(any(feature = "axum", feature = "actix-web"))]
pub(crate) use context::request_url;
pub use describe::{DescriptionError, HeaderValues, RequestDescription};
pub use explain::{Advice, advice, notes};
pub use handshake::{HandshakeError, set_cookie_name, set_cookie_value, verify_handshake_token};
use names::{header, query};
pub use options::{RequestOptions, RequestOptionsBuilder, RequestOptionsError};
pub use reason::{AuthErrorReason, AuthReason, RefreshError, UnknownAuthReason};

/// A signed-in request: the verified session token, its text, and the headers to send back
/// (the `Set-Cookie` lines of a handshake return, and in development the redirect to the clean
/// URL).
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The verified session token.
    pub session: Verified<SessionClaims>,
    /// The session token.
    pub token: String,
    /// Headers to add to the response.
    pub headers: HeaderMap,
}

/// What a request is, as Clerk's `authenticateRequest` decides.
///
/// A signed-out state carries nothing to send but Clerk's debug headers
/// (`x-clerk-auth-status`, `x-clerk-auth-reason`, `x-clerk-auth-message`), which
/// [`headers`](Self::headers) builds from its reason and message. Whatever else a response must
/// carry is in the other two states: the `Set-Cookie` lines of a handshake return that signs
/// in are in [`SignedIn::headers`]; a handshake return that signs out (Clerk's
/// `session-token-missing`) is a [`Handshake`](Self::Handshake) whose headers set the
/// signed-out cookies and send the browser back to the URL without the handshake parameters,
/// so that it drops its stale `__session` and `__client_uat` instead of looping through
/// handshakes.
///
/// ```
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use clerk_claims::request::{RequestOptions, RequestState};
/// use clerk_claims::testing::issuer::TestIssuer;
///
/// /// A status, the headers to send, and a body.
/// async fn answer(
///     parts: &http::request::Parts,
///     options: &RequestOptions,
/// ) -> (u16, http::HeaderMap, String) {
///     match clerk_claims::request::authenticate(&parts, &options).await {
///         RequestState::SignedIn(auth) => {
///             (200, auth.headers.clone(), format!("hello {}", auth.session.sub))
///         }
///         RequestState::SignedOut { reason, message } => {
///             (401, http::HeaderMap::new(), format!("signed out: {reason} {message}"))
///         }
///         RequestState::Handshake { reason, headers } => {
///             (307, headers, format!("refreshing the session ({reason})"))
///         }
///     }
/// }
///
/// let issuer = TestIssuer::new();
/// let live = clerk_claims::source::PublishableKey::for_frontend_api(issuer.frontend_api(), true);
/// let options = RequestOptions::builder()
///     .publishable_key(live.as_str())
///     .pem(issuer.public_key_pem())
///     .build()?;
/// let request = |cookie: String, dest: &str| {
///     http::Request::get("https://app.example/dashboard")
///         .header("cookie", cookie)
///         .header("sec-fetch-dest", dest)
///         .body(())
///         .map(|r| r.into_parts().0)
/// };
/// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
/// let token = issuer.session().user("user_1").azp("https://app.example").mint();
///
/// let fresh = request(format!("__session={token}; __client_uat={}", now - 3600), "document")?;
/// let (status, _, body) = answer(&fresh, &options).await;
/// assert_eq!((status, body.as_str()), (200, "hello user_1"));
///
/// // Signed in elsewhere, no session cookie here: a fetch is signed out...
/// let stale = request("__client_uat=12345".to_owned(), "empty")?;
/// let (status, _, body) = answer(&stale, &options).await;
/// assert_eq!(status, 401);
/// assert!(body.starts_with("signed out: client-uat-but-no-session-token"));
///
/// // ...and a page load goes through a handshake.
/// let page = request("__client_uat=12345".to_owned(), "document")?;
/// let (status, headers, _) = answer(&page, &options).await;
/// assert_eq!(status, 307);
/// assert!(headers["location"].to_str()?.contains("/v1/client/handshake"));
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
#[derive(Debug, Clone)]
pub enum RequestState {
    /// The session token verified.
    SignedIn(Box<SignedIn>),
    /// Signed out, with Clerk's reason and message; [`headers`](Self::headers) gives Clerk's
    /// debug headers for them.
    SignedOut {
        /// Clerk's reason code.
        reason: AuthReason,
        /// What went wrong (empty where Clerk's is).
        message: String,
    },
    /// Answer with `307 Temporary Redirect` and these headers: a handshake (`Location` to the
    /// Frontend API, `Cache-Control: no-store`, the redirect-loop cookie), or the return of a
    /// handshake that signs the browser out (the `Set-Cookie` lines that sign it out,
    /// `Cache-Control: no-store`, and `Location` to the request URL without the handshake
    /// parameters, the redirect Clerk itself sends on development instances).
    Handshake {
        /// Clerk's reason code.
        reason: AuthReason,
        /// The redirect's headers.
        headers: HeaderMap,
    },
}

/// The three states by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `signed-in`.
    SignedIn,
    /// `signed-out`.
    SignedOut,
    /// `handshake`.
    Handshake,
}

impl Status {
    /// Clerk's name (`AuthStatus`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedIn => "signed-in",
            Self::SignedOut => "signed-out",
            Self::Handshake => "handshake",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl RequestState {
    /// The state's name.
    pub fn status(&self) -> Status {
        match self {
            Self::SignedIn(_) => Status::SignedIn,
            Self::SignedOut { .. } => Status::SignedOut,
            Self::Handshake { .. } => Status::Handshake,
        }
    }

    /// Clerk's reason (`None` when signed in).
    pub fn reason(&self) -> Option<AuthReason> {
        match self {
            Self::SignedIn(_) => None,
            Self::SignedOut { reason, .. } | Self::Handshake { reason, .. } => Some(*reason),
        }
    }

    /// Clerk's message (`None` when signed in; for a handshake, the `x-clerk-auth-message`
    /// debug header, empty when none).
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::SignedIn(_) => None,
            Self::SignedOut { message, .. } => Some(message),
            Self::Handshake { headers, .. } => Some(
                headers
                    .get(header::AUTH_MESSAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The headers to add to the response: those a signed-in or handshake state carries, or,
    /// for a signed-out state, Clerk's debug headers built from its reason and message.
    ///
    /// ```
    /// use clerk_claims::request::{AuthErrorReason, RequestState};
    ///
    /// let state = RequestState::SignedOut {
    ///     reason: AuthErrorReason::SessionTokenAndUatMissing.into(),
    ///     message: String::new(),
    /// };
    /// let headers = state.headers();
    /// assert_eq!(headers["x-clerk-auth-status"], "signed-out");
    /// assert_eq!(headers["x-clerk-auth-reason"], "session-token-and-uat-missing");
    /// assert!(headers.get("set-cookie").is_none());
    /// ```
    pub fn headers(&self) -> Cow<'_, HeaderMap> {
        match self.carried() {
            Some(headers) => Cow::Borrowed(headers),
            None => {
                let mut headers = HeaderMap::new();
                if let Self::SignedOut { reason, message } = self {
                    debug_headers(&mut headers, Status::SignedOut, *reason, message);
                }
                Cow::Owned(headers)
            }
        }
    }

    /// The headers a signed-in or handshake state carries (`None` when signed out).
    fn carried(&self) -> Option<&HeaderMap> {
        match self {
            Self::SignedIn(signed_in) => Some(&signed_in.headers),
            Self::Handshake { headers, .. } => Some(headers),
            Self::SignedOut { .. } => None,
        }
    }

    /// The headers of a `307 Temporary Redirect` to answer with right away, instead of running
    /// the handler: a handshake (which includes a handshake return that signs out), or
    /// (development instances) the return of a handshake that signs in, which sets the cookies
    /// and reloads the URL without the handshake parameters. Never for a signed-out state.
    ///
    /// ```
    /// # use clerk_claims::request::RequestState;
    /// fn answer(state: &RequestState) -> Option<(u16, http::HeaderMap)> {
    ///     state.redirect_now().map(|headers| (307, headers.clone()))
    /// }
    /// ```
    pub fn redirect_now(&self) -> Option<&HeaderMap> {
        match self {
            Self::Handshake { headers, .. } => Some(headers),
            Self::SignedIn(signed_in) if signed_in.headers.contains_key(LOCATION) => {
                Some(&signed_in.headers)
            }
            _ => None,
        }
    }

    /// The `Location` to redirect to, when there is one (never when signed out).
    pub fn location(&self) -> Option<&str> {
        self.carried()?.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The `Set-Cookie` lines to send (none when signed out).
    pub fn set_cookies(&self) -> impl Iterator<Item = &str> {
        self.carried()
            .into_iter()
            .flat_map(|headers| headers.get_all(SET_COOKIE))
            .filter_map(|v| v.to_str().ok())
    }

    /// The verified session, when signed in.
    pub fn session(&self) -> Option<&Verified<SessionClaims>> {
        match self {
            Self::SignedIn(signed_in) => Some(&signed_in.session),
            _ => None,
        }
    }

    fn signed_out(reason: AuthReason, message: String) -> Self {
        Self::SignedOut { reason, message }
    }

    fn handshake(reason: AuthReason, message: &str, mut headers: HeaderMap) -> Self {
        debug_headers(&mut headers, Status::Handshake, reason, message);
        Self::Handshake { reason, headers }
    }
}

/// Clerk's `withDebugHeaders`: `x-clerk-auth-status`, `-reason`, and `-message` when it is one
/// a header can carry.
fn debug_headers(headers: &mut HeaderMap, status: Status, reason: AuthReason, message: &str) {
    if !message.is_empty()
        && let Ok(value) = HeaderValue::from_str(message)
    {
        headers.insert(header::AUTH_MESSAGE, value);
    }
    headers.insert(
        header::AUTH_REASON,
        HeaderValue::from_static(reason.as_str()),
    );
    headers.insert(
        header::AUTH_STATUS,
        HeaderValue::from_static(status.as_str()),
    );
}

/// Whether Clerk would answer this request with a handshake redirect rather than signed out:
/// a `GET` that is probably a page load (`Sec-Fetch-Dest: document` or `iframe`, or no
/// `Sec-Fetch-Dest` and `Accept: text/html…`).
pub fn is_handshake_eligible(parts: &Parts) -> bool {
    let get = |name: &str| context::header_text(parts, name);
    handshake::eligible_request(
        parts.method == http::Method::GET,
        get(header::SEC_FETCH_DEST),
        get(header::ACCEPT),
    )
}

/// Decides what a request is, in the order of Clerk's `authenticateRequest`: the
/// `Authorization` header when it carries a token, else the cookie flow (handshake return,
/// satellite sync, dev browser, `__client_uat` against the token's `iat`, verification).
///
/// A pure function of the request, the options and the clock, apart from fetching keys or a
/// handshake nonce payload when the options say so.
///
/// The request URL is the URI's, else the `Host` header's; a URI without a scheme (what
/// servers usually see) is taken as `http`. Behind a TLS-terminating proxy, say so
/// ([`RequestOptionsBuilder::behind_proxy`]) and list the app's origins, so that
/// `X-Forwarded-Proto` / `X-Forwarded-Host` are read and the handshake redirects back to
/// `https://` (see [the differences from Clerk](self#stricter-than-clerk)).
pub async fn authenticate(parts: &Parts, options: &RequestOptions) -> RequestState {
    let mut ctx = Context::new(parts, options);
    if options.satellite
        && let (Some(sign_in), Some(origin)) = (&options.sign_in_url, ctx.origin)
        && Url::parse(sign_in).is_ok_and(|u| u.origin().ascii_serialization() == origin)
    {
        return RequestState::signed_out(
            AuthErrorReason::UnexpectedError.into(),
            "The signInUrl needs to be on a different origin than your satellite application."
                .to_owned(),
        );
    }
    if let Some(token) = &ctx.token_in_header {
        return with_token_in_header(&ctx, token).await;
    }
    let state = with_token_in_cookie(&ctx).await;
    // Stricter than Clerk: a plain `__session` that Clerk prefers (it is newer) but that is
    // refused as a token (a forged one, set on a parent domain) does not sign out the session
    // of `__session_<suffix>`, which is read instead. Not for a handshake return, whose
    // exchange is not repeated.
    let refused = matches!(
        state,
        RequestState::SignedOut {
            reason: AuthReason::Token(_) | AuthReason::Auth(AuthErrorReason::TokenTypeMismatch),
            ..
        }
    );
    if refused
        && ctx.chose_plain_over_suffixed()
        && ctx.handshake_nonce.is_none()
        && ctx.handshake_token.is_none()
    {
        ctx.use_suffixed_cookies();
        return with_token_in_cookie(&ctx).await;
    }
    state
}

/// The header path: machine and JWT-template tokens are refused, then the token verifies.
async fn with_token_in_header(ctx: &Context<'_>, token: &str) -> RequestState {
    if crate::verify::decode_unverified(token)
        .is_ok_and(|decoded| not_a_session_token(token, &decoded))
    {
        return RequestState::signed_out(AuthErrorReason::TokenTypeMismatch.into(), String::new());
    }
    match ctx.options.verifier.verify_session(token).await {
        Ok(session) => signed_in(session, token),
        Err(e) => token_error(ctx, &e, TokenCarrier::Header),
    }
}

fn signed_in(session: Verified<SessionClaims>, token: &str) -> RequestState {
    RequestState::SignedIn(Box::new(SignedIn {
        session,
        token: token.to_owned(),
        headers: HeaderMap::new(),
    }))
}

/// The cookie path, step by step as in Clerk's `authenticateRequestWithTokenInCookie`.
async fn with_token_in_cookie(ctx: &Context<'_>) -> RequestState {
    let has_active_client = ctx.client_uat != 0;
    let has_session_token = ctx.session_token_in_cookie.is_some();
    let development = ctx.is_development();

    // 1. A handshake return.
    if ctx.handshake_nonce.is_some() || ctx.handshake_token.is_some() {
        match handshake::resolve(ctx).await {
            Ok(state) => return state,
            // Clerk throws here in development (the handshake token itself was refused); in
            // production the flow goes on, as the cookie may belong to another app on the
            // same site.
            Err(e @ (HandshakeError::Token(_) | HandshakeError::Category { .. }))
                if development =>
            {
                return RequestState::signed_out(AuthReason::Token(e.reason()), e.to_string());
            }
            Err(_) => {}
        }
    }

    // 2. Satellite sync.
    let eligible_for_sync =
        ctx.options.satellite && ctx.sec_fetch_dest == Some("document") && ctx.is_get;
    let synced = ctx
        .url
        .query_pairs()
        .find(|(k, _)| k == query::CLERK_SYNCED)
        .map(|(_, v)| v.into_owned());
    let needs_sync = synced.as_deref() == Some("false");
    let sync_completed = synced.as_deref() == Some("true");
    let has_cookies = has_session_token || has_active_client;
    let skip_satellite_handshake = !ctx.options.satellite_auto_sync && !has_cookies && !needs_sync;
    if eligible_for_sync && !sync_completed {
        if skip_satellite_handshake {
            return signed_out(AuthErrorReason::SessionTokenAndUatMissing);
        }
        if !has_cookies || needs_sync {
            let headers = if development {
                match sign_in_redirect(ctx) {
                    Some(headers) => Some(headers),
                    None => return unexpected("the sign-in URL is not an absolute URL"),
                }
            } else {
                None
            };
            return maybe_handshake(
                ctx,
                AuthErrorReason::SatelliteCookieNeedsSyncing.into(),
                "",
                headers,
            );
        }
    }

    // 3. The primary sends a satellite back after syncing (development).
    let redirect_url = ctx
        .url
        .query_pairs()
        .find(|(k, _)| k == query::CLERK_REDIRECT_URL)
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty());
    if development
        && !ctx.options.satellite
        && let Some(redirect_url) = redirect_url
    {
        let Ok(mut back) = Url::parse(&redirect_url) else {
            return unexpected(&format!(
                "the {} query parameter is not an absolute URL: {redirect_url:?}",
                query::CLERK_REDIRECT_URL
            ));
        };
        // Stricter than Clerk: the dev browser token goes to the app's own origins only.
        if !ctx.is_own_origin(&back.origin()) {
            return RequestState::signed_out(
                AuthErrorReason::PrimaryRespondsToSyncing.into(),
                format!(
                    "not redirected to the {} {:?}: its origin is neither this request's nor an authorized party nor one of allowed_redirect_origins",
                    query::CLERK_REDIRECT_URL,
                    back.origin().ascii_serialization()
                ),
            );
        }
        handshake::rewrite_query(&mut back, |pairs| {
            if let Some(db) = &ctx.dev_browser {
                pairs.push((query::DEV_BROWSER.to_owned(), db.clone()));
            }
            handshake::set_query(pairs, query::CLERK_SYNCED, "true");
        });
        return maybe_handshake(
            ctx,
            AuthErrorReason::PrimaryRespondsToSyncing.into(),
            "",
            Some(location(&back)),
        );
    }

    // 4. "Known unknown" states a handshake resolves.
    if development && ctx.has_query(query::DEV_BROWSER) {
        return maybe_handshake(ctx, AuthErrorReason::DevBrowserSync.into(), "", None);
    }
    if development && ctx.dev_browser.is_none() {
        return maybe_handshake(ctx, AuthErrorReason::DevBrowserMissing.into(), "", None);
    }
    if !has_active_client && !has_session_token {
        return signed_out(AuthErrorReason::SessionTokenAndUatMissing);
    }
    if !has_active_client && has_session_token {
        return maybe_handshake(
            ctx,
            AuthErrorReason::SessionTokenWithoutClientUat.into(),
            "",
            None,
        );
    }
    let Some(token) = ctx.session_token_in_cookie.as_deref() else {
        return maybe_handshake(
            ctx,
            AuthErrorReason::ClientUatWithoutSessionToken.into(),
            "",
            None,
        );
    };

    // 5. The cookie's token: its kind, then `iat` against `__client_uat`, then verification.
    let decoded = match &ctx.session_decoded {
        Some(Ok(decoded)) => decoded,
        Some(Err(e)) => return token_error(ctx, e, TokenCarrier::Cookie),
        None => return unexpected("the session cookie was read but not decoded"),
    };
    if not_a_session_token(token, decoded) {
        return signed_out(AuthErrorReason::TokenTypeMismatch);
    }
    if decoded
        .payload
        .get("iat")
        .and_then(Value::as_f64)
        .is_some_and(|iat| iat < ctx.client_uat as f64)
    {
        return maybe_handshake(
            ctx,
            AuthErrorReason::SessionTokenIatBeforeClientUat.into(),
            "",
            None,
        );
    }
    let session = match ctx.options.verifier.verify_session(token).await {
        Ok(session) => session,
        Err(e) => return token_error(ctx, &e, TokenCarrier::Cookie),
    };
    // A signed-in document navigation on the primary that came from a satellite.
    if !ctx.options.satellite
        && ctx.is_get
        && ctx.sec_fetch_dest == Some("document")
        && ctx.is_cross_origin_referrer()
        && !ctx.is_known_clerk_referrer()
        && ctx.redirect_count == 0.0
    {
        return maybe_handshake(
            ctx,
            AuthErrorReason::PrimaryDomainCrossOriginSync.into(),
            "Cross-origin request from satellite domain requires handshake",
            None,
        );
    }
    if !session.user_id().is_empty()
        && let Some(state) = organization_sync(ctx, &session)
    {
        return state;
    }
    signed_in(session, token)
}

/// Clerk's `handleMaybeOrganizationSyncHandshake`: a handshake that activates the organization
/// (or the personal account) the path names, when the token's is another; `None` (signed in)
/// when they agree, from the third redirect in a row, and for a request that is no page load.
fn organization_sync(ctx: &Context<'_>, session: &SessionClaims) -> Option<RequestState> {
    let target = ctx.options.org_sync.find_target(ctx.url.path())?;
    let auth = session.auth();
    let must_activate = match &target {
        org_sync::SyncTarget::OrganizationSlug(slug) => !slug.same_as(auth.org_slug.as_deref()),
        org_sync::SyncTarget::OrganizationId(id) => !id.same_as(auth.org_id.as_deref()),
        org_sync::SyncTarget::PersonalAccount => {
            auth.org_id.as_deref().is_some_and(|o| !o.is_empty())
        }
    };
    if !must_activate || ctx.redirect_count >= 3.0 {
        return None;
    }
    let state = maybe_handshake(
        ctx,
        AuthErrorReason::ActiveOrganizationMismatch.into(),
        "",
        None,
    );
    matches!(state, RequestState::Handshake { .. }).then_some(state)
}

fn signed_out(reason: AuthErrorReason) -> RequestState {
    RequestState::signed_out(reason.into(), String::new())
}

/// Where Clerk's SDK would throw: signed out, `unexpected-error`, saying why.
fn unexpected(message: &str) -> RequestState {
    RequestState::signed_out(AuthErrorReason::UnexpectedError.into(), message.to_owned())
}

fn location(url: &Url) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(url.as_str()) {
        headers.insert(LOCATION, value);
    }
    headers
}

/// A development satellite syncs through the primary's sign-in page:
/// `<sign-in URL>?__clerk_redirect_url=<this URL>`.
fn sign_in_redirect(ctx: &Context<'_>) -> Option<HeaderMap> {
    let mut url = Url::parse(ctx.options.sign_in_url.as_deref()?).ok()?;
    handshake::rewrite_query(&mut url, |pairs| {
        pairs.push((query::CLERK_REDIRECT_URL.to_owned(), ctx.url.to_string()));
    });
    Some(location(&url))
}

/// Clerk's `handleMaybeHandshakeStatus`: a handshake for documents (unless this is the third in
/// a row), signed out with the same reason for everything else.
fn maybe_handshake(
    ctx: &Context<'_>,
    reason: AuthReason,
    message: &str,
    headers: Option<HeaderMap>,
) -> RequestState {
    if !handshake::eligible(ctx) {
        return RequestState::signed_out(reason, message.to_owned());
    }
    let mut headers = headers.unwrap_or_else(|| handshake::redirect(ctx, reason));
    if !headers.contains_key(LOCATION) {
        // Clerk's SDK throws here (`new URL` of the Frontend API fails).
        return unexpected(&format!(
            "cannot build the handshake URL from the Frontend API {:?}: check the publishable key and the proxy URL",
            ctx.frontend_api
        ));
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if handshake::track_loop(ctx, &mut headers) {
        return RequestState::signed_out(reason, message.to_owned());
    }
    RequestState::handshake(reason, message, headers)
}

/// Clerk's `handleSessionTokenError`: expired, not-yet-valid and future-`iat` tokens go through
/// a handshake; every other rejection is signed out with the token's reason.
fn token_error(ctx: &Context<'_>, error: &VerifyError, carrier: TokenCarrier) -> RequestState {
    let message = full_message(error, carrier);
    let reason = match error.reason() {
        Reason::TokenExpired => AuthReason::SessionTokenExpired(if !ctx.is_get {
            RefreshError::NonEligibleNonGet
        } else if ctx.refresh_token_in_cookie.is_none() {
            RefreshError::NonEligibleNoCookie
        } else {
            RefreshError::MissingApiClient
        }),
        Reason::TokenNotActiveYet => AuthErrorReason::SessionTokenNbf.into(),
        Reason::TokenIatInTheFuture => AuthErrorReason::SessionTokenIatInTheFuture.into(),
        other => return RequestState::signed_out(other.into(), message),
    };
    maybe_handshake(ctx, reason, &message, None)
}

/// Clerk's `getFullMessage`: `<message> <action> (reason=<reason>, token-carrier=<carrier>)`.
fn full_message(error: &VerifyError, carrier: TokenCarrier) -> String {
    let text = error.to_string();
    let action = error.action();
    let lead = if action.is_empty() {
        text
    } else {
        format!("{text} {action}")
    };
    format!(
        "{lead} (reason={}, token-carrier={})",
        error.reason(),
        carrier.as_str()
    )
}

/// Clerk's `isMachineJwt` (an OAuth access token, `typ` `at+jwt`, or an M2M token, `sub`
/// `mch_…`) or `hasNonSessionJwtCategory` (a `cat` header that is neither the session's nor
/// the "ignore" category): a token that must not authenticate a session even though the
/// instance key signed it.
fn not_a_session_token(token: &str, decoded: &crate::verify::Unverified) -> bool {
    // `isMachineJwt` looks only at strings of the JWT form.
    let jwt_form = token.split('.').count() == 3
        && token.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let oauth = decoded
        .header
        .get("typ")
        .and_then(Value::as_str)
        .is_some_and(|t| t == "at+jwt" || t == "application/at+jwt");
    let m2m = decoded
        .payload
        .get("sub")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with("mch_"));
    let other_category = match decoded.header.get("cat") {
        None => false,
        Some(Value::String(cat)) => cat != CATEGORY_SESSION && cat != CATEGORY_IGNORE,
        Some(_) => true,
    };
    (jwt_form && (oauth || m2m)) || other_category
}
