//! Why a request is signed out or sent through a handshake: Clerk's `AuthErrorReason` codes,
//! and the token reasons they wrap.

use std::fmt;
use std::str::FromStr;

use crate::verify::Reason;

/// Clerk's request-level reason codes (`AuthErrorReason` of `@clerk/backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthErrorReason {
    /// `client-uat-but-no-session-token`: the browser has a signed-in client but sent no
    /// session cookie.
    ClientUatWithoutSessionToken,
    /// `dev-browser-missing`: a development instance without the `__clerk_db_jwt` dev browser.
    DevBrowserMissing,
    /// `dev-browser-sync`: a development instance received `__clerk_db_jwt` in the query.
    DevBrowserSync,
    /// `primary-responds-to-syncing`: the primary domain sends a satellite back after a sync.
    PrimaryRespondsToSyncing,
    /// `primary-domain-cross-origin-sync`: a signed-in document request on the primary came from
    /// another origin (a satellite) and is synced through a handshake.
    PrimaryDomainCrossOriginSync,
    /// `satellite-needs-syncing`: a satellite domain must sync its cookies with the primary.
    SatelliteCookieNeedsSyncing,
    /// `session-token-and-uat-missing`: neither a session cookie nor a signed-in client.
    SessionTokenAndUatMissing,
    /// `session-token-missing`: a handshake returned no session cookie.
    SessionTokenMissing,
    /// `session-token-expired` (Clerk appends the refresh outcome, see
    /// [`AuthReason::SessionTokenExpired`]).
    SessionTokenExpired,
    /// `session-token-iat-before-client-uat`: the session cookie is older than the client's
    /// last sign-in or sign-out.
    SessionTokenIatBeforeClientUat,
    /// `session-token-nbf`: the session token is not valid yet (clock skew).
    SessionTokenNbf,
    /// `session-token-iat-in-the-future`: the session token was issued in the future (clock
    /// skew).
    SessionTokenIatInTheFuture,
    /// `session-token-but-no-client-uat`: a session cookie without `__client_uat`.
    SessionTokenWithoutClientUat,
    /// `active-organization-mismatch`: the URL asks for another active organization.
    ActiveOrganizationMismatch,
    /// `token-type-mismatch`: a machine or JWT-template token where a session token belongs.
    TokenTypeMismatch,
    /// `unexpected-error`.
    UnexpectedError,
}

impl AuthErrorReason {
    /// Every code, in Clerk's order.
    pub const ALL: [AuthErrorReason; 16] = [
        Self::ClientUatWithoutSessionToken,
        Self::DevBrowserMissing,
        Self::DevBrowserSync,
        Self::PrimaryRespondsToSyncing,
        Self::PrimaryDomainCrossOriginSync,
        Self::SatelliteCookieNeedsSyncing,
        Self::SessionTokenAndUatMissing,
        Self::SessionTokenMissing,
        Self::SessionTokenExpired,
        Self::SessionTokenIatBeforeClientUat,
        Self::SessionTokenNbf,
        Self::SessionTokenIatInTheFuture,
        Self::SessionTokenWithoutClientUat,
        Self::ActiveOrganizationMismatch,
        Self::TokenTypeMismatch,
        Self::UnexpectedError,
    ];

    /// Clerk's code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientUatWithoutSessionToken => "client-uat-but-no-session-token",
            Self::DevBrowserMissing => "dev-browser-missing",
            Self::DevBrowserSync => "dev-browser-sync",
            Self::PrimaryRespondsToSyncing => "primary-responds-to-syncing",
            Self::PrimaryDomainCrossOriginSync => "primary-domain-cross-origin-sync",
            Self::SatelliteCookieNeedsSyncing => "satellite-needs-syncing",
            Self::SessionTokenAndUatMissing => "session-token-and-uat-missing",
            Self::SessionTokenMissing => "session-token-missing",
            Self::SessionTokenExpired => "session-token-expired",
            Self::SessionTokenIatBeforeClientUat => "session-token-iat-before-client-uat",
            Self::SessionTokenNbf => "session-token-nbf",
            Self::SessionTokenIatInTheFuture => "session-token-iat-in-the-future",
            Self::SessionTokenWithoutClientUat => "session-token-but-no-client-uat",
            Self::ActiveOrganizationMismatch => "active-organization-mismatch",
            Self::TokenTypeMismatch => "token-type-mismatch",
            Self::UnexpectedError => "unexpected-error",
        }
    }
}

