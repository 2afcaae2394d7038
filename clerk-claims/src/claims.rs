//! Typed custom claims: the [`ClerkClaims`] trait and drift diagnostics for decoding.
//!
//! A payload that does not fit its claims type (the dashboard template and the code drifted)
//! fails with a [`ClaimsMismatch`] naming the claim, the template expression the code expects
//! and where that template lives.

pub(crate) mod drift;

use crate::template::JwtTemplate;
use drift::Drift;

/// A claims type declared with `#[derive(ClerkClaims)]`: its JWT template and typed decoding.
///
/// The derive also implements `Deserialize`/`Serialize` with the claim names of the template,
/// inherent `has_role` / `require_role` / `has_permission` / `require_permission` methods, and
/// [`HasRole`](crate::HasRole) / [`HasPermission`](crate::HasPermission) for a type with a role /
/// permissions field; [`derive@crate::ClerkClaims`] documents every attribute.
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
    serde_json::from_slice(payload).map_err(|e| mismatch_from_error::<C>(&e.to_string()))
}

/// [`decode`] for a payload already known to be UTF-8 (the verifier checks it before the
/// signature), so the parser need not check each string again.
#[cfg(feature = "verify")]
pub(crate) fn decode_str<C: ClerkClaims>(payload: &str) -> Result<C, ClaimsMismatch> {
    serde_json::from_str(payload).map_err(|e| mismatch_from_error::<C>(&e.to_string()))
}

/// Turns the text of a decoding error into a [`ClaimsMismatch`], recovering the claim (and,
/// through [`ClerkClaims::claim_info`], its expression) from a drift message.
fn mismatch_from_error<C: ClerkClaims>(text: &str) -> ClaimsMismatch {
    let template = C::TEMPLATE_NAME.map(str::to_owned);
    match Drift::parse(text) {
        Some(drift) => {
            let expression = C::claim_info()
                .iter()
                .find(|info| info.claim == drift.claim)
                .map(|info| info.expression.to_owned())
                .or(drift.expression.clone());
            ClaimsMismatch {
                message: Drift {
                    claim: drift.claim.clone(),
                    expression: expression.clone(),
                    place: drift::place_of(C::TEMPLATE_NAME, C::jwt_template().session_token),
                    detail: drift.detail,
                }
                .to_string(),
                claim: Some(drift.claim),
                expression,
                template,
            }
        }
        None => ClaimsMismatch {
            claim: None,
            expression: None,
            message: format!(
                "the token's claims do not fit `{}`: {}",
                std::any::type_name::<C>(),
                drift::strip_position(text)
            ),
            template,
        },
    }
}
