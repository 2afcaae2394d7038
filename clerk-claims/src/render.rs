//! Clerk's template engine, locally: renders a template's claims for a user the way Clerk's Go
//! engine does when it mints a template token, without the default claims (`sub`, `iat`,
//! `exp`, `nbf`, `iss`, `jti`, `azp`) Clerk writes over them. The rules are those of
//! [Clerk's JWT template docs](https://clerk.com/docs/guides/sessions/jwt-templates):
//! only values are substituted, never keys; objects are walked; in arrays only the direct
//! string elements are; `{{shortcode}}` alone keeps the value's JSON type, anything else
//! interpolates into a string; `a || b || 'literal'` returns the first operand that is not
//! `null` or `false`, else the last.
//!
//! The engine is lenient: a `{{…}}` it does not recognise reaches the token as literal text
//! (a role claim of `"{{org_membership.role}}"` locks every user out).
//! [`render_with_warnings`] renders exactly so and reports each such place as a warning;
//! [`render`] with [`Strictness::Strict`] (the default, used by the fake) refuses such
//! templates and names the nearest known shortcode.
//!
//! The render context ([`RenderContext`]) only has to hold what the template's shortcodes
//! read: a missing field fails the render naming the shortcode that needs it.
//!
//! Choices where Clerk's behaviour is not documented:
//! * interpolation prints values through Go's `json.Marshal`, so `<`, `>`, `&` appear as
//!   `\u003c`, `\u003e`, `\u0026` and `"` as `\"` inside interpolated strings, object keys sorted
//!   (Go maps) — what Clerk's engine code does, not checked against production tokens;
//! * numbers read from metadata are float64 (gjson): integers beyond 2^53 lose precision as
//!   in Clerk, and integral floats are written as integers (Go prints `30`, not `30.0`);
//! * `user.organizations` is `{org_id: role_key}` (the shape of `@clerk/types`'
//!   `OrganizationsJWTClaim`);
//! * unknown shortcodes keep their literal text (the engine), not `null` (the docs).

mod context;
mod engine;
mod go_json;

use serde_json::Value;

pub use context::RenderContext;

use crate::template::{self, IssueKind, ShortcodeIssue};
use clerk_claims_lang::ParseError;

/// How to treat template text Clerk's engine would pass through unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Exactly like Clerk's engine: unknown `{{…}}` stays literal text, an unknown name in a
    /// `||` chain becomes a string literal, `{{ user.id }}` (spaces) is not substituted.
    Clerk,
    /// Refuse every such case with an error naming the nearest known shortcode.
    #[default]
    Strict,
}

/// Options of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RenderOptions {
    /// Lenient like Clerk, or strict (the default).
    pub strictness: Strictness,
}

impl RenderOptions {
    /// Render exactly as Clerk's engine does.
    pub fn clerk() -> Self {
        RenderOptions {
            strictness: Strictness::Clerk,
        }
    }

    /// Refuse templates Clerk would render with literal `{{…}}` text left in (the default).
    pub fn strict() -> Self {
        RenderOptions {
            strictness: Strictness::Strict,
        }
    }
}

/// Why a template could not be rendered, or a context could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The claims are not a JSON object.
    #[error("expected the template claims to be a JSON object, found {found}")]
    ClaimsNotObject {
        /// What was found instead.
        found: &'static str,
    },
    /// (Strict) a claim string that Clerk would not substitute as written.
    #[error("claim `{pointer}`: {source}")]
    Template {
        /// JSON pointer of the claim value, e.g. `/hasura/x-hasura-role`.
        pointer: String,
        /// What is wrong, where in the string, and the suggested shortcode.
        source: ParseError,
    },
    /// (Strict) a `{{…}}` where Clerk never substitutes: inside an object or array that is
    /// itself inside an array.
    #[error(
        "claim `{pointer}`: expected shortcodes only in object values and direct string elements \
         of arrays, found `{text}` nested inside an array: Clerk does not walk into it and would \
         send the text unchanged; move it to an object field"
    )]
    NotSubstituted {
        /// JSON pointer of the string.
        pointer: String,
        /// The string as written.
        text: String,
    },
    /// The rendered `aud` is `clerk` (trimmed, any case): Clerk refuses to mint (`ErrReservedAud`).
    #[error(
        "expected `aud` to be anything but `clerk` (reserved for session tokens), found {found:?} after rendering"
    )]
    ReservedAud {
        /// The rendered `aud`.
        found: String,
    },
    /// A context object does not have the Backend API shape.
    #[error("context field `{field}`: expected {expected}, found {found}")]
    InvalidContext {
        /// Dotted path of the field, e.g. `user.created_at`.
        field: String,
        /// What the Backend API object has there.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// A shortcode the template reads needs a context field that is missing or of the wrong
    /// type (fields no shortcode reads are never required).
    #[error(
        "claim `{pointer}`: shortcode `{shortcode}` needs context field `{field}`: expected \
         {expected}, found {found}"
    )]
    MissingContext {
        /// The shortcode (or metadata root, e.g. `org.public_metadata`) that reads the field.
        shortcode: &'static str,
        /// JSON pointer of the claim that uses it.
        pointer: String,
        /// Dotted path of the field in the context, e.g. `user.created_at`.
        field: String,
        /// What the Backend API object has there.
        expected: &'static str,
        /// What was found.
        found: String,
    },
    /// The context gives the active organization twice, at the top level and as
    /// `organization_membership.organization`, and the two disagree.
    #[error(
        "context: `organization.{field}` is {top_level} but \
         `organization_membership.organization.{field}` is {membership}: expected one \
         organization (the membership's), given once or the same in both places"
    )]
    ConflictingOrganization {
        /// The field that differs, e.g. `id`.
        field: &'static str,
        /// Its value in `organization`.
        top_level: String,
        /// Its value in `organization_membership.organization`.
        membership: String,
    },
    /// A flat shortcode-value map names something that is not a catalogue shortcode.
    #[error(
        "expected a catalogue shortcode as a value name, found `{name}`{}",
        suggestion.map(|s| format!(", did you mean `{s}`?")).unwrap_or_default()
    )]
    UnknownShortcodeValue {
        /// The name given.
        name: String,
        /// The nearest known shortcode.
        suggestion: Option<&'static str>,
    },
}