impl fmt::Display for AuthErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an expired session token was not refreshed in place (Clerk's `RefreshTokenErrorReason`
/// values this crate can reach: it never calls the refresh endpoint, the handshake does that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefreshError {
    /// `non-eligible-no-refresh-cookie`: no `__refresh_<suffix>` cookie.
    NonEligibleNoCookie,
    /// `non-eligible-non-get`: not a GET request.
    NonEligibleNonGet,
    /// `missing-api-client`: a refresh cookie on a GET, but no refresh client (Clerk's own
    /// `authenticateRequest` without `apiClient` says the same).
    MissingApiClient,
}

impl RefreshError {
    /// Every value.
    pub const ALL: [RefreshError; 3] = [
        Self::NonEligibleNoCookie,
        Self::NonEligibleNonGet,
        Self::MissingApiClient,
    ];

    /// Clerk's code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NonEligibleNoCookie => "non-eligible-no-refresh-cookie",
            Self::NonEligibleNonGet => "non-eligible-non-get",
            Self::MissingApiClient => "missing-api-client",
        }
    }
}

/// The reason of a signed-out or handshake state, as Clerk reports it: a request-level code, an
/// expired token with its refresh outcome, or the token verification reason itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthReason {
    /// A request-level code.
    Auth(AuthErrorReason),
    /// `session-token-expired-refresh-<refresh error>`.
    SessionTokenExpired(RefreshError),
    /// A token verification reason (`token-invalid-signature`, `jwk-kid-mismatch`, …).
    Token(Reason),
}

impl AuthReason {
    /// Clerk's code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auth(reason) => reason.as_str(),
            Self::SessionTokenExpired(RefreshError::NonEligibleNoCookie) => {
                "session-token-expired-refresh-non-eligible-no-refresh-cookie"
            }
            Self::SessionTokenExpired(RefreshError::NonEligibleNonGet) => {
                "session-token-expired-refresh-non-eligible-non-get"
            }
            Self::SessionTokenExpired(RefreshError::MissingApiClient) => {
                "session-token-expired-refresh-missing-api-client"
            }
            Self::Token(reason) => reason.as_str(),
        }
    }
}

impl fmt::Display for AuthReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<AuthErrorReason> for AuthReason {
    fn from(reason: AuthErrorReason) -> Self {
        Self::Auth(reason)
    }
}

impl From<Reason> for AuthReason {
    fn from(reason: Reason) -> Self {
        Self::Token(reason)
    }
}

/// A code that is none of Clerk's request or token reasons.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown auth reason {found:?}: expected one of Clerk's AuthErrorReason or token reason codes"
)]
pub struct UnknownAuthReason {
    /// What was given.
    pub found: String,
}

impl FromStr for AuthReason {
    type Err = UnknownAuthReason;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(reason) = AuthErrorReason::ALL.iter().find(|r| r.as_str() == s) {
            return Ok(Self::Auth(*reason));
        }
        if let Some(refresh) = s
            .strip_prefix("session-token-expired-refresh-")
            .and_then(|rest| RefreshError::ALL.into_iter().find(|r| r.as_str() == rest))
        {
            return Ok(Self::SessionTokenExpired(refresh));
        }
        s.parse::<Reason>()
            .map(Self::Token)
            .map_err(|_| UnknownAuthReason {
                found: s.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_parses_back_from_its_code() {
        let reasons = AuthErrorReason::ALL
            .into_iter()
            .map(AuthReason::Auth)
            .chain(
                RefreshError::ALL
                    .into_iter()
                    .map(AuthReason::SessionTokenExpired),
            )
            .chain([AuthReason::Token(Reason::TokenInvalidSignature)]);
        for reason in reasons {
            assert_eq!(reason.as_str().parse::<AuthReason>(), Ok(reason));
            assert_eq!(reason.to_string(), reason.as_str());
        }
    }

    #[test]
    fn an_unknown_code_is_refused_naming_it() {
        let err = "session-token-stale".parse::<AuthReason>().unwrap_err();
        assert_eq!(err.found, "session-token-stale");
    }
}
