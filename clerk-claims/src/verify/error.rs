//! Why a token was rejected: one variant per case a caller can act on, each with Clerk's
//! reason code.

use crate::claims::ClaimsMismatch;
use crate::crypto::Algorithm;

use super::TokenKind;

const ENSURE_CLERK_JWT: &str = "Make sure that this is a valid Clerk-generated JWT.";
const CONTACT_SUPPORT: &str = "Contact support@clerk.com";
const SET_SECRET_KEY: &str = "Set the CLERK_SECRET_KEY environment variable.";
const SET_JWT_KEY: &str = "Set the CLERK_JWT_KEY environment variable.";

/// Why a token was rejected. [`VerifyError::reason`] gives Clerk's reason code.
///
/// Messages say what was expected and what was found; values from the token are cut to 64
/// characters.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a compact JWS with a JSON header and payload (`token-invalid`).
    #[error("Invalid JWT form: {detail}")]
    Malformed {
        /// What was wrong.
        detail: String,
    },
    /// Longer than the configured maximum (`token-invalid`).
    #[error("Invalid JWT: {len} bytes, expected at most {max}")]
    TooLarge {
        /// Token length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A header member has the wrong type or value: `typ`, `kid`, `cat`, `crit` (`token-invalid`).
    #[error("Invalid JWT header {member}: expected {expected}, found {found}")]
    Header {
        /// The header member.
        member: &'static str,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// A machine (M2M) token where a user's token belongs (`token-invalid`).
    #[error(
        "Invalid session token category: found a machine-to-machine token (cat cl_B7d4PD333AAA)"
    )]
    MachineToken,
    /// A token of the other category: a template token where a session token belongs, or the
    /// reverse (`token-type-mismatch`).
    #[error(
        "Token type mismatch: expected a {expected} token, found a {found} token (header cat {cat:?})"
    )]
    TypeMismatch {
        /// The kind the caller asked for.
        expected: TokenKind,
        /// The kind the `cat` header says.
        found: &'static str,
        /// The `cat` header.
        cat: String,
    },
    /// A JWT-template token whose marker claim
    /// ([`MARKER_CLAIM`](crate::template::MARKER_CLAIM)) names another template than its claims
    /// type's (`token-type-mismatch`): a token of another template of the same instance.
    #[error(
        "Token type mismatch: expected a token of JWT template {expected:?}, found a token of JWT template {found:?} (its {} claim)",
        crate::template::MARKER_CLAIM
    )]
    TemplateMarker {
        /// The template the claims type declares.
        expected: &'static str,
        /// The template the token's marker claim names (cut to 64 characters).
        found: String,
    },
    /// A JWT-template token whose lifetime (`exp - iat`) is not the one its claims type declares,
    /// for a type that opted in with `#[clerk(exact_lifetime)]` (`token-type-mismatch`): a
    /// token of another template, or one minted with a lifetime override.
    #[error(
        "Token type mismatch: expected a token of JWT template {template:?}, whose lifetime is exactly {expected} s (exact_lifetime), found a token with {}: a token of another template, or one minted with a lifetime override (expiresInSeconds)",
        match found { Some(found) => format!("a lifetime of {found} s (exp - iat)"), None => "no iat claim, so no lifetime".to_owned() }
    )]
    TemplateLifetime {
        /// The template the claims type declares.
        template: &'static str,
        /// Its lifetime in seconds.
        expected: u32,
        /// `exp - iat` of the token, `None` without `iat`.
        found: Option<f64>,
    },
    /// The token's session was revoked (`session-revoked`): its signature and claims are fine,
    /// but the [`RevocationCheck`](super::RevocationCheck) reports its `sid` revoked. (A token
    /// without `sid` fails with [`UserTokenRevoked`](Self::UserTokenRevoked) instead.)
    #[error("Session {session_id:?} was revoked: its tokens are no longer accepted")]
    SessionRevoked {
        /// The token's `sid`.
        session_id: String,
    },
    /// A token without `sid` (a JWT-template token) issued before a session of its user was
    /// revoked (`session-revoked`): the [`RevocationCheck`](super::RevocationCheck) reports
    /// the user's tokens issued at `issued_at` revoked. A token minted afterwards passes.
    #[error(
        "A session of user {user_id:?} was revoked after this token was issued (iat {}): the user's template tokens issued before the revocation are no longer accepted",
        match issued_at { Some(iat) => iat.to_string(), None => "absent".to_owned() }
    )]
    UserTokenRevoked {
        /// The token's `sub`.
        user_id: String,
        /// The token's `iat` (Unix seconds).
        issued_at: Option<i64>,
    },
    /// `alg` not allowed for this key (`token-invalid-algorithm`).
    #[error("Invalid JWT algorithm {found}. Supported: {}", join(allowed))]
    Algorithm {
        /// The `alg` found.
        found: String,
        /// The algorithms this key accepts.
        allowed: Vec<Algorithm>,
    },
    /// The header `kid` is not a string of at most `max` characters (`jwk-kid-mismatch`: no key
    /// can have such a kid).
    #[error(
        "Invalid JWT header kid: expected a string of at most {max} characters, found {found}: no signing key in the JWKS can match it"
    )]
    InvalidKid {
        /// The longest kid accepted.
        max: usize,
        /// What was found.
        found: String,
    },
    /// The JWKS member the `kid` names was left out as unusable (`token-verification-failed`,
    /// where Clerk's key import fails).
    #[error(
        "Error verifying JWT signature: the JWKS key with kid={} was left out as unusable: {why}",
        kid.as_deref().map(|k| format!("{k:?}")).unwrap_or_else(|| "(none)".into())
    )]
    KeyUnusable {
        /// The token's `kid`.
        kid: Option<String>,
        /// Why the key was left out.
        why: String,
    },
    /// The key the `kid` selects cannot verify the header's (allowed) `alg`, e.g. an `RS384`
    /// token for a key bound to `RS256` (`token-verification-failed`, where Clerk's key import
    /// fails).
    #[error(
        "Error verifying JWT signature: the key with kid={} cannot verify {alg}; it verifies {}",
        kid.as_deref().map(|k| format!("{k:?}")).unwrap_or_else(|| "(none)".into()),
        if supported.is_empty() { "no allowed algorithm".to_owned() } else { join(supported) }
    )]
    KeyAlgorithm {
        /// The header `alg`.
        alg: Algorithm,
        /// The token's `kid`.
        kid: Option<String>,
        /// What the key verifies.
        supported: Vec<Algorithm>,
    },
    /// The signature does not match (`token-invalid-signature`).
    #[error("JWT signature is invalid.")]
    Signature,
    /// A standard claim is missing or has the wrong type or range (`token-verification-failed`).
    #[error("Invalid JWT {claim} claim: expected {expected}, found {found}")]
    Claim {
        /// The claim.
        claim: &'static str,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// `aud` does not match the configured audience (`token-verification-failed`).
    #[error("Invalid JWT audience claim (aud) {found}. Expected {}", if expected.is_empty() { "no aud claim (no audience is configured)".to_owned() } else { format!("one of {expected:?}") })]
    Audience {
        /// The configured audience.
        expected: Vec<String>,
        /// The `aud` found.
        found: String,
    },
    /// `azp` missing or not an authorized party (`token-invalid-authorized-parties`).
    #[error("Invalid JWT Authorized party claim (azp) {}. Expected {}", found.as_deref().map(|f| format!("{f:?}")).unwrap_or_else(|| "none".into()), if expected.is_empty() { "an azp claim (the token came in a cookie)".to_owned() } else { format!("one of {expected:?}") })]
    AuthorizedParty {
        /// The configured authorized parties.
        expected: Vec<String>,
        /// The `azp` found.
        found: Option<String>,
    },
    /// `exp` passed (`token-expired`).
    #[error("JWT is expired. Expiry date: {exp}, Current date: {now} (clock skew {skew_ms} ms)")]
    Expired {
        /// The `exp` claim (Unix seconds).
        exp: f64,
        /// The verifier's time (Unix seconds).
        now: i64,
        /// The allowed clock skew.
        skew_ms: u64,
    },
    /// `nbf` in the future (`token-not-active-yet`).
    #[error(
        "JWT cannot be used prior to not before date claim (nbf). Not before date: {nbf}; Current date: {now}"
    )]
    NotActiveYet {
        /// The `nbf` claim.
        nbf: f64,
        /// The verifier's time.
        now: i64,
    },
    /// `iat` in the future (`token-iat-in-the-future`).
    #[error(
        "JWT issued at date claim (iat) is in the future. Issued at date: {iat}; Current date: {now}"
    )]
    IssuedInFuture {
        /// The `iat` claim.
        iat: f64,
        /// The verifier's time.
        now: i64,
    },
    /// `iss` is not the configured issuer (`token-invalid-issuer`).
    #[error("Invalid JWT issuer claim (iss) {found}. Expected {expected:?}")]
    Issuer {
        /// The configured issuer.
        expected: String,
        /// The `iss` found.
        found: String,
    },
    /// No key source could give a key (`jwk-failed-to-resolve`).
    #[error("Failed to resolve JWK during verification: {detail}")]
    NoKey {
        /// Why.
        detail: String,
    },
    /// No key for the token's `kid`, even after refetching the JWKS (`jwk-kid-mismatch`); or a
    /// `kid` the JWKS holds more than once (`token-invalid-signature`: which key signed is
    /// unknowable, and Clerk, which keeps the last one, fails the signature).
    #[error("{}", kid_message(kid.as_deref(), *ambiguous))]
    KidMismatch {
        /// The token's `kid` (cut to 64 characters).
        kid: Option<String>,
        /// The `kid` is in the JWKS more than once.
        ambiguous: bool,
    },
    /// The JWKS could not be fetched or read (`jwk-remote-failed-to-load`).
    #[error("Failed to load JWKS from {url}: {detail}")]
    RemoteFailed {
        /// The JWKS URL.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// The Backend API refused the secret key (`secret-key-invalid`).
    #[error("The Clerk secret key was refused by {url} (status {status})")]
    SecretKeyInvalid {
        /// The JWKS URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The signature and standard claims are fine but the payload does not fit the claims
    /// type (`claims-mismatch`): the dashboard template and the code have drifted, or one
    /// user's metadata holds a value the field cannot ([`ClaimsMismatch`] says which).
    #[error(transparent)]
    ClaimsMismatch(#[from] ClaimsMismatch),
}

impl VerifyError {
    /// The one way to say "no key for this `kid`": the `kid` cut as every value from a token is.
    pub(crate) fn kid_mismatch(kid: Option<&str>, ambiguous: bool) -> Self {
        Self::KidMismatch {
            kid: kid.map(|k| crate::json_text::clip(k).into_owned()),
            ambiguous,
        }
    }
}

#[cfg(feature = "remote")]
impl From<crate::jwks::RemoteError> for VerifyError {
    fn from(e: crate::jwks::RemoteError) -> Self {
        use crate::jwks::RemoteError;
        match e {
            RemoteError::SecretKeyRefused { url, status } => Self::SecretKeyInvalid { url, status },
            RemoteError::Failed { url, detail } | RemoteError::Client { url, detail } => {
                Self::RemoteFailed { url, detail }
            }
        }
    }
}

fn kid_message(kid: Option<&str>, ambiguous: bool) -> String {
    let kid = kid.map_or_else(|| "(none)".to_owned(), |k| format!("{k:?}"));
    if ambiguous {
        format!(
            "JWT signature cannot be checked: the kid={kid} of the provided token appears more than once in the JWKS, so which key signed it is unknowable."
        )
    } else {
        format!(
            "Unable to find a signing key in JWKS that matches the kid={kid} of the provided token. Make sure that the __session cookie or the HTTP authorization header contain a Clerk-generated session JWT."
        )
    }
}

fn join(algs: &[Algorithm]) -> String {
    algs.iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

impl VerifyError {
    /// Clerk's reason code ([`Reason::TokenExpired`], [`Reason::TokenInvalidIssuer`],
    /// [`Reason::TokenTypeMismatch`], …), or ours ([`Reason::ClaimsMismatch`],
    /// [`Reason::SessionRevoked`]).
    pub fn reason(&self) -> Reason {
        match self {
            Self::Malformed { .. }
            | Self::TooLarge { .. }
            | Self::Header { .. }
            | Self::MachineToken => Reason::TokenInvalid,
            Self::TypeMismatch { .. }
            | Self::TemplateMarker { .. }
            | Self::TemplateLifetime { .. } => Reason::TokenTypeMismatch,
            Self::SessionRevoked { .. } => Reason::SessionRevoked,
            Self::UserTokenRevoked { .. } => Reason::SessionRevoked,
            Self::Algorithm { .. } => Reason::TokenInvalidAlgorithm,
            Self::Signature => Reason::TokenInvalidSignature,
            Self::Claim { .. }
            | Self::Audience { .. }
            | Self::KeyUnusable { .. }
            | Self::KeyAlgorithm { .. } => Reason::TokenVerificationFailed,
            Self::InvalidKid { .. } => Reason::JwkKidMismatch,
            // Clerk's JWKS cache keeps the last key of a kid and its signature check fails.
            Self::KidMismatch {
                ambiguous: true, ..
            } => Reason::TokenInvalidSignature,
            Self::AuthorizedParty { .. } => Reason::TokenInvalidAuthorizedParties,
            Self::Expired { .. } => Reason::TokenExpired,
            Self::NotActiveYet { .. } => Reason::TokenNotActiveYet,
            Self::IssuedInFuture { .. } => Reason::TokenIatInTheFuture,
            Self::Issuer { .. } => Reason::TokenInvalidIssuer,
            Self::NoKey { .. } => Reason::JwkFailedToResolve,
            Self::KidMismatch { .. } => Reason::JwkKidMismatch,
            Self::RemoteFailed { .. } => Reason::JwkRemoteFailedToLoad,
            Self::SecretKeyInvalid { .. } => Reason::SecretKeyInvalid,
            Self::ClaimsMismatch(_) => Reason::ClaimsMismatch,
        }
    }

    /// What to do about it: Clerk's action text where Clerk has one.
    pub fn action(&self) -> &'static str {
        match self {
            Self::NoKey { .. } => SET_JWT_KEY,
            Self::SecretKeyInvalid { .. } => SET_SECRET_KEY,
            Self::KidMismatch {
                ambiguous: false, ..
            }
            | Self::InvalidKid { .. }
            | Self::RemoteFailed { .. } => CONTACT_SUPPORT,
            Self::Issuer { .. } => {
                "Check the publishable key or issuer the verifier was built with: the token comes from another Clerk instance."
            }
            Self::TypeMismatch { .. } => {
                "Verify JWT-template tokens with the template's claims type and session tokens with verify_session."
            }
            Self::TemplateMarker { .. } => {
                "Verify each template's tokens with that template's claims type: the client sent a token of another template."
            }
            Self::TemplateLifetime { .. } => {
                "Verify this token with the claims type of the template that issued it; drop exact_lifetime if clients mint tokens with a lifetime override."
            }
            Self::SessionRevoked { .. } => "Sign in again: this session was ended or revoked.",
            Self::UserTokenRevoked { .. } => {
                "Fetch a new token (getToken): a session of this user was ended or revoked after this one was issued; if it was this token's session, sign in again."
            }
            Self::ClaimsMismatch(m) if m.metadata().is_some() => {
                "Fix that user's metadata, or make the field accept what it holds (serde_json::Value)."
            }
            Self::ClaimsMismatch(_) => {
                "Paste the claims type's jwt_template() into the Clerk dashboard, or change the type to match the template."
            }
            _ => ENSURE_CLERK_JWT,
        }
    }

    /// Clerk's full message: `"<message> <action> (reason=<reason>)"`.
    pub fn full_message(&self) -> String {
        format!("{self} {} (reason={})", self.action(), self.reason())
    }
}

/// Why a token was rejected, as a closed set: Clerk's `TokenVerificationErrorReason` codes and
/// ours. [`Reason::as_str`] and `Display` give the code (`"token-expired"`, …).
///
/// ```
/// use clerk_claims::verify::Reason;
///
/// assert_eq!(Reason::TokenExpired.as_str(), "token-expired");
/// assert_eq!("jwk-kid-mismatch".parse::<Reason>(), Ok(Reason::JwkKidMismatch));
/// assert!(Reason::ALL.iter().all(|r| r.as_str().parse() == Ok(*r)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// `token-expired`: `exp` has passed.
    TokenExpired,
    /// `token-invalid`: not a well-formed Clerk JWT.
    TokenInvalid,
    /// `token-invalid-algorithm`: `alg` not allowed for the key.
    TokenInvalidAlgorithm,
    /// `token-invalid-authorized-parties`: `azp` missing or not an authorized party.
    TokenInvalidAuthorizedParties,
    /// `token-invalid-signature`: the signature does not match.
    TokenInvalidSignature,
    /// `token-not-active-yet`: `nbf` is in the future.
    TokenNotActiveYet,
    /// `token-iat-in-the-future`: `iat` is in the future.
    TokenIatInTheFuture,
    /// `token-verification-failed`: a standard claim has the wrong type or value.
    TokenVerificationFailed,
    /// `jwk-failed-to-resolve`: no key source could give a key.
    JwkFailedToResolve,
    /// `jwk-kid-mismatch`: no key for the token's `kid`.
    JwkKidMismatch,
    /// `jwk-remote-failed-to-load`: the JWKS could not be fetched or read.
    JwkRemoteFailedToLoad,
    /// `secret-key-invalid`: the Backend API refused the secret key.
    SecretKeyInvalid,
    /// `token-invalid-issuer`: `iss` is another instance's.
    TokenInvalidIssuer,
    /// `token-type-mismatch`: a token of the other category (`cat` header), or (ours) of
    /// another JWT template (its marker claim names another template; with
    /// `#[clerk(exact_lifetime)]`, its lifetime differs).
    TokenTypeMismatch,
    /// `claims-mismatch` (ours): the payload does not fit the claims type: template drift, or
    /// one user's metadata value that the field cannot hold (the message says which).
    ClaimsMismatch,
    /// `session-revoked` (ours): the token's session was revoked, or (a template token,
    /// without `sid`) a session of its user was revoked after it was issued.
    SessionRevoked,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: &'static [Reason] = &[
        Self::TokenExpired,
        Self::TokenInvalid,
        Self::TokenInvalidAlgorithm,
        Self::TokenInvalidAuthorizedParties,
        Self::TokenInvalidSignature,
        Self::TokenNotActiveYet,
        Self::TokenIatInTheFuture,
        Self::TokenVerificationFailed,
        Self::JwkFailedToResolve,
        Self::JwkKidMismatch,
        Self::JwkRemoteFailedToLoad,
        Self::SecretKeyInvalid,
        Self::TokenInvalidIssuer,
        Self::TokenTypeMismatch,
        Self::ClaimsMismatch,
        Self::SessionRevoked,
    ];

    /// The reason code, as Clerk writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TokenExpired => "token-expired",
            Self::TokenInvalid => "token-invalid",
            Self::TokenInvalidAlgorithm => "token-invalid-algorithm",
            Self::TokenInvalidAuthorizedParties => "token-invalid-authorized-parties",
            Self::TokenInvalidSignature => "token-invalid-signature",
            Self::TokenNotActiveYet => "token-not-active-yet",
            Self::TokenIatInTheFuture => "token-iat-in-the-future",
            Self::TokenVerificationFailed => "token-verification-failed",
            Self::JwkFailedToResolve => "jwk-failed-to-resolve",
            Self::JwkKidMismatch => "jwk-kid-mismatch",
            Self::JwkRemoteFailedToLoad => "jwk-remote-failed-to-load",
            Self::SecretKeyInvalid => "secret-key-invalid",
            Self::TokenInvalidIssuer => "token-invalid-issuer",
            Self::TokenTypeMismatch => "token-type-mismatch",
            Self::ClaimsMismatch => "claims-mismatch",
            Self::SessionRevoked => "session-revoked",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is no [`Reason`] code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown reason code {0:?}")]
pub struct UnknownReason(pub String);

impl std::str::FromStr for Reason {
    type Err = UnknownReason;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownReason(s.to_owned()))
    }
}

impl serde::Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Tests and logs compare a reason with its code: `assert_eq!(err.reason(), "token-expired")`.
impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
