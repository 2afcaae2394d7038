//! Clerk's template engine, locally: renders a template's claims for a user the way Clerk's Go
//! engine does when it mints a template token (facts §1.3), without the default claims (§1.4).
//!
//! The engine is lenient: a `{{…}}` it does not recognise reaches the token as literal text
//! (a role claim of `"{{org_membership.role}}"` locks every user out). [`Strictness::Clerk`]
//! reproduces that; [`Strictness::Strict`] (the default, used by the CLI and the fake) refuses
//! such templates and names the nearest known shortcode.
//!
//! Choices where Clerk's behaviour is open (facts §7):
//! * interpolation prints values through Go's `json.Marshal`, so `<`, `>`, `&` appear as
//!   `\u003c`, `\u003e`, `\u0026` and `"` as `\"` inside interpolated strings, object keys sorted
//!   (Go maps) — what the engine snapshot does (UNCONFIRMED in production);
//! * numbers read from metadata are float64 (gjson): integers beyond 2^53 lose precision as
//!   in Clerk, and integral floats are written as integers (Go prints `30`, not `30.0`);
//! * `user.organizations` is `{org_id: role_key}` (shape UNCONFIRMED);
//! * unknown shortcodes keep their literal text (the engine), not `null` (the docs).

mod context;
mod engine;
mod go_json;

use serde_json::Value;

pub use context::RenderContext;

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

/// Renders template `claims` for `ctx`: the custom claims Clerk would put in the token
/// (without `sub`, `iat`, `exp`, `nbf`, `iss`, `jti`, `azp`, which Clerk writes over them).
pub fn render(
    claims: &Value,
    ctx: &RenderContext,
    options: RenderOptions,
) -> Result<Value, RenderError> {
    let Value::Object(map) = claims else {
        return Err(RenderError::ClaimsNotObject {
            found: clerk_claims_lang::rules::json_kind(claims),
        });
    };
    if options.strictness == Strictness::Strict
        && let Some(first) = strict_issues(map).into_iter().next()
    {
        return Err(first);
    }
    let mut out = map.clone();
    engine::execute(&mut out, ctx);
    if let Some(Value::String(aud)) = out.get("aud")
        && aud.trim().to_lowercase() == "clerk"
    {
        return Err(RenderError::ReservedAud { found: aud.clone() });
    }
    Ok(Value::Object(out))
}

/// Renders one claim string value as the engine does (lenient: [`Strictness::Clerk`]).
pub fn render_str(s: &str, ctx: &RenderContext) -> Value {
    engine::substitute(s, ctx)
}

fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

/// Every place where Clerk's engine would leave template text unsubstituted, in document
/// order: strings that do not parse strictly, and `{{` inside arrays nested in arrays.
pub(crate) fn strict_issues(map: &serde_json::Map<String, Value>) -> Vec<RenderError> {
    let mut issues = Vec::new();
    let mut pointer = String::new();
    check_object(map, &mut pointer, &mut issues);
    issues
}

fn check_string(s: &str, pointer: &str, issues: &mut Vec<RenderError>) {
    if !s.contains("{{") {
        return;
    }
    if let Err(source) = clerk_claims_lang::parse_claim_string(s) {
        issues.push(RenderError::Template {
            pointer: pointer.to_string(),
            source,
        });
    }
}

fn check_object(
    map: &serde_json::Map<String, Value>,
    pointer: &mut String,
    issues: &mut Vec<RenderError>,
) {
    for (key, value) in map {
        let len = pointer.len();
        push_segment(pointer, key);
        match value {
            Value::String(s) => check_string(s, pointer, issues),
            Value::Object(inner) => check_object(inner, pointer, issues),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &i.to_string());
                    match item {
                        Value::String(s) => check_string(s, pointer, issues),
                        Value::Array(_) | Value::Object(_) => check_unwalked(item, pointer, issues),
                        _ => {}
                    }
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        pointer.truncate(len);
    }
}

/// Inside arrays Clerk does not walk: any `{{` here would reach the token as text.
fn check_unwalked(value: &Value, pointer: &mut String, issues: &mut Vec<RenderError>) {
    match value {
        Value::String(s) if s.contains("{{") => issues.push(RenderError::NotSubstituted {
            pointer: pointer.clone(),
            text: s.clone(),
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                push_segment(pointer, &i.to_string());
                check_unwalked(item, pointer, issues);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = pointer.len();
                push_segment(pointer, k);
                check_unwalked(item, pointer, issues);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}