impl RenderError {
    /// The nearest known shortcode, when the error is about an unknown name.
    pub fn suggestion(&self) -> Option<&'static str> {
        match self {
            RenderError::Template { source, .. } => source.suggestion,
            RenderError::UnknownShortcodeValue { suggestion, .. } => *suggestion,
            _ => None,
        }
    }
}

/// What rendering a template gave: the custom claims Clerk would put in the token, and the
/// places where it would send template text as written ([`ShortcodeIssue`]s, in document
/// order).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rendered {
    /// The custom claims (without `sub`, `iat`, `exp`, `nbf`, `iss`, `jti`, `azp`, which Clerk
    /// writes over them).
    pub claims: Value,
    /// Claim strings Clerk's engine leaves as they are: unknown shortcodes, spaces inside
    /// braces, `{{…}}` inside an object or array that is inside an array.
    pub warnings: Vec<ShortcodeIssue>,
}

/// Renders template `claims` for `ctx` exactly as Clerk's engine does, and reports beside the
/// result every claim string the engine sends as written.
///
/// ```
/// use clerk_claims::render::{RenderContext, render_with_warnings};
/// use clerk_claims::template::IssueKind;
/// use serde_json::json;
///
/// let ctx = RenderContext::from_json(&json!({"user": {"id": "user_1"}}))?;
/// let out = render_with_warnings(
///     &json!({"sub_id": "{{user.id}}", "rows": [{"id": "{{user.id}}"}]}),
///     &ctx,
/// )?;
/// // Objects are walked; arrays one level only: the object inside the array stays as written.
/// assert_eq!(out.claims, json!({"sub_id": "user_1", "rows": [{"id": "{{user.id}}"}]}));
/// assert_eq!(out.warnings[0].pointer, "/rows/0/id");
/// assert_eq!(out.warnings[0].kind, IssueKind::NotWalked);
/// # Ok::<(), clerk_claims::render::RenderError>(())
/// ```
pub fn render_with_warnings(claims: &Value, ctx: &RenderContext) -> Result<Rendered, RenderError> {
    let warnings = template::shortcode_issues(claims);
    Ok(Rendered {
        claims: execute(claims, ctx)?,
        warnings,
    })
}

/// Renders template `claims` for `ctx`: the custom claims Clerk would put in the token
/// (without `sub`, `iat`, `exp`, `nbf`, `iss`, `jti`, `azp`, which Clerk writes over them).
///
/// [`Strictness::Strict`] turns the first warning of [`render_with_warnings`] into an error;
/// [`Strictness::Clerk`] renders as the engine does without looking for warnings.
pub fn render(
    claims: &Value,
    ctx: &RenderContext,
    options: RenderOptions,
) -> Result<Value, RenderError> {
    if options.strictness == Strictness::Strict
        && let Some(first) = template::shortcode_issues(claims).into_iter().next()
    {
        return Err(first.into());
    }
    execute(claims, ctx)
}

/// The engine over a claims object, then Clerk's mint-time `aud` rule.
fn execute(claims: &Value, ctx: &RenderContext) -> Result<Value, RenderError> {
    let Value::Object(map) = claims else {
        return Err(RenderError::ClaimsNotObject {
            found: clerk_claims_lang::rules::json_kind(claims),
        });
    };
    let mut out = map.clone();
    engine::execute(&mut out, ctx)?;
    if let Some(Value::String(aud)) = out.get("aud")
        && aud.trim().to_lowercase() == "clerk"
    {
        return Err(RenderError::ReservedAud { found: aud.clone() });
    }
    Ok(Value::Object(out))
}

impl From<ShortcodeIssue> for RenderError {
    fn from(issue: ShortcodeIssue) -> Self {
        match issue.kind {
            IssueKind::NotWalked => RenderError::NotSubstituted {
                pointer: issue.pointer,
                text: issue.value,
            },
            _ => RenderError::Template {
                pointer: issue.pointer,
                source: ParseError {
                    offset: issue.offset.unwrap_or_default(),
                    message: issue.message,
                    suggestion: issue.suggestion,
                },
            },
        }
    }
}

/// Renders one claim string value as the engine does (lenient: [`Strictness::Clerk`]); a
/// shortcode whose context field is missing renders as `null` here.
pub fn render_str(s: &str, ctx: &RenderContext) -> Value {
    engine::substitute(s, ctx, &mut Vec::new())
}
