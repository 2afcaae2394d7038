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
    /// `alg` not allowed for this key (`token-invalid-algorithm`).
    #[error("Invalid JWT algorithm {found}. Supported: {}", join(allowed))]
    Algorithm {
        /// The `alg` found.
        found: String,
        /// The algorithms this key accepts.
        allowed: Vec<Algorithm>,
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
    /// No key for the token's `kid`, even after refetching the JWKS (`jwk-kid-mismatch`).
    #[error("Unable to find a signing key in JWKS that matches the kid={} of the provided token{}. Make sure that the __session cookie or the HTTP authorization header contain a Clerk-generated session JWT.", kid.as_deref().map(|k| format!("{k:?}")).unwrap_or_else(|| "(none)".into()), if *ambiguous { " (the kid appears more than once in the JWKS)" } else { "" })]
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
    /// type: the dashboard template and the code have drifted (`claims-mismatch`).
    #[error(transparent)]
    ClaimsMismatch(#[from] ClaimsMismatch),
}

fn join(algs: &[Algorithm]) -> String {
    algs.iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

impl VerifyError {
    /// Clerk's reason code (`token-expired`, …), or ours (`token-invalid-issuer`,
    /// `token-type-mismatch`, `claims-mismatch`).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed { .. }
            | Self::TooLarge { .. }
            | Self::Header { .. }
            | Self::MachineToken => "token-invalid",
            Self::TypeMismatch { .. } => "token-type-mismatch",
            Self::Algorithm { .. } => "token-invalid-algorithm",
            Self::Signature => "token-invalid-signature",
            Self::Claim { .. } | Self::Audience { .. } => "token-verification-failed",
            Self::AuthorizedParty { .. } => "token-invalid-authorized-parties",
            Self::Expired { .. } => "token-expired",
            Self::NotActiveYet { .. } => "token-not-active-yet",
            Self::IssuedInFuture { .. } => "token-iat-in-the-future",
            Self::Issuer { .. } => "token-invalid-issuer",
            Self::NoKey { .. } => "jwk-failed-to-resolve",
            Self::KidMismatch { .. } => "jwk-kid-mismatch",
            Self::RemoteFailed { .. } => "jwk-remote-failed-to-load",
            Self::SecretKeyInvalid { .. } => "secret-key-invalid",
            Self::ClaimsMismatch(_) => "claims-mismatch",
        }
    }

    /// What to do about it: Clerk's action text where Clerk has one.
    pub fn action(&self) -> &'static str {
        match self {
            Self::NoKey { .. } => SET_JWT_KEY,
            Self::SecretKeyInvalid { .. } => SET_SECRET_KEY,
            Self::KidMismatch { .. } | Self::RemoteFailed { .. } => CONTACT_SUPPORT,
            Self::Issuer { .. } => {
                "Check the publishable key or issuer the verifier was built with: the token comes from another Clerk instance."
            }
            Self::TypeMismatch { .. } => {
                "Verify JWT-template tokens with the template's claims type and session tokens with verify_session."
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
