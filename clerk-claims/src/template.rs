//! The JWT template model: the JSON a person pastes into the dashboard, and Clerk's save rules.
//!
//! The rules themselves live in `clerk-claims-lang` (shared with the derive, which applies
//! them at compile time); this module applies them to a [`JwtTemplate`] value.

use serde_json::{Map, Value};

use crate::json_text::describe;

pub use clerk_claims_lang::rules::{
    DEFAULT_ALLOWED_CLOCK_SKEW, DEFAULT_CLAIMS, DEFAULT_LIFETIME, LIFETIME_RANGE, MARKER_CLAIM,
    MAX_CLAIMS_BYTES, RESERVED_CLAIMS, SIGNING_ALGORITHMS, SKEW_RANGE,
};
// The shortcode language's types that appear in this module's signatures; the language
// itself (its catalogue, path roots, JSON types) is `clerk_claims_lang`'s.
pub use clerk_claims_lang::{ParseError, RuleViolation, Shortcode};

/// A Clerk JWT template: what `ClerkClaims::jwt_template()` returns and the dashboard holds.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtTemplate {
    /// The template name (`getToken({ template: name })`); empty for the session-token claims.
    pub name: String,
    /// The claims JSON exactly as typed into the dashboard, keys in declaration order.
    pub claims: Value,
    /// Token lifetime in seconds (30..=315360000, Clerk's default 60).
    pub lifetime: u32,
    /// Allowed clock skew in seconds (0..=300, Clerk's default 5); sets `nbf = iat - skew`.
    pub allowed_clock_skew: u32,
    /// The algorithm of a custom signing key (`RS256` … `ES512`), `None` for the instance key.
    pub signing_algorithm: Option<String>,
    /// Whether these are the instance's "Customize session token" claims, not a named template.
    pub session_token: bool,
}

impl JwtTemplate {
    /// The claims JSON, pretty-printed: what to paste into the dashboard.
    pub fn to_json_pretty(&self) -> String {
        // A `Value` always serializes; the fallback keeps this infallible without a panic path.
        serde_json::to_string_pretty(&self.claims).unwrap_or_default()
    }

    /// The Backend API body for `POST /v1/jwt_templates` and `PATCH /v1/jwt_templates/{id}`.
    ///
    /// A custom signing key is never part of the model; a template with a
    /// `signing_algorithm` needs the key added by the caller (`signing_key`).
    pub fn to_api_body(&self) -> Value {
        let mut body = serde_json::Map::new();
        body.insert("name".into(), Value::String(self.name.clone()));
        body.insert("claims".into(), self.claims.clone());
        body.insert("lifetime".into(), self.lifetime.into());
        body.insert("allowed_clock_skew".into(), self.allowed_clock_skew.into());
        match &self.signing_algorithm {
            Some(alg) => {
                body.insert("custom_signing_key".into(), true.into());
                body.insert("signing_algorithm".into(), Value::String(alg.clone()));
            }
            None => {
                body.insert("custom_signing_key".into(), false.into());
            }
        }
        Value::Object(body)
    }
}

/// Why a template is not one Clerk would save, or could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A rule Clerk enforces on save, with Clerk's error code, parameter and message.
    #[error("{0}")]
    Rule(RuleViolation),
    /// A template object field has the wrong JSON type.
    #[error("template field `{field}`: expected {expected}, found {found}")]
    WrongType {
        /// The field, e.g. `lifetime`.
        field: &'static str,
        /// What the Backend API accepts there.
        expected: &'static str,
        /// What was found.
        found: String,
    },
}

impl TemplateError {
    /// Clerk's error code (`jwt_template_reserved_claim`, `form_param_value_invalid` …), for a
    /// rule violation.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            TemplateError::Rule(v) => Some(v.code),
            TemplateError::WrongType { .. } => None,
        }
    }

    /// The parameter Clerk names (`name`, `claims`, `lifetime`, `aud` …).
    pub fn param(&self) -> Option<&'static str> {
        match self {
            TemplateError::Rule(v) => v.param,
            TemplateError::WrongType { field, .. } => Some(field),
        }
    }
}

impl From<RuleViolation> for TemplateError {
    fn from(v: RuleViolation) -> Self {
        TemplateError::Rule(v)
    }
}

