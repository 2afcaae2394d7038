//! Why a guarded request was refused, and the response that says so: status, headers and
//! JSON body, framework-neutral (the adapters turn [`RejectionParts`] into their response).

use serde_json::{Value, json};

use super::requirement::Unmet;
use crate::verify::{Reason, VerifyError};

/// Why a request was refused: a missing or rejected token (401, or 500/503 when the server is
/// at fault), or a requirement the token does not meet (403).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ClerkRejection {
    /// No [`Verifier`](crate::Verifier): no layer (middleware), no verifier in the request
    /// extensions or the app's state. A server setup error; the message names `framework`'s
    /// fix.
    #[error("no clerk_claims::Verifier found: {}", framework.add_verifier())]
    NoVerifier {
        /// The adapter that answered: its fix is the one named.
        framework: Framework,
    },
    /// A guard runs where no layer (middleware) ran at all: a server setup error.
    #[error(
        "the route guard for `{claims}` claims found no {}: add {}",
        framework.layer(),
        framework.add_layer(claims)
    )]
    NoLayer {
        /// The claims type the guard checks.
        claims: &'static str,
        /// The adapter that answered: its fix is the one named.
        framework: Framework,
    },
    /// A layer (middleware) ran and verified the token as `verified`, but a guard or an
    /// extractor of the route reads `expected`: a server setup error.
    #[error(
        "the {} verified the token as `{verified}` claims, but the route reads `{expected}`: \
         read `{verified}` with {}, or verify `{expected}` instead: add {}",
        framework.layer(),
        readers(verified),
        framework.add_layer(expected)
    )]
    LayerMismatch {
        /// The claims type the guard or extractor reads.
        expected: &'static str,
        /// The claims type the layer verified.
        verified: &'static str,
        /// The adapter that answered: its fix is the one named.
        framework: Framework,
    },
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
    /// The token is fine but does not meet the route's requirement.
    #[error(transparent)]
    Forbidden(#[from] Unmet),
    /// Clerk's cookie flow decided the request is signed out (`cookie_flow` of the axum
    /// `ClerkLayer` or the actix `ClerkMiddleware`).
    #[cfg(feature = "request")]
    #[error("signed out: Clerk's reason is `{reason}`{}", detail(message))]
    SignedOut {
        /// Clerk's reason code.
        reason: crate::request::AuthReason,
        /// Clerk's message (empty where Clerk's is).
        message: String,
        /// Where to send a page load instead of a 401: the sign-in URL with `redirect_url`
        /// set to the request's URL, when the options have a sign-in URL.
        sign_in: Option<String>,
    },
}

/// The web framework of an adapter: the setup errors ([`ClerkRejection::NoVerifier`],
/// [`NoLayer`](ClerkRejection::NoLayer), [`LayerMismatch`](ClerkRejection::LayerMismatch))
/// name its own fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Framework {
    /// `clerk_claims::axum`: `ClerkLayer`, added with `Router::layer`.
    Axum,
    /// `clerk_claims::actix`: `ClerkMiddleware`, added with `App::wrap`.
    ActixWeb,
}

impl Framework {
    /// The name of the adapter's layer type.
    fn layer(self) -> &'static str {
        match self {
            Self::Axum => "ClerkLayer",
            Self::ActixWeb => "ClerkMiddleware",
        }
    }

    /// How to add a layer verifying `claims`.
    fn add_layer(self, claims: &str) -> String {
        let template = match is_session(claims) {
            true => String::new(),
            false => format!(".template::<{claims}>()"),
        };
        match self {
            Self::Axum => format!(
                "`.layer(ClerkLayer::new(verifier){template})` to the router, outside the \
                 guarded routes"
            ),
            Self::ActixWeb => format!(
                "`.wrap(ClerkMiddleware::new(verifier){template})` to the App (or the scope), \
                 outside the guarded resources"
            ),
        }
    }

    /// How to give the extractors a verifier.
    fn add_verifier(self) -> &'static str {
        match self {
            Self::Axum => {
                "add `.layer(ClerkLayer::new(verifier))` (or `.layer(Extension(verifier))`) to \
                 the router, or use a state that provides one"
            }
            Self::ActixWeb => {
                "add `.wrap(ClerkMiddleware::new(verifier))` to the App, or \
                 `.app_data(verifier)` (a `Verifier` or a `web::Data<Verifier>`)"
            }
        }
    }
}

