//! Typed custom claims: the [`ClerkClaims`] trait and drift diagnostics for decoding.

use crate::template::JwtTemplate;

/// A claims type declared with `#[derive(ClerkClaims)]`: its JWT template and typed decoding.
///
/// The derive also implements `Deserialize`/`Serialize` with the claim names of the template,
/// and inherent `has_role` / `require_role` / `has_permission` / `require_permission` methods.
pub trait ClerkClaims: Sized + serde::Serialize + serde::de::DeserializeOwned {
    /// The template name (`#[clerk(template = "...")]`), or `None` for `session_token`.
    const TEMPLATE_NAME: Option<&'static str>;

    /// The template exactly as it belongs in the Clerk dashboard.
    fn jwt_template() -> JwtTemplate;

    /// Every claim of the type with the template expression that produces it.
    fn claim_info() -> &'static [ClaimInfo];
}

/// One claim of a [`ClerkClaims`] type: its name and the template expression behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimInfo {
    /// The claim name in the token (dotted for claims of nested objects, e.g. `hasura.x-user-id`).
    pub claim: &'static str,
    /// The template value that produces it, as typed in the dashboard (e.g. `{{org.role}}`).
    pub expression: &'static str,
    /// Whether the claim can be `null` in a token.
    pub nullable: bool,
}

/// A verified payload does not fit the claims type: the dashboard template and the code drifted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ClaimsMismatch {
    /// The claim that did not fit, when known.
    pub claim: Option<String>,
    /// The template expression the code expects for that claim, when known.
    pub expression: Option<String>,
    /// The template name, when the type has one.
    pub template: Option<String>,
    /// The full message, naming claim, expression and template.
    pub message: String,
}

/// Decodes a JSON payload into `C`, turning a misfit into a [`ClaimsMismatch`].
pub fn decode<C: ClerkClaims>(payload: &[u8]) -> Result<C, ClaimsMismatch> {
    crate::__private::decode_with_diagnostics::<C>(payload)
}

/// [`decode`] for a payload already known to be UTF-8 (the verifier checks it before the
/// signature), so the parser need not check each string again.
#[cfg(feature = "verify")]
pub(crate) fn decode_str<C: ClerkClaims>(payload: &str) -> Result<C, ClaimsMismatch> {
    serde_json::from_str(payload)
        .map_err(|e| crate::__private::mismatch_from_error::<C>(&e.to_string()))
}