/// Why Clerk would send a claim string as written instead of substituting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssueKind {
    /// The string is not Clerk's shortcode syntax as written: an unknown shortcode, spaces
    /// inside braces, unclosed braces, a literal first in a `||` chain.
    Syntax,
    /// A `{{…}}` inside an object or array that itself sits in an array: Clerk's engine walks
    /// objects, but arrays one level only (their direct string elements).
    NotWalked,
}

/// A place in the claims where Clerk would not substitute what is written (an unknown
/// shortcode, spaces inside braces, a `{{` Clerk never reaches): what `clerk-claims template
/// check` reports as an error and `template render` as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeIssue {
    /// Why the text is not substituted.
    pub kind: IssueKind,
    /// JSON pointer of the claim value, e.g. `/hasura/x-hasura-role`.
    pub pointer: String,
    /// The claim string as written.
    pub value: String,
    /// Byte offset of the offending character in `value`, when known.
    pub offset: Option<usize>,
    /// What was expected, what was found, and the fix.
    pub message: String,
    /// The nearest known shortcode.
    pub suggestion: Option<&'static str>,
}

impl std::fmt::Display for ShortcodeIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:?}: {}", self.pointer, self.value, self.message)
    }
}

/// Keys of the Backend API template shape (request body or `JWTTemplate` response).
const TEMPLATE_KEYS: &[&str] = &[
    "object",
    "id",
    "name",
    "claims",
    "lifetime",
    "allowed_clock_skew",
    "custom_signing_key",
    "signing_algorithm",
    "signing_key",
    "created_at",
    "updated_at",
];

/// The fields of a Backend API template body (`POST /v1/jwt_templates`,
/// `PATCH /v1/jwt_templates/{id}`, or a `JWTTemplate` response), each checked for its JSON
/// type: the one reader of that shape, used by [`JwtTemplate::from_json`] and the fake Clerk.
///
/// Absent and `null` fields are `None`. An empty `name` is a missing one, as Clerk's
/// `validate:"required"` treats it (`form_param_missing`). Ranges and the name syntax are
/// Clerk's save rules, checked apart ([`JwtTemplate::validate`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TemplateBody {
    pub(crate) name: String,
    pub(crate) claims: Value,
    pub(crate) lifetime: Option<u64>,
    pub(crate) allowed_clock_skew: Option<u64>,
    pub(crate) custom_signing_key: Option<bool>,
    pub(crate) signing_algorithm: Option<String>,
    /// Read by the fake Clerk only (feature `testing`); the model never holds a key.
    #[cfg_attr(not(feature = "testing"), allow(dead_code))]
    pub(crate) signing_key: Option<String>,
}

/// Clerk's `form_param_missing` for `param`.
pub(crate) fn missing(param: &'static str, why: &str) -> RuleViolation {
    RuleViolation {
        code: "form_param_missing",
        param: Some(param),
        message: format!("{param} must be included.{why}"),
    }
}

impl TemplateBody {
    pub(crate) fn parse(map: &Map<String, Value>) -> Result<TemplateBody, TemplateError> {
        let name = match map.get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            None | Some(Value::Null | Value::String(_)) => {
                return Err(missing("name", "").into());
            }
            Some(other) => return Err(wrong_type("name", "a string", other)),
        };
        let claims = match map.get("claims") {
            None | Some(Value::Null) => return Err(missing("claims", "").into()),
            Some(claims) => claims.clone(),
        };
        Ok(TemplateBody {
            name,
            claims,
            lifetime: seconds(map, "lifetime")?,
            allowed_clock_skew: seconds(map, "allowed_clock_skew")?,
            custom_signing_key: typed(map, "custom_signing_key", "a boolean", Value::as_bool)?,
            signing_algorithm: typed(
                map,
                "signing_algorithm",
                "a string such as \"RS256\"",
                |v| v.as_str().map(str::to_owned),
            )?,
            signing_key: typed(map, "signing_key", "a string", |v| {
                v.as_str().map(str::to_owned)
            })?,
        })
    }
}

/// Clerk's answer to `custom_signing_key: true` without an algorithm (none sent, none stored).
pub(crate) fn missing_signing_algorithm() -> RuleViolation {
    missing(
        "signing_algorithm",
        " (`signing_algorithm` is required when `custom_signing_key` is `true`)",
    )
}

fn wrong_type(field: &'static str, expected: &'static str, found: &Value) -> TemplateError {
    TemplateError::WrongType {
        field,
        expected,
        found: describe(found),
    }
}

