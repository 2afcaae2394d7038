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

    /// Whether the template carries the marker claim
    /// [`MARKER_CLAIM`](crate::template::MARKER_CLAIM) naming it (derived templates do unless
    /// `#[clerk(marker = false)]`): verification then refuses a token whose marker names another
    /// template (`token-type-mismatch`) and one without it (`claims-mismatch`: the dashboard
    /// template lacks it).
    const TEMPLATE_MARKER: bool = false;

    /// The lifetime verification requires of `exp - iat` (`#[clerk(exact_lifetime)]`), or
    /// `None`: tokens minted with a lifetime override (`getToken`'s `expiresInSeconds`) pass.
    const EXACT_LIFETIME: Option<u32> = None;

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

/// A verified payload does not fit the claims type (`claims-mismatch`), for one of two causes
/// the message tells apart:
///
/// - **drift**: a claim is missing, or a claim whose template expression does not read user
///   metadata has another shape than the field: the dashboard template and the code disagree,
///   and every user's token fails the same way. The message names the claim and the expression
///   the code expects, and says to run `clerk-claims template diff`.
/// - **one user's data**: a claim whose expression reads metadata (`user.public_metadata.*`,
///   `user.unsafe_metadata.*`, `org.public_metadata.*`, `org_membership.public_metadata.*`)
///   holds a value the field cannot, because that user's metadata does. The message names the
///   user (`sub`) and the metadata path ([`metadata`](Self::metadata) gives it), and says to fix
///   that user's metadata or to make the field accept it: `serde_json::Value` holds any
///   metadata value, `Option<serde_json::Value>` any value or none.
///
/// Both are the server's to fix, not the client's, so the guards answer 500 for both.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct ClaimsMismatch {
    /// The claim that did not fit, when known.
    pub claim: Option<String>,
    /// The template expression the code expects for that claim, when known.
    pub expression: Option<String>,
    /// The template name, when the type has one.
    pub template: Option<String>,
    /// The full message, naming claim, expression and template (and the user and metadata
    /// path for one user's data).
    pub message: String,
    /// The parts the message was written from, to name the user once the verifier knows it
    /// (boxed: every `Result` of a verification carries this error's size).
    drift: Option<Box<Drift>>,
}

impl ClaimsMismatch {
    /// A mismatch with only a message (no claim to name).
    pub(crate) fn other(message: String, template: Option<String>) -> Self {
        Self {
            claim: None,
            expression: None,
            template,
            message,
            drift: None,
        }
    }

    fn from_drift(drift: Drift, template: Option<String>) -> Self {
        Self {
            claim: Some(drift.claim.clone()),
            expression: drift.expression.clone(),
            template,
            message: drift.to_string(),
            drift: Some(Box::new(drift)),
        }
    }

    /// The metadata paths the claim's expression reads (e.g. `user.public_metadata.company`)
    /// when the misfit is one user's data rather than drift; `None` for drift.
    pub fn metadata(&self) -> Option<String> {
        self.drift.as_ref()?.user_data()
    }

    /// The token's user (`sub`), when the verifier decoded the claims of a named claim.
    pub fn user(&self) -> Option<&str> {
        self.drift.as_ref()?.user.as_deref()
    }

    /// The same mismatch for the token of user `sub`, whom a user-data message names.
    #[cfg(feature = "verify")]
    pub(crate) fn for_user(mut self, sub: &str) -> Self {
        if let Some(drift) = &mut self.drift {
            drift.user = Some(crate::json_text::clip(sub).into_owned());
            self.message = drift.to_string();
        }
        self
    }
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

/// The drift of a template token without `C`'s marker claim (or with one that is no string):
/// the dashboard template lacks the marker, or the token is of a template without one.
#[cfg(feature = "verify")]
pub(crate) fn marker_drift<C: ClerkClaims>(found: Option<&str>) -> ClaimsMismatch {
    let name = C::TEMPLATE_NAME.unwrap_or_default();
    let detail = match found {
        None => "the marker claim naming the template is missing from the token (the dashboard \
                 template lacks it, or the token is of a template without one)"
            .to_owned(),
        Some(found) => format!("expected the template's name as a string, found {found}"),
    };
    let drift = Drift {
        claim: crate::template::MARKER_CLAIM.to_owned(),
        expression: Some(serde_json::Value::from(name).to_string()),
        place: drift::place_of(C::TEMPLATE_NAME, false),
        detail,
        user: None,
    };
    ClaimsMismatch::from_drift(drift, C::TEMPLATE_NAME.map(str::to_owned))
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
                .or(drift.expression);
            let drift = Drift {
                claim: drift.claim,
                expression,
                place: drift::place_of(C::TEMPLATE_NAME, C::jwt_template().session_token),
                detail: drift.detail,
                user: None,
            };
            ClaimsMismatch::from_drift(drift, template)
        }
        None => ClaimsMismatch::other(
            format!(
                "the token's claims do not fit `{}`: {}",
                std::any::type_name::<C>(),
                drift::strip_position(text)
            ),
            template,
        ),
    }
}