/// Whether `claims` names the session claims (a layer's default type).
fn is_session(claims: &str) -> bool {
    claims == std::any::type_name::<crate::session::SessionClaims>()
}

/// The guard and the extractor that read `claims`.
fn readers(claims: &str) -> String {
    match is_session(claims) {
        true => "`require(..)` and `ClerkSession`".to_owned(),
        false => format!("`require(..).on::<{claims}>()` and `Claims<{claims}>`"),
    }
}

#[cfg(feature = "request")]
fn detail(message: &str) -> String {
    match message {
        "" => String::new(),
        message => format!(" ({message})"),
    }
}

/// The reason code of a [`ClerkRejection`]: Clerk's token reasons ([`Reason`]) and
/// authentication reasons (`session-token-missing`), and ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthReason {
    /// The token was rejected for this reason (`token-expired`, `claims-mismatch`, …).
    Token(Reason),
    /// `session-token-missing` (Clerk's): the request carries no token.
    SessionTokenMissing,
    /// `session-pending` (ours): the session has unfinished tasks, treated as signed out.
    SessionPending,
    /// `verifier-missing` (ours): the server has no verifier.
    VerifierMissing,
    /// `clerk-layer-missing` (ours): a guard runs where no layer (middleware) ran.
    LayerMissing,
    /// `clerk-layer-mismatch` (ours): the layer verified another claims type than the one a
    /// guard or an extractor of the route reads.
    LayerMismatch,
    /// `forbidden` (ours): a requirement is not met (RFC 6750's `insufficient_scope`).
    Forbidden,
    /// Clerk's request-level reason of a signed-out request (the cookie flow).
    #[cfg(feature = "request")]
    Request(crate::request::AuthReason),
}

impl AuthReason {
    /// The reason code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Token(reason) => reason.as_str(),
            Self::SessionTokenMissing => "session-token-missing",
            Self::SessionPending => "session-pending",
            Self::VerifierMissing => "verifier-missing",
            Self::LayerMissing => "clerk-layer-missing",
            Self::LayerMismatch => "clerk-layer-mismatch",
            Self::Forbidden => "forbidden",
            #[cfg(feature = "request")]
            Self::Request(reason) => reason.as_str(),
        }
    }
}

impl std::fmt::Display for AuthReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for AuthReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Logs and tests compare a reason with its code.
impl PartialEq<&str> for AuthReason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The status of a rejected token: 500 when the server is at fault, 503 when the keys could
/// not be loaded, else 401.
fn token_status(reason: Reason) -> u16 {
    match reason {
        Reason::SecretKeyInvalid | Reason::ClaimsMismatch => 500,
        Reason::JwkRemoteFailedToLoad => 503,
        _ => 401,
    }
}

/// A response, framework-neutral: what an adapter sends for a [`ClerkRejection`].
#[derive(Debug, Clone, PartialEq)]
pub struct RejectionParts {
    /// The HTTP status code.
    pub status: u16,
    /// Header names (lowercase) and values.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body: `{"reason", "message"}`, plus `required` and `found` for a 403.
    pub body: Value,
}

impl ClerkRejection {
    /// The reason code: Clerk's where it has one (`session-token-missing`, `token-expired`,
    /// ...), else ours (`verifier-missing`, `session-pending`, `forbidden`, ...).
    pub fn reason(&self) -> AuthReason {
        match self {
            Self::NoVerifier { .. } => AuthReason::VerifierMissing,
            Self::NoLayer { .. } => AuthReason::LayerMissing,
            Self::LayerMismatch { .. } => AuthReason::LayerMismatch,
            Self::NoToken => AuthReason::SessionTokenMissing,
            Self::Rejected(e) => AuthReason::Token(e.reason()),
            Self::Pending => AuthReason::SessionPending,
            Self::Forbidden(_) => AuthReason::Forbidden,
            #[cfg(feature = "request")]
            Self::SignedOut { reason, .. } => AuthReason::Request(*reason),
        }
    }