/// An optional field of one JSON type: absent or `null` is `None`.
fn typed<T>(
    map: &Map<String, Value>,
    field: &'static str,
    expected: &'static str,
    read: impl Fn(&Value) -> Option<T>,
) -> Result<Option<T>, TemplateError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v)
            .map(Some)
            .ok_or_else(|| wrong_type(field, expected, v)),
    }
}

fn seconds(map: &Map<String, Value>, field: &'static str) -> Result<Option<u64>, TemplateError> {
    typed(
        map,
        field,
        "a non-negative integer number of seconds",
        Value::as_u64,
    )
}

/// Seconds as the model's `u32`: a number beyond it is the wrong type.
fn seconds_u32(
    value: Option<u64>,
    field: &'static str,
    default: u64,
) -> Result<u32, TemplateError> {
    let n = value.unwrap_or(default);
    u32::try_from(n).map_err(|_| {
        wrong_type(
            field,
            "a non-negative integer number of seconds",
            &Value::from(n),
        )
    })
}

impl JwtTemplate {
    /// Reads a template from JSON: either the claims exactly as typed in the dashboard (then
    /// the name is empty and lifetime/skew are Clerk's defaults), or a Backend API template
    /// object (`name`, `claims`, `lifetime`, `allowed_clock_skew`, `custom_signing_key`,
    /// `signing_algorithm`; a `JWTTemplate` response works too).
    ///
    /// An object is taken as the template shape when its `claims` is an object and all its
    /// keys are template fields; anything else is taken as bare claims.
    pub fn from_json(json: &Value) -> Result<JwtTemplate, TemplateError> {
        let Value::Object(map) = json else {
            return Err(clerk_claims_lang::check_claims(json)
                .err()
                .map(TemplateError::Rule)
                .unwrap_or_else(|| wrong_type("claims", "a JSON object", json)));
        };
        let template_shape = map.get("claims").is_some_and(Value::is_object)
            && map.keys().all(|k| TEMPLATE_KEYS.contains(&k.as_str()));
        if !template_shape {
            return Ok(JwtTemplate {
                name: String::new(),
                claims: json.clone(),
                lifetime: seconds_u32(None, "lifetime", DEFAULT_LIFETIME)?,
                allowed_clock_skew: seconds_u32(
                    None,
                    "allowed_clock_skew",
                    DEFAULT_ALLOWED_CLOCK_SKEW,
                )?,
                signing_algorithm: None,
                session_token: false,
            });
        }
        let body = TemplateBody::parse(map)?;
        // A `JWTTemplate` response always carries the instance's algorithm; it only belongs
        // to the template when `custom_signing_key` is true.
        let signing_algorithm = match (body.custom_signing_key, body.signing_algorithm) {
            (Some(false), _) => None,
            (Some(true), None) => return Err(missing_signing_algorithm().into()),
            (_, alg) => alg,
        };
        Ok(JwtTemplate {
            name: body.name,
            claims: body.claims,
            lifetime: seconds_u32(body.lifetime, "lifetime", DEFAULT_LIFETIME)?,
            allowed_clock_skew: seconds_u32(
                body.allowed_clock_skew,
                "allowed_clock_skew",
                DEFAULT_ALLOWED_CLOCK_SKEW,
            )?,
            signing_algorithm,
            session_token: false,
        })
    }

    /// Every rule Clerk enforces when this template is saved, each with Clerk's error code,
    /// parameter and message (Clerk itself stops at the first).
    ///
    /// An empty `name` is not checked: it means "no name here" (the session-token claims, or
    /// claims read without their template object), and the dashboard asks for it separately.
    pub fn validate(&self) -> Result<(), Vec<TemplateError>> {
        let mut errors = Vec::new();
        if !self.name.is_empty() {
            errors.extend(clerk_claims_lang::check_name(&self.name).err());
        }
        errors.extend(clerk_claims_lang::claims_violations(&self.claims));
        errors.extend(clerk_claims_lang::check_lifetime(u64::from(self.lifetime)).err());
        errors.extend(
            clerk_claims_lang::check_allowed_clock_skew(u64::from(self.allowed_clock_skew)).err(),
        );
        if let Some(alg) = &self.signing_algorithm {
            errors.extend(clerk_claims_lang::check_signing_algorithm(alg).err());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.into_iter().map(TemplateError::Rule).collect())
        }
    }

    /// Every claim string Clerk would not substitute as written: unknown shortcodes (with the
    /// nearest known one), spaces inside braces, unclosed braces, `{{…}}` nested in arrays.
    /// Clerk saves such templates without complaint and sends the literal text in tokens.
    pub fn check_shortcodes(&self) -> Vec<ShortcodeIssue> {
        shortcode_issues(&self.claims)
    }

    /// Deprecated shortcodes used anywhere in the claims (e.g. `user.profile_image_url`).
    pub fn deprecated_shortcodes(&self) -> Vec<&'static Shortcode> {
        let mut found = Vec::new();
        collect_deprecated(&self.claims, &mut found);
        found
    }
}

fn collect_deprecated(v: &Value, found: &mut Vec<&'static Shortcode>) {
    match v {
        Value::String(s) => {
            let exprs: Vec<clerk_claims_lang::Expr> = match clerk_claims_lang::parse_claim_string(s)
            {
                Ok(clerk_claims_lang::ClaimString::Whole(e)) => vec![e],
                Ok(clerk_claims_lang::ClaimString::Interpolated(segs)) => segs
                    .into_iter()
                    .filter_map(|seg| match seg {
                        clerk_claims_lang::Segment::Expr(e) => Some(e),
                        clerk_claims_lang::Segment::Text(_) => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for e in &exprs {
                for sc in e.shortcodes().filter(|sc| sc.deprecated) {
                    if !found.contains(&sc) {
                        found.push(sc);
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_deprecated(i, found)),
        Value::Object(map) => map.values().for_each(|i| collect_deprecated(i, found)),
        _ => {}
    }
}

/// Every place in `claims` where Clerk's engine would leave template text unsubstituted, in
/// document order: strings that do not parse strictly, and `{{` where the engine never walks
/// (inside an object or array that is inside an array).
pub(crate) fn shortcode_issues(claims: &Value) -> Vec<ShortcodeIssue> {
    let mut issues = Vec::new();
    if let Value::Object(map) = claims {
        let mut pointer = String::new();
        scan_object(map, &mut pointer, &mut issues);
    }
    issues
}

/// Appends one JSON-pointer segment (RFC 6901 escaping).
pub(crate) fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
}

fn scan_string(s: &str, pointer: &str, issues: &mut Vec<ShortcodeIssue>) {
    if !s.contains("{{") {
        return;
    }
    if let Err(e) = clerk_claims_lang::parse_claim_string(s) {
        issues.push(ShortcodeIssue {
            kind: IssueKind::Syntax,
            pointer: pointer.to_owned(),
            value: s.to_owned(),
            offset: Some(e.offset),
            message: e.message,
            suggestion: e.suggestion,
        });
    }
}

/// What the engine walks: object values, recursively, and the direct elements of arrays.
fn scan_object(map: &Map<String, Value>, pointer: &mut String, issues: &mut Vec<ShortcodeIssue>) {
    for (key, value) in map {
        let len = pointer.len();
        push_segment(pointer, key);
        match value {
            Value::String(s) => scan_string(s, pointer, issues),
            Value::Object(inner) => scan_object(inner, pointer, issues),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &i.to_string());
                    match item {
                        Value::String(s) => scan_string(s, pointer, issues),
                        Value::Array(_) | Value::Object(_) => scan_unwalked(item, pointer, issues),
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

/// Inside what the engine does not walk: any `{{` here reaches the token as text.
fn scan_unwalked(value: &Value, pointer: &mut String, issues: &mut Vec<ShortcodeIssue>) {
    let mut visit = |segment: &str, item: &Value, issues: &mut Vec<ShortcodeIssue>| {
        let len = pointer.len();
        push_segment(pointer, segment);
        scan_unwalked(item, pointer, issues);
        pointer.truncate(len);
    };
    match value {
        Value::String(s) if s.contains("{{") => issues.push(ShortcodeIssue {
            kind: IssueKind::NotWalked,
            pointer: pointer.clone(),
            value: s.clone(),
            offset: None,
            message: "expected shortcodes only in object values and direct string elements \
                      of arrays, found one nested inside an array: Clerk does not walk into \
                      it and sends the text unchanged; move it to an object field"
                .to_owned(),
            suggestion: None,
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(&i.to_string(), item, issues);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                visit(k, item, issues);
            }
        }
        _ => {}
    }
}