    /// The HTTP status: 401 for a missing or rejected token; 403 for an unmet requirement; 500
    /// when the server is at fault (no verifier or layer, a layer of another claims type, an invalid secret key, or
    /// `claims-mismatch`: the dashboard template and the claims type have drifted, and a 401
    /// would send every client into a sign-in loop); 503 when the keys could not be loaded (the
    /// token may well be fine, so the client should retry rather than sign in again).
    pub fn status(&self) -> u16 {
        match self {
            Self::NoVerifier { .. } | Self::NoLayer { .. } | Self::LayerMismatch { .. } => 500,
            Self::NoToken | Self::Pending => 401,
            Self::Forbidden(_) => 403,
            Self::Rejected(e) => token_status(e.reason()),
            #[cfg(feature = "request")]
            Self::SignedOut {
                sign_in: Some(_), ..
            } => 307,
            #[cfg(feature = "request")]
            Self::SignedOut { reason, .. } => match reason {
                crate::request::AuthReason::Token(reason) => token_status(*reason),
                _ => 401,
            },
        }
    }

    /// Whether the request carried no credentials at all (a bare `Bearer` challenge).
    fn no_credentials(&self) -> bool {
        match self {
            Self::NoToken => true,
            #[cfg(feature = "request")]
            Self::SignedOut { reason, .. } => matches!(
                reason,
                crate::request::AuthReason::Auth(
                    crate::request::AuthErrorReason::SessionTokenMissing
                        | crate::request::AuthErrorReason::SessionTokenAndUatMissing
                )
            ),
            _ => false,
        }
    }

    /// The `WWW-Authenticate` challenge (RFC 6750 §3) for a 401 or 403: `Bearer` alone when
    /// the request had no credentials, `error="invalid_token"` for a rejected token,
    /// `error="insufficient_scope"` for an unmet requirement.
    pub fn challenge(&self) -> Option<&'static str> {
        match self.status() {
            401 if self.no_credentials() => Some("Bearer"),
            401 => Some("Bearer error=\"invalid_token\""),
            403 => Some("Bearer error=\"insufficient_scope\""),
            _ => None,
        }
    }

    /// The default response: the status, `x-clerk-auth-reason`, `WWW-Authenticate`, and a
    /// JSON body `{"reason", "message"}` (plus `required` and `found` for a 403).
    pub fn to_parts(&self) -> RejectionParts {
        let reason = self.reason();
        let mut body = json!({ "reason": reason, "message": self.to_string() });
        if let (Self::Forbidden(unmet), Value::Object(map)) = (self, &mut body) {
            map.insert("required".into(), unmet.required.clone().into());
            map.insert("found".into(), unmet.found.clone().into());
        }
        let mut headers = vec![("x-clerk-auth-reason", reason.as_str().to_owned())];
        if let Some(challenge) = self.challenge() {
            headers.push(("www-authenticate", challenge.to_owned()));
        }
        #[cfg(feature = "request")]
        if let Self::SignedOut {
            sign_in: Some(url), ..
        } = self
        {
            headers.push(("location", url.clone()));
        }
        RejectionParts {
            status: self.status(),
            headers,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_names_what_was_required_and_found() {
        let rejection = ClerkRejection::Forbidden(Unmet {
            required: "role `org:admin`".into(),
            found: "role `org:billing`".into(),
        });
        let parts = rejection.to_parts();
        assert_eq!(parts.status, 403);
        assert_eq!(parts.body["reason"], "forbidden");
        assert_eq!(
            parts.body["message"],
            "requires role `org:admin`; the token has role `org:billing`"
        );
        assert!(parts.headers.contains(&(
            "www-authenticate",
            "Bearer error=\"insufficient_scope\"".to_owned()
        )));
    }

    #[test]
    fn missing_token_is_a_bare_bearer_challenge() {
        let parts = ClerkRejection::NoToken.to_parts();
        assert_eq!(parts.status, 401);
        assert!(
            parts
                .headers
                .contains(&("www-authenticate", "Bearer".to_owned()))
        );
        assert!(
            parts
                .headers
                .contains(&("x-clerk-auth-reason", "session-token-missing".to_owned()))
        );
    }
}
